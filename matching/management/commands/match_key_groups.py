from django.core.management.base import BaseCommand

from matching.services import start_nightly_batch


class Command(BaseCommand):
    help = (
        "Recommend vacancies to key-group job seekers up to the monthly target (1:5), one task "
        "per district on the queue (--now: run here, one district after another)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run in this process instead of the queue.")

    def handle(self, *args, now, **options):
        header = start_nightly_batch(run_now=now)
        header.refresh_from_db()
        if now:
            self.stdout.write(
                f"matching {header.batch_label}: {header.seekers} seekers, {header.created} recommendations, "
                f"{header.short} below the target"
            )
        else:
            self.stdout.write(f"matching {header.batch_label}: district partitions queued")
