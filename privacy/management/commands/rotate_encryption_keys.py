from django.core.management.base import BaseCommand, CommandError

from audit.models import Action
from audit.services import audit_event
from privacy import crypto, rotation


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column under the current key and algorithm (the first entry of "
        "FIELD_ENCRYPTION_KEYS, FIELD_ENCRYPTION_ALGORITHM). With --reindex, also recompute the persons' "
        "blind indexes (after BLIND_INDEX_KEY changed). Idempotent; values that cannot be decrypted are "
        "reported, left as they are, and make the command exit non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument(
            "--reindex", action="store_true", help="Also recompute people.Person's blind indexes."
        )

    def handle(self, *args, dry_run=False, batch_size=500, reindex=False, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        ring = crypto.keyring_from_settings()
        changed_verb = "to rotate" if dry_run else "rotated"
        self.stdout.write(f"Current key {ring.current_id!r}, algorithm {ring.algorithm}.")
        tallies = []
        for model, fields in rotation.encrypted_fields().items():
            tally = rotation.rotate_model(model, fields, ring=ring, batch_size=batch_size, dry_run=dry_run)
            tallies.append(tally)
            self._report(tally, changed_verb, "already current")
        if reindex:
            tally = rotation.reindex_persons(ring=ring, batch_size=batch_size, dry_run=dry_run)
            tallies.append(tally)
            self._report(tally, "to recompute" if dry_run else "recomputed", "already right")

        failures = [line for tally in tallies for line in tally.failures]
        if not dry_run and any(tally.changed for tally in tallies):
            summary = "; ".join(f"{t.label}: {t.changed}" for t in tallies if t.changed)
            audit_event(
                action=Action.UPDATE,
                username="rotate_encryption_keys",
                note=f"re-encrypted under {ring.current_id}/{ring.algorithm}: {summary}",
            )
        if failures:
            for line in failures:
                self.stderr.write(f"  cannot decrypt: {line}")
            raise CommandError(
                f"{len(failures)} value(s) could not be decrypted and were left unchanged. "
                "Add the key they were written with to FIELD_ENCRYPTION_KEYS and run again."
            )
        self.stdout.write(self.style.SUCCESS("Dry run: nothing written." if dry_run else "Done."))

    def _report(self, tally, changed_verb: str, unchanged_label: str) -> None:
        self.stdout.write(
            f"{tally.label}: {tally.changed} {changed_verb}, {tally.unchanged} {unchanged_label}, "
            f"{len(tally.failures)} failed"
        )
