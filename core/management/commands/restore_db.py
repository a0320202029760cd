"""`manage.py restore_db FILE`: restore a backup and prove it against its manifest (make restore)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, Database, restore


class Command(BaseCommand):
    # Loading every URL for the system checks takes seconds and is no precondition of a backup.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by backup_db into the database (SQLite: online backup API; "
        "PostgreSQL: pg_restore --clean --if-exists), then verify every table against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file; its .manifest.json must sit beside it.")
        parser.add_argument(
            "--database-url",
            default="",
            help="Restore into this postgres:// URL or sqlite:///path instead of the configured database.",
        )

    def handle(self, *args, **options):
        database = _target(options["database_url"]) if options["database_url"] else None
        try:
            tables = restore(Path(options["file"]), database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(f"restored and verified: {len(tables)} tables, {rows} rows")


def _target(url: str) -> Database:
    if url.startswith("sqlite:///"):
        return Database("sqlite", url.removeprefix("sqlite://"))
    if url.startswith(("postgres://", "postgresql://")):
        return Database("postgresql", url)
    raise CommandError("Give a sqlite:///path or postgres:// URL.")
