from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load every reference table from data/ (divisions, holidays). Idempotent."

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0
        call_command("load_divisions", stdout=None if quiet else self.stdout, verbosity=options["verbosity"])
        call_command("load_holidays", stdout=None if quiet else self.stdout, verbosity=options["verbosity"])
