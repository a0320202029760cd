"""What the database holds: no plaintext ID number, phone, allowance or disability details."""

import pytest
from django.db import connection

from households.models import Allowance, Household
from households.services import household_create
from network.models import OrgUnit
from people.choices import Disability
from people.models import Person
from privacy import crypto
from tests.factories import person, valid_id_number

ID_NUMBER = valid_id_number(area="540102", birth="19870512", sequence=37, male=False)
PHONE = "13989012345"
DETAILS = "左腿肢体残疾二级 རྐང་པ་གཡོན་མ།"
MASKED_COLUMNS = {"id_number_masked", "phone_masked"}


def raw_row(table: str, pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])  # noqa: S608
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def runs(value: str, length: int = 8) -> set[str]:
    return {value[i : i + length] for i in range(len(value) - length + 1)}


@pytest.fixture
def stored(personas):
    user = personas["counsellor_chengguan"]
    household = household_create(
        acting_user=user, unit=OrgUnit.objects.get(code="540102002"), allowance_status=Allowance.TEKUN
    )
    subject = person(
        user=user,
        id_number=ID_NUMBER,
        phone=PHONE,
        disability_details=DETAILS,
        disability=Disability.GRADE_2,
    )
    return {"person": subject, "household": household}


def test_person_row_holds_no_identifier_in_the_clear(stored):
    row = raw_row("people_person", stored["person"].pk)
    secrets = {ID_NUMBER, PHONE, ID_NUMBER[-8:], PHONE[-8:]} | runs(ID_NUMBER) | runs(PHONE)
    for column, value in row.items():
        if column in MASKED_COLUMNS or value is None:
            continue
        text = str(value)
        leaked = {secret for secret in secrets if secret in text}
        assert not leaked, f"people_person.{column} holds {leaked}"
    # The masked columns show no more than the mask allows.
    assert row["id_number_masked"] == f"{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}"
    assert row["phone_masked"] == f"{PHONE[:3]}****{PHONE[-4:]}"


def test_disability_details_are_encrypted(stored):
    row = raw_row("people_person", stored["person"].pk)
    assert row["disability_details"].startswith("e1:")
    for column, value in row.items():
        assert "残疾" not in str(value or ""), column
    assert Person.objects.get().disability_details == DETAILS


def test_allowance_status_is_encrypted(stored):
    row = raw_row("households_household", stored["household"].pk)
    assert row["allowance_status"].startswith("e1:")
    assert all(Allowance.TEKUN.value not in str(value or "") for value in row.values())
    assert Household.objects.get().allowance_status == Allowance.TEKUN


def test_stored_values_are_bound_to_their_column(stored):
    row = raw_row("people_person", stored["person"].pk)
    field = Person._meta.get_field("phone")
    assert crypto.decrypt(row["phone"], context=field.crypto_context) == PHONE
    # Copy the phone's ciphertext into the disability column: reading it fails loudly.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_person SET disability_details = %s WHERE id = %s",
            [row["phone"], stored["person"].pk],
        )
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=stored["person"].pk)


def test_audit_trail_holds_no_identifier(stored):
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes, object_repr, note FROM audit_auditentry")
        text = " ".join(str(value) for row in cursor.fetchall() for value in row)
    for secret in {ID_NUMBER, PHONE, ID_NUMBER[-8:], PHONE[-8:], "残疾"}:
        assert secret not in text
