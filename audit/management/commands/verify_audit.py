"""Check the audit trail's hash chain; exit non-zero if it was tampered with. Nightly."""

from django.core.management.base import BaseCommand, CommandError

from audit.verify import record, verify_chain, verify_lines


class Command(BaseCommand):
    help = (
        "Recompute the audit chain's hashes in seq order and report edited, removed or out-of-order entries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-record", action="store_true", help="Do not store the result for the audit page."
        )
        parser.add_argument(
            "--jsonl", metavar="FILE", help="Check an exported JSON-lines file instead of the database."
        )

    def handle(self, *args, no_record=False, jsonl=None, **options):
        if jsonl:
            with open(jsonl, encoding="utf-8") as lines:
                result = verify_lines(lines)
        else:
            result = verify_chain()
            if not no_record:
                record(result)
        for line in result.notes:
            self.stdout.write(line)
        for line in result.problems:
            self.stderr.write(line)
        summary = f"{result.checked} entries checked (seq {result.first_seq}..{result.last_seq})"
        if not result.ok:
            raise CommandError(f"audit chain BROKEN: {len(result.problems)} problem(s); {summary}")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {summary}"))
