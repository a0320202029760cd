from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from dashboard.demo.builder import DemoBuilder


class Command(BaseCommand):
    help = (
        "Create a believable demo city: villages, staff for every role, service points. Never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if any staff account exists")

    def handle(self, *args, seed, if_empty, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with DJANGO_ENV=production.")
        if if_empty and User.objects.exists():
            self.stdout.write("demo data: database already has accounts, left as it is")
            return
        result = DemoBuilder(seed=seed, today=timezone.localdate()).build()
        self.stdout.write("demo data: " + ", ".join(f"{k} {v}" for k, v in result.items()))
