"""Nightly catch-up: persons in a key group without an open assistance file get one.

Entering a key group opens the file at once (keygroups.services.memberships_started);
this job repairs what that missed (data loaded around the services, a failed run).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from assistance.services import open_missing_files


class Command(BaseCommand):
    help = "Open an assistance file for every person in a key group who entered it without one."

    def handle(self, *args, **options):
        today = timezone.localdate()
        opened = open_missing_files(today=today)
        self.stdout.write(f"{today}: assistance files opened {opened}")
