"""The retention job. A dry run unless --wet-run: it then only prints and stores its report."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from retention.services import retention_run


class Command(BaseCommand):
    help = (
        "Mark inactive persons for anonymisation, cancel notices of persons active again, and "
        "anonymise those whose grace period has passed. Writes nothing but a report without --wet-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Really mark, cancel and anonymise.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=settings.PRIVACY["RETENTION_BATCH_SIZE"],
            help="Rows written per transaction (default: PRIVACY['RETENTION_BATCH_SIZE']).",
        )

    def handle(self, *args, wet_run: bool, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        run = retention_run(dry_run=not wet_run, batch_size=batch_size)
        counts = run.counts
        verb = "" if wet_run else "would be "
        self.stdout.write(f"{'Wet' if wet_run else 'Dry'} run {run.pk} at {run.started_at:%Y-%m-%d %H:%M}")
        self.stdout.write(
            f"{verb}marked: {counts['mark']}, {verb}cancelled: {counts['cancel']}, "
            f"{verb}anonymised: {counts['anonymise']}; pending notices: {counts['pending']}"
        )
        for district, by_kind in sorted(counts["by_district"].items()):
            self.stdout.write(
                f"  {district}: marked {by_kind['mark']}, cancelled {by_kind['cancel']}, "
                f"anonymised {by_kind['anonymise']}"
            )
