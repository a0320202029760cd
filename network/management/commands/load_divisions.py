from django.core.management.base import BaseCommand

from config.paths import DIVISION_NAMES_CSV, DIVISIONS_CSV
from network.services import divisions_load


class Command(BaseCommand):
    help = "Load Lhasa's divisions (city, districts, townships) from data/. Safe to run again."

    def handle(self, *args, **options):
        result = divisions_load(csv_path=DIVISIONS_CSV, names_path=DIVISION_NAMES_CSV)
        if options["verbosity"]:
            self.stdout.write(
                "divisions: {created} created, {updated} updated, {total} in file".format(**result)
            )
