"""Nightly: propose closing unemployment registrations with no contact for N months.

It only proposes (status "closure proposed"); a station head decides. Nothing is
closed or deleted here.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from registrations.services import propose_no_contact_closures


class Command(BaseCommand):
    help = "Propose closure of unemployment registrations without contact for the configured months."

    def handle(self, *args, **options):
        today = timezone.localdate()
        proposed = propose_no_contact_closures(today=today)
        self.stdout.write(f"{today}: closure proposed for {proposed} registration(s)")
