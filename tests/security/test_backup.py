"""Backup and restore (issue 7, item 8): back up, change and delete data, restore, and compare
row counts and checksums with the backup's manifest. SQLite always; PostgreSQL when the suite
runs on it (restored into a database of its own, created and dropped here)."""

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.backup import MANIFEST_SUFFIX, BackupError, Database, backup, checksums_of, differences, restore
from occupations.models import Occupation
from people.models import Person
from tests.factories import person as make_person
from tests.factories import valid_id_number

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def register(personas):
    """A few persons with desired occupations, committed, so a backup has something to hold."""
    counsellor = personas["counsellor_chengguan"]
    occupation = Occupation.objects.get(code="4-03-02-01")
    return [
        make_person(
            user=counsellor,
            id_number=valid_id_number(sequence=60 + i),
            address=f"八廓街{i}号",
            desired_occupations=[occupation],
        )
        for i in range(3)
    ]


def manifest_of(path: Path) -> dict:
    return json.loads(path.with_name(path.name + MANIFEST_SUFFIX).read_text())


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


# --- SQLite -----------------------------------------------------------------------------


@pytest.fixture
def live_sqlite(register, tmp_path):
    """The test database (in memory) copied to a WAL file that plays the live database."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite backup: the suite runs on PostgreSQL")
    path = tmp_path / "live.sqlite3"
    copy = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    return Database("sqlite", str(path))


def sqlite_rows(database: Database, sql: str, *params) -> list:
    db = sqlite3.connect(database.location)
    # integrity_check re-evaluates CHECK constraints, some of which Django writes with REGEXP.
    db.create_function("REGEXP", 2, lambda pattern, value: bool(re.search(pattern, str(value or ""))))
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def sqlite_write(database: Database, *statements: str) -> None:
    db = sqlite3.connect(database.location)
    try:
        for statement in statements:
            db.execute(statement)
        db.commit()
    finally:
        db.close()


def test_manifest_counts_every_table_of_the_backup(live_sqlite, register, tmp_path):
    path = backup(tmp_path / "backups", live_sqlite)
    manifest = manifest_of(path)
    assert manifest["vendor"] == "sqlite" and manifest["backup"] == path.name
    tables = manifest["tables"]
    assert tables["people_person"]["rows"] == len(register)
    assert tables["people_person_desired_occupations"]["rows"] == len(register)
    (occupations,) = sqlite_rows(live_sqlite, "SELECT COUNT(*) FROM occupations_occupation")[0]
    assert tables["occupations_occupation"]["rows"] == occupations > 1000
    assert all(len(t["sha256"]) == 64 for t in tables.values())
    assert sqlite_rows(Database("sqlite", str(path)), "PRAGMA integrity_check") == [("ok",)]


def test_restore_brings_back_changed_and_deleted_rows(live_sqlite, register, tmp_path):
    path = backup(tmp_path / "backups", live_sqlite)
    expected = manifest_of(path)["tables"]
    assert differences(expected, checksums_of(live_sqlite)) == []

    reader = sqlite3.connect(live_sqlite.location)  # a connection open across the restore
    sqlite_write(
        live_sqlite,
        "UPDATE people_person SET address = '改过的地址'",
        "DELETE FROM people_person_desired_occupations",
    )
    changed = differences(expected, checksums_of(live_sqlite))
    assert any(line.startswith("people_person:") for line in changed)
    assert any(line.startswith("people_person_desired_occupations:") for line in changed)

    restore(path, live_sqlite)

    assert differences(expected, checksums_of(live_sqlite)) == []
    addresses = sorted(a for (a,) in reader.execute("SELECT address FROM people_person"))
    assert addresses == sorted(p.address for p in register)
    reader.close()
    assert sqlite_rows(live_sqlite, "PRAGMA integrity_check") == [("ok",)]


def test_a_backup_that_does_not_match_its_manifest_is_refused_before_anything_changes(live_sqlite, tmp_path):
    path = backup(tmp_path / "backups", live_sqlite)
    sqlite_write(Database("sqlite", str(path)), "DELETE FROM people_person_desired_occupations")
    sqlite_write(live_sqlite, "UPDATE people_person SET address = '现在的地址'")

    with pytest.raises(BackupError, match="people_person_desired_occupations"):
        restore(path, live_sqlite)
    assert {a for (a,) in sqlite_rows(live_sqlite, "SELECT address FROM people_person")} == {"现在的地址"}


def test_restore_without_a_manifest_is_refused(live_sqlite, tmp_path):
    path = backup(tmp_path / "backups", live_sqlite)
    path.with_name(path.name + MANIFEST_SUFFIX).unlink()
    with pytest.raises(BackupError, match="No manifest"):
        restore(path, live_sqlite)


def test_the_commands_back_up_and_restore(live_sqlite, register, tmp_path):
    url = f"sqlite:///{live_sqlite.location}"
    made = manage("backup_db", "--dir", str(tmp_path / "backups"), database_url=url)
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.splitlines()[0])
    assert path.parent == tmp_path / "backups" and path.name.startswith("lhasa-")
    sqlite_write(live_sqlite, "DELETE FROM people_person_desired_occupations")

    restored = manage("restore_db", str(path), database_url=url)

    assert restored.returncode == 0, restored.stderr
    assert "restored and verified" in restored.stdout
    assert sqlite_rows(live_sqlite, "SELECT COUNT(*) FROM people_person_desired_occupations") == [
        (len(register),)
    ]
    broken = manage("restore_db", str(tmp_path / "nothing.sqlite3"), database_url=url)
    assert broken.returncode != 0 and "No such backup" in broken.stderr


# --- PostgreSQL -------------------------------------------------------------------------


@pytest.fixture
def restore_target():
    """An empty database of its own for the restore, so the test database is never dropped."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL backup: the suite runs on SQLite")
    import psycopg

    source = Database.default()
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_url = source.location.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield Database("postgresql", source.location.rsplit("/", 1)[0] + f"/{name}")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_backup_restores_into_another_database_and_matches(register, restore_target, tmp_path):
    source = Database.default()
    path = backup(tmp_path / "backups", source)
    assert path.suffix == ".pgdump"
    expected = manifest_of(path)["tables"]
    assert expected["people_person"]["rows"] == len(register)

    Person.objects.update(address="改过的地址")
    Person.desired_occupations.through.objects.all().delete()
    assert differences(expected, checksums_of(source)) != []

    restore(path, restore_target)

    assert differences(expected, checksums_of(restore_target)) == []
    import psycopg

    with psycopg.connect(restore_target.location) as db:
        addresses = sorted(a for (a,) in db.execute("SELECT address FROM people_person"))
    assert addresses == sorted(p.address for p in register)


def test_postgres_restore_fails_loudly_on_a_manifest_mismatch(register, restore_target, tmp_path):
    path = backup(tmp_path / "backups", Database.default())
    manifest_path = path.with_name(path.name + MANIFEST_SUFFIX)
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["people_person"]["rows"] += 1
    manifest_path.write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match="(?s)After restoring.*people_person"):
        restore(path, restore_target)
