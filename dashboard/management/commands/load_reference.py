from django.core.management import call_command
from django.core.management.base import BaseCommand

from assistance.services import assistance_measures_load
from config.paths import INDUSTRIES_CSV, KEY_GROUPS_CSV, OCCUPATION_NAMES_CSV, OCCUPATIONS_CSV
from industries.services import industries_load
from keygroups.services import categories_load
from occupations.services import occupations_load
from policies.services import policies_load
from servicerecords.services import service_types_load


class Command(BaseCommand):
    help = (
        "Load every reference table from data/ (divisions, holidays, occupations, key groups, industries, "
        "policies). "
        "Idempotent."
    )

    def handle(self, *args, **options):
        quiet = options["verbosity"] == 0
        call_command("load_divisions", stdout=None if quiet else self.stdout, verbosity=options["verbosity"])
        call_command("load_holidays", stdout=None if quiet else self.stdout, verbosity=options["verbosity"])
        occupations = occupations_load(csv_path=OCCUPATIONS_CSV, names_path=OCCUPATION_NAMES_CSV)
        groups = categories_load(csv_path=KEY_GROUPS_CSV)
        industries = industries_load(INDUSTRIES_CSV)
        policies = policies_load()
        service_types = service_types_load()
        measures = assistance_measures_load()
        if not quiet:
            self.stdout.write(
                f"Occupations: {occupations['created']} created, {occupations['updated']} updated, "
                f"{occupations['total']} in file. Key-group categories: {groups['created']} added. "
                f"Industries: {industries['created']} created, {industries['updated']} updated. "
                f"Policies: {policies['created']} created, {policies['updated']} updated. "
                f"Service types: {service_types['created']} added. "
                f"Assistance by key group: {measures['created']} added."
            )
