"""`manage.py backup_db`: a timestamped backup of the database and its manifest (make backup)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import MANIFEST_SUFFIX, BackupError, backup


class Command(BaseCommand):
    # Loading every URL for the system checks takes seconds and is no precondition of a backup.
    requires_system_checks: list[str] = []
    help = (
        "Back up the database (SQLite online backup or pg_dump -Fc) "
        "with a manifest of row counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(settings.VAR_DIR / "backups"), help="Folder for the backup (var/backups)."
        )

    def handle(self, *args, **options):
        try:
            path = backup(Path(options["dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
        self.stdout.write(f"manifest: {path.name}{MANIFEST_SUFFIX}")
