"""The nightly validity job (§5.3.3): suspend published vacancies not reconfirmed in time."""

from django.conf import settings
from django.core.management.base import BaseCommand

from vacancies.services import suspend_stale_vacancies


class Command(BaseCommand):
    help = "Suspend published vacancies not reconfirmed in VACANCY_RECONFIRM_DAYS days. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, batch_size, **options):
        count = suspend_stale_vacancies(batch_size=max(1, batch_size))
        days = settings.STANDARD["VACANCY_RECONFIRM_DAYS"]
        self.stdout.write(f"suspended {count} vacancies not reconfirmed within {days} days")
