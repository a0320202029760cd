"""The daily escalation of long-overdue work items to the station head."""

from django.core.management.base import BaseCommand

from worklist.services import escalate_overdue_items


class Command(BaseCommand):
    help = (
        "Tell the station head(s) once about each work item overdue by WORKLIST_ESCALATE_AFTER_DAYS "
        "days or more. Safe to run again."
    )

    def handle(self, *args, **options):
        result = escalate_overdue_items()
        self.stdout.write(f"escalated {result['items']} work items in {result['notices']} notices")
