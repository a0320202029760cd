from pathlib import Path

from django.core.management.base import BaseCommand

from config.paths import HOLIDAYS_CSV
from workcalendar.services import holidays_load


class Command(BaseCommand):
    help = "Load official days off and make-up days from a CSV (date,kind,region,name). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=HOLIDAYS_CSV)

    def handle(self, *args, file, **options):
        result = holidays_load(csv_path=file)
        if options["verbosity"]:
            self.stdout.write(f"holidays: {result['created']} created, {result['updated']} updated")
