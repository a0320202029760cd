"""Hand to the queue again the pushes that never reached it or whose sender died mid-send."""

from django.core.management.base import BaseCommand

from notifications.services import requeue_pushes


class Command(BaseCommand):
    help = "Re-enqueue pushes left pending (queue was down) or stuck in sending (worker died)."

    def handle(self, *args, **options):
        count = requeue_pushes()
        self.stdout.write(f"re-enqueued {count} push(es)")
