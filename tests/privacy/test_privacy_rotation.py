"""rotate_encryption_keys: old values stay readable, the command moves them to the new key."""

import base64
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.models import Action, AuditEntry
from core.errors import ValidationFailed
from households.models import Allowance, Household
from households.services import household_create
from network.models import OrgUnit
from people.models import Person
from people.selectors import person_list
from privacy import crypto
from tests.factories import person, valid_id_number

KEY_A = "ka=" + base64.b64encode(bytes(range(32))).decode()
KEY_B = "kb=" + base64.b64encode(bytes(range(50, 82))).decode()
KEY_Z = "kz=" + base64.b64encode(bytes(range(200, 232))).decode()
INDEX_1 = base64.b64encode(bytes(range(1, 33))).decode()
INDEX_2 = base64.b64encode(bytes(range(7, 39))).decode()


def raw_rows(table: str, columns: list[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(columns)} FROM {table} ORDER BY id")  # noqa: S608
        return cursor.fetchall()


def person_tokens() -> list[str]:
    rows = raw_rows("people_person", ["id_number", "phone", "disability_details"])
    return [value for row in rows for value in row[1:] if value]


def household_tokens() -> list[str]:
    return [row[1] for row in raw_rows("households_household", ["allowance_status"]) if row[1]]


def rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_encryption_keys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def under_key_a(settings, personas):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    settings.FIELD_ENCRYPTION_ALGORITHM = "aes-gcm"
    settings.BLIND_INDEX_KEY = INDEX_1
    user = personas["counsellor_chengguan"]
    persons = [
        person(
            user=user,
            sequence=n,
            name_zh=f"扎西{n}",
            name_bo=f"བཀྲ་ཤིས་{n}",
            phone=f"1381234{n:04d}",
            disability_details="左腿残疾 རྐང་པ།" if n % 2 else "",
        )
        for n in range(1, 6)
    ]
    household = household_create(
        acting_user=user, unit=OrgUnit.objects.get(code="540102002"), allowance_status=Allowance.DIBAO
    )
    expected = {p.pk: (p.id_number, p.phone, p.disability_details) for p in persons}
    return {"user": user, "persons": persons, "household": household, "expected": expected}


def read_back(expected):
    return {p.pk: (p.id_number, p.phone, p.disability_details) for p in Person.objects.all()} == expected


def test_values_start_under_key_a(under_key_a):
    tokens = person_tokens() + household_tokens()
    assert len(tokens) == 5 * 2 + 3 + 1
    assert all(token.startswith("e1:aes-gcm:ka:") for token in tokens)


def test_rotation_to_a_new_key(settings, under_key_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    # Adding the new key first changes nothing stored, and old rows still read.
    assert read_back(under_key_a["expected"])
    assert all(token.startswith("e1:aes-gcm:ka:") for token in person_tokens())

    output = rotate("--batch-size", "2")
    assert "people.Person: 13 rotated, 0 already current, 0 failed" in output
    assert "households.Household: 1 rotated" in output
    tokens = person_tokens() + household_tokens()
    assert tokens and all(token.startswith("e1:aes-gcm:kb:") for token in tokens)
    assert AuditEntry.objects.filter(action=Action.UPDATE, actor_username="rotate_encryption_keys").exists()

    # With the old key gone, everything still reads.
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert read_back(under_key_a["expected"])
    assert Household.objects.get().allowance_status == Allowance.DIBAO

    # Idempotent: a second run finds nothing to do.
    before = person_tokens()
    assert "people.Person: 0 rotated, 13 already current, 0 failed" in rotate()
    assert person_tokens() == before


def test_rotation_does_not_touch_versions_or_timestamps(settings, under_key_a):
    before = raw_rows("people_person", ["version", "updated_at", "id_number_index", "phone_index"])
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    rotate()
    assert raw_rows("people_person", ["version", "updated_at", "id_number_index", "phone_index"]) == before


def test_dry_run_counts_and_writes_nothing(settings, under_key_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    before = person_tokens() + household_tokens()
    output = rotate("--dry-run")
    assert "people.Person: 13 to rotate, 0 already current, 0 failed" in output
    assert "households.Household: 1 to rotate" in output
    assert person_tokens() + household_tokens() == before


def test_rotation_to_sm4(settings, under_key_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    settings.FIELD_ENCRYPTION_ALGORITHM = "sm4-gcm"
    assert read_back(under_key_a["expected"])
    rotate()
    tokens = person_tokens() + household_tokens()
    assert all(token.startswith("e1:sm4-gcm:kb:") for token in tokens)
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert read_back(under_key_a["expected"])
    # Same key, algorithm back to AES: only the algorithm changes, values still read.
    settings.FIELD_ENCRYPTION_ALGORITHM = "aes-gcm"
    rotate()
    assert all(token.startswith("e1:aes-gcm:kb:") for token in person_tokens())
    assert read_back(under_key_a["expected"])


def test_new_rows_use_the_new_key_and_mix_with_old(settings, under_key_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    person(user=under_key_a["user"], sequence=9, name_zh="新人", name_bo="གསར་པ།", phone="13900001111")
    output = rotate()
    assert "people.Person: 13 rotated, 2 already current, 0 failed" in output


def test_undecryptable_value_is_reported_and_left_alone(settings, under_key_a):
    victim = under_key_a["persons"][1]
    # A value written under a key this deployment no longer has, and a value copied from
    # another column (the context binds each value to its column).
    lost = crypto.encrypt(
        "右眼", context="people.person.disability_details", keyring=crypto._keyring((KEY_Z,), "aes-gcm", "x")
    )
    moved = raw_rows("people_person", ["phone"])[0][1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE people_person SET disability_details = %s WHERE id = %s", [lost, victim.pk])
        cursor.execute(
            "UPDATE people_person SET disability_details = %s WHERE id = %s",
            [moved, under_key_a["persons"][3].pk],
        )
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 value"):
        call_command("rotate_encryption_keys", stdout=io.StringIO(), stderr=err)
    assert f"pk={victim.pk} disability_details" in err.getvalue()
    rows = dict(
        (row[0], row[1:]) for row in raw_rows("people_person", ["id_number", "phone", "disability_details"])
    )
    assert rows[victim.pk][2] == lost  # untouched
    assert rows[under_key_a["persons"][3].pk][2] == moved
    # Everything else moved on.
    assert rows[victim.pk][0].startswith("e1:aes-gcm:kb:")
    others = [v for pk, row in rows.items() for v in row if v and v not in (lost, moved)]
    assert all(v.startswith("e1:aes-gcm:kb:") for v in others)

    # The dry run reports it too, and still exits non-zero.
    with pytest.raises(CommandError):
        call_command("rotate_encryption_keys", "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())


def test_bad_batch_size(under_key_a):
    with pytest.raises(CommandError, match="batch-size"):
        rotate("--batch-size", "0")


def test_reindex_after_a_new_blind_index_key(settings, under_key_a):
    user = under_key_a["user"]
    target = under_key_a["persons"][2]
    full_id = target.id_number
    assert list(person_list(user=user, q=full_id)) == [target]

    settings.BLIND_INDEX_KEY = INDEX_2
    # Without re-indexing, searching by the full number finds nothing.
    assert not person_list(user=user, q=full_id).exists()
    assert "people.Person blind indexes: 5 to recompute" in rotate("--reindex", "--dry-run")
    assert not person_list(user=user, q=full_id).exists()

    output = rotate("--reindex", "--batch-size", "2")
    assert "people.Person blind indexes: 5 recomputed, 0 already right, 0 failed" in output
    assert list(person_list(user=user, q=full_id)) == [target]
    assert list(person_list(user=user, q=full_id.lower())) == [target]
    assert list(person_list(user=user, q=target.phone)) == [target]
    # The duplicate check uses the new index too.
    with pytest.raises(ValidationFailed) as caught:
        person(user=user, id_number=full_id, name_zh="别人", name_bo="གཞན།")
    assert "id_number" in caught.value.errors
    assert "0 recomputed, 5 already right" in rotate("--reindex")


def test_reindex_with_key_rotation_together(settings, under_key_a):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]  # key A lost: nothing can be read
    settings.BLIND_INDEX_KEY = INDEX_2
    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("rotate_encryption_keys", "--reindex", stdout=io.StringIO(), stderr=io.StringIO())
    assert all(token.startswith("e1:aes-gcm:ka:") for token in person_tokens())

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    rotate("--reindex")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    number = valid_id_number(sequence=4)
    assert person_list(user=under_key_a["user"], q=number).get().id_number == number
