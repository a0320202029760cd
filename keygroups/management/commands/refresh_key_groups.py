"""Nightly: recompute zero-employment households, then derived key-group memberships.

Nothing is edited when a quarter ends, a graduate's years run out or twelve months of
unemployment are reached, yet the outcome changes; this job catches those.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from households.services import households_refresh_all
from keygroups.services import memberships_refresh_all


class Command(BaseCommand):
    help = "Recompute zero-employment households and derived key-group memberships as of today."

    def handle(self, *args, **options):
        today = timezone.localdate()
        households = households_refresh_all(today=today)
        memberships = memberships_refresh_all(today=today)
        self.stdout.write(
            f"{today}: households checked {households['checked']}, "
            f"recognised {households['recognised']}, cleared {households['cleared']}; "
            f"memberships opened {memberships['opened']}, closed {memberships['closed']}"
        )
