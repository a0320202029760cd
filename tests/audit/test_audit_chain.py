"""The audit trail's hash chain: sealed appends, database-level append-only, verify_audit
naming what was edited or removed, and the retention purge's checkpoint."""

import datetime
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone, translation

from audit import chain, dbguard
from audit.models import Action, AuditCheckpoint, AuditEntry, AuditVerification
from audit.services import audit_event

pytestmark = pytest.mark.django_db


def _three(user=None):
    return [
        audit_event(action=Action.LOGIN, username=f"user{i}", actor=user, note=f"entry {i}")
        for i in range(1, 4)
    ]


def _verify() -> tuple[bool, str, str]:
    # The report is in the active language; the assertions below read the English one.
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


@contextmanager
def guard_dropped():
    """An attacker with DDL rights on the database: the append-only triggers are gone for a
    moment. (Inside the test's transaction, so the triggers come back on rollback too.)"""
    dbguard.uninstall(connection)
    try:
        yield connection.cursor()
    finally:
        dbguard.install(connection)


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_appends_form_one_verified_chain(personas):
    entries = _three(personas["sysadmin"])
    seqs = [e.seq for e in entries]
    assert seqs == list(range(seqs[0], seqs[0] + 3))
    assert entries[1].prev_hash == entries[0].entry_hash and entries[2].prev_hash == entries[1].entry_hash
    stored = AuditEntry.objects.get(pk=entries[1].pk)
    assert chain.entry_hash(stored) == stored.entry_hash  # what the database gives back hashes the same
    ok, out, err = _verify()
    assert ok, err
    assert "intact" in out
    assert AuditVerification.objects.latest("id").ok


def test_the_hash_is_keyed(settings):
    entry = _three()[0]
    settings.AUDIT_CHAIN_KEY = "another key"
    assert chain.entry_hash(entry) != entry.entry_hash


def test_orm_refuses_to_rewrite_or_remove(personas):
    entry = _three()[0]
    entry.note = "tampered"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    with pytest.raises(RuntimeError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    with pytest.raises(RuntimeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(RuntimeError):
        AuditEntry.objects.create(action=Action.LOGIN, actor_username="unsealed")
    with pytest.raises(RuntimeError):
        AuditEntry.objects.bulk_create([AuditEntry(action=Action.LOGIN)])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET note = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete(sql):
    entry = _three()[1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == "entry 2"


def test_the_database_refuses_emptying_the_trail():
    """PostgreSQL's TRUNCATE fires no row trigger, so it has a trigger of its own; SQLite has no
    TRUNCATE, and its DELETE without WHERE (the truncate optimisation) still fires the row trigger."""
    _three()
    sql = "TRUNCATE audit_auditentry" if connection.vendor == "postgresql" else "DELETE FROM audit_auditentry"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(sql)
    assert AuditEntry.objects.count() >= 3


def test_flush_empties_the_trail_and_puts_the_guard_back():
    _three()
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == 0
    audit_event(action=Action.LOGIN, username="after-flush", note="entry")
    sql = "TRUNCATE audit_auditentry" if connection.vendor == "postgresql" else "DELETE FROM audit_auditentry"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(sql)


def test_an_edited_entry_is_named(personas):
    entries = _three()
    with guard_dropped() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = 'nothing happened' WHERE id = %s", [entries[1].pk])
    ok, _, err = _verify()
    assert not ok
    assert (
        f"entry seq {entries[1].seq} (id {entries[1].pk}, time {chain.utc_iso(entries[1].at)}) was edited"
        in err
    )
    assert f"seq {entries[0].seq} " not in err and f"seq {entries[2].seq} " not in err
    assert not AuditVerification.objects.latest("id").ok


def test_a_rehashed_entry_without_the_key_still_breaks_the_chain():
    entries = _three()
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.note = "nothing happened"
    # Plain sha256 or a guessed key: the attacker does not hold AUDIT_CHAIN_KEY.
    forged_hash = chain.entry_hash(forged, key=b"guess")
    with guard_dropped() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET note = %s, entry_hash = %s WHERE id = %s",
            [forged.note, forged_hash, forged.pk],
        )
    ok, _, err = _verify()
    assert not ok and f"entry seq {entries[1].seq} " in err


def test_a_removed_entry_shows_as_a_gap():
    entries = _three()
    with guard_dropped() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    ok, _, err = _verify()
    assert not ok
    assert f"entries seq {entries[1].seq}..{entries[1].seq} deleted" in err


def test_a_removed_tail_shows_against_the_chain_head():
    entries = _three()
    with guard_dropped() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq >= %s", [entries[1].seq])
    ok, _, err = _verify()
    assert not ok
    assert f"entries seq {entries[1].seq}..{entries[2].seq} deleted" in err


def _entry_at(when: datetime.datetime, note: str) -> AuditEntry:
    with time_machine.travel(when, tick=False):
        return audit_event(action=Action.LOGIN, username="old", note=note)


def test_purge_keeps_the_retention_and_the_chain_verifies_after(settings):
    now = timezone.now()
    thirteen = _entry_at(now - datetime.timedelta(days=400), "13 months")
    seven = _entry_at(now - datetime.timedelta(days=215), "7 months")
    one = _entry_at(now - datetime.timedelta(days=30), "1 month")
    settings.AUDIT_RETENTION_MONTHS = 12

    out = io.StringIO()
    call_command("purge_audit", stdout=out)  # dry run
    assert "would purge 1 " in out.getvalue()
    assert AuditEntry.objects.filter(pk=thirteen.pk).exists()

    call_command("purge_audit", "--wet-run", stdout=io.StringIO())
    assert not AuditEntry.objects.filter(pk=thirteen.pk).exists()
    assert AuditEntry.objects.filter(pk__in=[seven.pk, one.pk]).count() == 2
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.seq, checkpoint.entry_hash, checkpoint.purged) == (
        thirteen.seq,
        thirteen.entry_hash,
        1,
    )
    assert AuditEntry.objects.filter(action=Action.AUDIT_PURGE).count() == 1
    ok, out_text, err = _verify()
    assert ok, err
    assert f"chain starts at seq {thirteen.seq + 1} after purge checkpoint {thirteen.entry_hash}" in out_text


def test_purge_never_goes_under_six_months(settings):
    now = timezone.now()
    seven = _entry_at(now - datetime.timedelta(days=215), "7 months")
    five = _entry_at(now - datetime.timedelta(days=150), "5 months")
    settings.AUDIT_RETENTION_MONTHS = 1  # below the standard's floor: the floor wins
    call_command("purge_audit", "--wet-run", stdout=io.StringIO())
    assert not AuditEntry.objects.filter(pk=seven.pk).exists()
    assert AuditEntry.objects.filter(pk=five.pk).exists()
    assert _verify()[0]


def test_purge_deletes_nothing_but_through_its_checkpoint():
    _three()
    assert AuditCheckpoint.objects.count() == 0
    call_command("purge_audit", "--wet-run", stdout=io.StringIO())
    assert AuditCheckpoint.objects.count() == 0  # nothing old enough
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("DELETE FROM audit_auditentry")


def test_exports_carry_the_hashes_and_verify_offline(personas, page_client, tmp_path):
    entries = _three()
    auditor = page_client(personas["auditadmin"])
    xlsx = auditor.get("/audit/", {"format": "xlsx"})
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    seq_col, hash_col = 0, len(rows[0]) - 1
    by_seq = {row[seq_col]: row for row in rows[1:]}
    assert by_seq[entries[2].seq][hash_col] == entries[2].entry_hash
    assert by_seq[entries[2].seq][hash_col - 1] == entries[1].entry_hash

    jsonl = auditor.get("/audit/", {"format": "jsonl"})
    text = b"".join(jsonl.streaming_content).decode()
    lines = text.splitlines()
    assert [json.loads(line)["seq"] for line in lines] == sorted(json.loads(line)["seq"] for line in lines)
    good = tmp_path / "audit.jsonl"
    good.write_text(text, encoding="utf-8")
    call_command("verify_audit", "--jsonl", str(good), stdout=io.StringIO())

    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text(text.replace('"note":"entry 2"', '"note":"entry two"'), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("verify_audit", "--jsonl", str(tampered), stdout=io.StringIO(), stderr=io.StringIO())
    # The export itself is on the trail.
    assert AuditEntry.objects.filter(action=Action.EXPORT, actor_username="auditadmin").count() == 2


def test_the_audit_page_shows_the_last_check(personas, page_client):
    _three()
    _verify()
    page = page_client(personas["auditadmin"]).get("/audit/")
    assert 'data-chain="ok"' in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's in-memory test database is not shared by threads (tests/security covers a file)"
        )
    writers, each = 4, 10
    barrier = threading.Barrier(writers)

    def write(n):
        try:
            barrier.wait(timeout=30)
            for i in range(each):
                audit_event(action=Action.LOGIN, username=f"w{n}", note=str(i))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=writers) as pool:
        list(pool.map(write, range(writers)))
    rows = list(AuditEntry.objects.order_by("seq").values_list("seq", "prev_hash", "entry_hash"))
    assert len(rows) == writers * each
    assert [r[0] for r in rows] == list(range(rows[0][0], rows[0][0] + len(rows)))
    assert all(b[1] == a[2] for a, b in zip(rows, rows[1:], strict=False))
    assert _verify()[0]
