"""Backup and restore of the whole database, with a manifest that proves a restore.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot
even while the service writes in WAL mode. PostgreSQL: `pg_dump -Fc`, taken in the same
exported snapshot that the manifest is computed from, so the two always agree.

The manifest (`<backup>.manifest.json`) holds, per table, the row count and a sha256 of the
rows in primary-key order under a stable serialisation. `restore` checks the backup against
it before touching the target and checks the target again afterwards; any difference fails.
"""

import datetime
import decimal
import hashlib
import json
import shutil
import sqlite3

# pg_dump and pg_restore run with argument lists, never through a shell.
import subprocess  # nosec B404
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

MANIFEST_SUFFIX = ".manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that must not be trusted; the message says why."""


@dataclass(frozen=True)
class Database:
    vendor: str  # "sqlite" or "postgresql"
    location: str  # the SQLite file, or a postgres:// URL

    @classmethod
    def default(cls) -> "Database":
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            return cls("sqlite", str(db["NAME"]))
        if db["ENGINE"].endswith("postgresql"):
            return cls("postgresql", postgres_url(db))
        raise BackupError(f"No backup method for {db['ENGINE']}.")


def postgres_url(db: dict) -> str:
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{user}{password}@{host}{port}/{db['NAME']}"


# --- checksums ---------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(cursor) -> dict[str, list[str]]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    )
    tables = {}
    for (name,) in cursor.fetchall():
        cursor.execute(f"PRAGMA table_info({_quote(name)})")
        pk = sorted((row[5], row[1]) for row in cursor.fetchall() if row[5])
        tables[name] = [column for _, column in pk]
    return tables


def _postgres_tables(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    tables = {name: [] for (name,) in cursor.fetchall()}
    cursor.execute(
        """
        SELECT c.relname, a.attname
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
        WHERE i.indisprimary
        ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)
        """
    )
    for table, column in cursor.fetchall():
        if table in tables:
            tables[table].append(column)
    return tables


def table_checksums(cursor, vendor: str) -> dict[str, dict]:
    """{table: {"rows": n, "sha256": hex}} over every table, rows in primary-key order."""
    tables = _sqlite_tables(cursor) if vendor == "sqlite" else _postgres_tables(cursor)
    result = {}
    for table in sorted(tables):
        # Table and column names come from the database's own catalogue, quoted.
        cursor.execute(f"SELECT * FROM {_quote(table)} LIMIT 0")  # noqa: S608
        width = len(cursor.description)
        # Without a primary key (full-text shadow tables) every column orders the rows.
        order = ", ".join(_quote(c) for c in tables[table]) or ", ".join(str(i) for i in range(1, width + 1))
        cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
        digest = hashlib.sha256()
        count = 0
        while rows := cursor.fetchmany(2000):
            for row in rows:
                line = json.dumps([_plain(v) for v in row], ensure_ascii=False, separators=(",", ":"))
                digest.update(line.encode() + b"\n")
            count += len(rows)
        result[table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def checksums_of(database: Database) -> dict[str, dict]:
    if database.vendor == "sqlite":
        db = sqlite3.connect(f"file:{database.location}?mode=ro", uri=True)
        try:
            return table_checksums(db.cursor(), "sqlite")
        finally:
            db.close()
    import psycopg

    with psycopg.connect(database.location) as db, db.cursor() as cursor:
        return table_checksums(cursor, "postgresql")


def differences(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    lines = []
    for table in sorted(set(expected) | set(actual)):
        want, have = expected.get(table), actual.get(table)
        if want == have:
            continue
        if want is None or have is None:
            lines.append(f"{table}: {'missing' if have is None else 'not in the backup'}")
        else:
            lines.append(f"{table}: {want['rows']} rows expected, {have['rows']} found (or contents differ)")
    return lines


# --- backup ------------------------------------------------------------------------------


def _write_manifest(path: Path, database: Database, tables: dict) -> Path:
    manifest = {
        "format": FORMAT,
        "vendor": database.vendor,
        "backup": path.name,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "tables": tables,
    }
    target = path.with_name(path.name + MANIFEST_SUFFIX)
    target.write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False))
    return target


def backup(directory: Path, database: Database | None = None) -> Path:
    """Write a timestamped backup and its manifest into `directory`; return the backup's path."""
    database = database or Database.default()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    if database.vendor == "sqlite":
        path = directory / f"lhasa-{stamp}.sqlite3"
        source = sqlite3.connect(database.location)
        copy = sqlite3.connect(path)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
        tables = checksums_of(Database("sqlite", str(path)))
    else:
        path = directory / f"lhasa-{stamp}.pgdump"
        tables = _pg_dump(database, path)
    _write_manifest(path, database, tables)
    return path


def _pg_dump(database: Database, path: Path) -> dict:
    import psycopg

    with psycopg.connect(database.location) as db:
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}", database.location])
        with db.cursor() as cursor:
            tables = table_checksums(cursor, "postgresql")
        db.execute("COMMIT")
    return tables


def _run(command: list[str]) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(f"{command[0]} is not installed.")
    # An argument list to a PostgreSQL client found on PATH; no shell is involved.
    done = subprocess.run(  # noqa: S603  # nosec B603
        [executable, *command[1:]], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


# --- restore -----------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    manifest_path = path.with_name(path.name + MANIFEST_SUFFIX)
    try:
        manifest = json.loads(manifest_path.read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"No manifest beside the backup: {manifest_path}") from exc
    except ValueError as exc:
        raise BackupError(f"The manifest is not valid JSON: {manifest_path}") from exc
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"Not a manifest of this format: {manifest_path}")
    return manifest


def _verify(expected: dict, database: Database, when: str) -> None:
    problems = differences(expected, checksums_of(database))
    if problems:
        raise BackupError(f"{when}, the data does not match the manifest:\n  " + "\n  ".join(problems))


def restore(path: Path, database: Database | None = None) -> dict:
    """Restore `path` into the database, then prove it against the manifest. Returns the tables."""
    database = database or Database.default()
    if not path.is_file():
        raise BackupError(f"No such backup: {path}")
    manifest = read_manifest(path)
    if manifest["vendor"] != database.vendor:
        raise BackupError(f"A {manifest['vendor']} backup cannot be restored into {database.vendor}.")
    expected = manifest["tables"]
    if database.vendor == "sqlite":
        _verify(expected, Database("sqlite", str(path)), "Before restoring")  # never restore a bad file
        _sqlite_restore(path, Path(database.location))
    else:
        _run(["pg_restore", "--list", str(path)])  # a readable archive, before anything is dropped
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={database.location}",
                str(path),
            ]
        )
    _verify(expected, database, "After restoring")
    return expected


def _sqlite_restore(path: Path, target: Path) -> None:
    # The backup API writes into the live database under its own lock, in one step, and
    # keeps its WAL consistent; replacing the file under open connections (or next to a
    # stale -wal file) could mix old and new pages.
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    live = sqlite3.connect(
        target, timeout=settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 20)
    )
    try:
        source.backup(live)
    finally:
        live.close()
        source.close()
