from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load every reference table from data/ (divisions, holidays). Idempotent."

    def handle(self, *args, **options):
        call_command("load_divisions", stdout=self.stdout)
        call_command("load_holidays", stdout=self.stdout)
