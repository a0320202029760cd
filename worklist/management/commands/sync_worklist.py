"""The nightly pass that mirrors recommendation, household and monthly-update deadlines
into work items (idempotent)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from worklist.sync import sync_all


class Command(BaseCommand):
    help = (
        "Open, re-date and close work items for recommendation steps, follow-ups after a hire, "
        "zero-employment households and monthly updates; move items of persons filed elsewhere. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="run as of this date (YYYY-MM-DD); default: today")

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be a date like 2026-11-28, not {today!r}") from exc
        for domain, counts in sync_all(today=day).items():
            summary = ", ".join(f"{name} {value}" for name, value in counts.items())
            self.stdout.write(f"{domain}: {summary}")
