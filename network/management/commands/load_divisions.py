from django.core.management.base import BaseCommand

from config.paths import DISTRICT_SEATS_CSV, DIVISION_NAMES_CSV, DIVISIONS_CSV
from network.services import divisions_load, seats_load


class Command(BaseCommand):
    help = "Load Lhasa's divisions (city, districts, townships) from data/. Safe to run again."

    def handle(self, *args, **options):
        result = divisions_load(csv_path=DIVISIONS_CSV, names_path=DIVISION_NAMES_CSV)
        result["placed"] = seats_load(csv_path=DISTRICT_SEATS_CSV)
        if options["verbosity"]:
            self.stdout.write(
                "divisions: {created} created, {updated} updated, {total} in file, "
                "{placed} placed at their seat".format(**result)
            )
