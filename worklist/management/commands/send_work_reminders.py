"""The daily reminder of work items falling due (to the assignee, or the unit's counsellors)."""

from django.core.management.base import BaseCommand

from worklist.services import send_work_reminders


class Command(BaseCommand):
    help = (
        "Remind staff of work items due within WORKLIST_REMINDER_DAYS_BEFORE days; never twice "
        "within 24 hours, not for items overdue by more than a day. Safe to run again."
    )

    def handle(self, *args, **options):
        result = send_work_reminders()
        self.stdout.write(f"reminded {result['items']} work items in {result['notices']} notices")
