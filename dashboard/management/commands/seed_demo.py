from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from dashboard.demo.builder import DEFAULT_PERSONS, DemoBuilder
from dashboard.demo.jobs_builder import DEFAULT_VACANCIES


class Command(BaseCommand):
    help = (
        "Create a believable demo city: villages, staff for every role, service points, a population, "
        "employers, vacancies and training providers. Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if any staff account exists")
        parser.add_argument(
            "--persons", type=int, default=DEFAULT_PERSONS, help="size of the demo population (0: none)"
        )
        parser.add_argument(
            "--vacancies", type=int, default=DEFAULT_VACANCIES, help="number of demo vacancies (0: none)"
        )

    def handle(self, *args, seed, if_empty, persons, vacancies, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with DJANGO_ENV=production.")
        if if_empty and User.objects.exists():
            self.stdout.write("demo data: database already has accounts, left as it is")
            return
        if not 0 <= persons <= 200_000:
            raise CommandError("--persons must be between 0 and 200000.")
        if not 0 <= vacancies <= 200_000:
            raise CommandError("--vacancies must be between 0 and 200000.")
        result = DemoBuilder(
            seed=seed, today=timezone.localdate(), persons=persons, vacancies=vacancies
        ).build()
        self.stdout.write("demo data: " + ", ".join(f"{k} {v}" for k, v in result.items()))
        # The night's matching, run now, so the demo opens with recommendations to follow.
        from matching.services import start_nightly_batch

        header = start_nightly_batch(today=timezone.localdate(), run_now=True)
        header.refresh_from_db()
        self.stdout.write(
            f"demo matching: {header.created} recommendations for {header.seekers} key-group seekers"
        )
