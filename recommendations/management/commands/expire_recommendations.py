"""The nightly expiry of recommendation steps (no answer in time) and of recommendations
whose vacancy closed or whose person stopped looking for work."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from recommendations.services import expire_recommendations


class Command(BaseCommand):
    help = (
        "Expire recommendation steps past their deadline and withdraw recommendations of closed "
        "vacancies and of persons no longer looking for work. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--today", help="run as of this date (YYYY-MM-DD); default: today")

    def handle(self, *args, batch_size, today=None, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be a date like 2026-11-28, not {today!r}") from exc
        count = expire_recommendations(today=day, batch_size=max(1, batch_size))
        self.stdout.write(f"changed {count} recommendations (expired or withdrawn)")
