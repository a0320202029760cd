"""Crash safety (issue 7, item 8): a process killed in the middle of an Excel import leaves
no partial rows.

people.imports writes the whole file in ONE transaction, also with "import valid rows
only" (its batches of 1,000 are inside that transaction), so a kill rolls everything back.
This test proves it with a real process and a real SIGKILL: a child process imports a
generated 5,000-row workbook into a database FILE (the SQLite test database copied to
tmp_path, or the PostgreSQL test database), pauses once the first batch is written inside
the open transaction, and is killed. Afterwards the register has not changed, the database
is sound, and the same file imports completely (no stale lock, nothing half-done to skip).
"""

import datetime
import io
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from openpyxl import Workbook

from people import imports
from tests.factories import valid_id_number

ROWS = 5_000
BAD_ROWS = 1  # so the "valid rows only" path, the one that could commit in parts, is taken
WAIT_SECONDS = 120

# Runs in the child. A seam in people.imports (`_new_persons` builds each batch) lets it
# report once one batch is already written inside the open transaction, then hold still
# so the kill surely lands mid-import.
CHILD = """
import os, sys, time
import django
django.setup()
from accounts.models import User
from people import imports
from people.models import Person

workbook, marker, username, pause = sys.argv[1:5]
batches = 0
build = imports._new_persons

def new_persons(rows, acting_user):
    global batches
    batches += 1
    if batches == 2 and pause == "pause":
        with open(marker + ".part", "w") as out:
            out.write(str(Person.objects.count()))  # seen from inside the transaction
        os.replace(marker + ".part", marker)
        time.sleep(600)
    return build(rows, acting_user)

imports._new_persons = new_persons
with open(workbook, "rb") as handle:
    report = imports.persons_import(
        acting_user=User.objects.get(username=username), file=handle, valid_rows_only=True
    )
print(f"imported={report.imported} errors={len(report.errors)} committed={report.committed}")
"""


def workbook(path: Path) -> Path:
    keys = [c.key for c in imports.COLUMNS]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("persons")
    sheet.append([imports.COLUMN_BY_KEY[k].zh for k in keys])
    first_birth = datetime.date(1970, 1, 1)
    for i in range(ROWS):
        birth = (first_birth + datetime.timedelta(days=i // 50)).strftime("%Y%m%d")
        id_number = valid_id_number(birth=birth, sequence=i % 50, male=i % 2 == 0)
        if i == ROWS // 2:
            id_number = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")  # wrong check digit
        values = {
            "name_zh": "扎西",
            "name_bo": "བཀྲ་ཤིས།",
            "id_number": id_number,
            "phone": f"138{i:08d}",
            "unit": "540102002",
            "employment_status": "unemployed" if i % 3 else "employed",
        }
        sheet.append([values.get(k) for k in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _regexp(pattern, value) -> bool:
    return value is not None and re.search(pattern, str(value)) is not None


class Target:
    """The database the child writes to, seen from this process without Django's connection."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            # Copy the in-memory test database (migrated, reference data, personas) to a file.
            self.path = tmp_path / "import.sqlite3"
            copy = sqlite3.connect(self.path)
            connection.ensure_connection()
            connection.connection.backup(copy)
            copy.close()
            self.url = f"sqlite:///{self.path}"
        else:
            test = connection.settings_dict
            self.url = f"postgres://{test['USER']}@{test['HOST']}:{test['PORT']}/{test['NAME']}"

    def scalar(self, sql: str):
        return self.rows(sql)[0][0]

    def rows(self, sql: str) -> list:
        if self.vendor == "sqlite":
            db = sqlite3.connect(self.path)
            # integrity_check re-evaluates CHECK constraints, some of which Django writes with REGEXP.
            db.create_function("REGEXP", 2, _regexp, deterministic=True)
            try:
                return db.execute(sql).fetchall()
            finally:
                db.close()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def persons(self) -> int:
        return self.scalar("SELECT COUNT(*) FROM people_person")

    def orphan_links(self) -> int:
        return self.scalar(
            "SELECT COUNT(*) FROM people_person_desired_occupations l "
            "LEFT JOIN people_person p ON p.id = l.person_id WHERE p.id IS NULL"
        )


def child(target: Target, book: Path, marker: Path, username: str, *, pause: bool) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": target.url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script, no shell
        [sys.executable, "-c", CHILD, str(book), str(marker), username, "pause" if pause else "run"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(marker: Path, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + WAIT_SECONDS
    while not marker.exists():
        if process.poll() is not None:
            pytest.fail(f"the import ended before the kill: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the import never reached its second batch")
        time.sleep(0.1)
    return int(marker.read_text())


@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_no_partial_rows(personas, tmp_path):
    username = personas["counsellor_chengguan"].username
    target = Target(tmp_path)
    book = workbook(tmp_path / "persons.xlsx")
    before = target.persons()

    process = child(target, book, tmp_path / "in-progress", username, pause=True)
    seen_inside = wait_for(tmp_path / "in-progress", process)
    assert seen_inside == before + imports.BATCH, "the first batch was written inside the transaction"
    assert target.persons() == before, "nothing is visible outside the transaction yet"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert target.persons() == before
    assert target.orphan_links() == 0
    if target.vendor == "sqlite":
        assert target.scalar("PRAGMA integrity_check") == "ok"
        assert target.rows("PRAGMA foreign_key_check") == []

    # The same file then imports in full: no lock left behind, nothing half-done.
    again = child(target, book, tmp_path / "unused", username, pause=False)
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err[-3000:]
    assert f"imported={ROWS - BAD_ROWS} errors={BAD_ROWS} committed=True" in out
    assert target.persons() == before + ROWS - BAD_ROWS
