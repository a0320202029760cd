"""The nightly 一人一策 check (§5.4.3): a task for each person who crossed the long-term
unemployment threshold without a personal policy plan."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from guidance.policy_services import personal_policy_tasks


class Command(BaseCommand):
    help = (
        "Open a PERSONAL_POLICY work item for each long-term unemployed person without a current "
        "personal policy plan, and cancel those no longer needed. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="run as of this date (YYYY-MM-DD); default: today")

    def handle(self, *args, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be a date like 2026-11-28, not {today!r}") from exc
        counts = personal_policy_tasks(today=day)
        self.stdout.write(f"{counts['opened']} opened, {counts['cancelled']} cancelled")
