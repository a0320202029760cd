"""Remove audit entries older than AUDIT_RETENTION_MONTHS (never under the 6-month floor).

Dry run by default: says what would go. --wet-run writes a checkpoint, deletes, and puts
the purge itself on the trail.
"""

from django.core.management.base import BaseCommand

from audit.purge import purge_audit


class Command(BaseCommand):
    help = "Purge audit entries past retention (dry run unless --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help="Really delete (after a checkpoint).")
        parser.add_argument("--username", default="purge_audit", help="Account named on the checkpoint.")

    def handle(self, *args, wet_run=False, username="purge_audit", **options):
        plan = purge_audit(username=username, wet_run=wet_run)
        verb = "purged" if wet_run else "would purge"
        upto = f" up to seq {plan.last_seq}" if plan.last_seq is not None else ""
        self.stdout.write(f"{verb} {plan.count} audit entries older than {plan.older_than.isoformat()}{upto}")
