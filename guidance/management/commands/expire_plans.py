"""The nightly expiry of employment plans past their last valid day (§6.1 step 6)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from guidance.plan_services import expire_plans


class Command(BaseCommand):
    help = (
        "Expire agreed employment plans past their last valid day: re-planning for persons still "
        "not in work, completion for those in work. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--today", help="run as of this date (YYYY-MM-DD); default: today")

    def handle(self, *args, batch_size, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be a date like 2026-11-28, not {today!r}") from exc
        counts = expire_plans(today=day, batch_size=max(1, batch_size))
        self.stdout.write(f"{counts['expired']} expired, {counts['completed']} completed")
