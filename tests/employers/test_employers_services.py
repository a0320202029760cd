"""Registering and editing employers: one file per credit code in the city, scoped, versioned, audited."""

import pytest

from audit.models import AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from employers.models import Employer
from employers.services import employer_create, employer_update
from industries.models import Industry
from network.models import OrgUnit
from tests.employers.conftest import credit_code, employer_values


def test_create_stores_the_normalised_code_and_audits(personas, barkhor):
    assert barkhor.credit_code == credit_code(1)
    assert barkhor.created_by == personas["counsellor_chengguan"]
    assert barkhor.version == 1
    entry = AuditEntry.objects.get(object_type="employers.employer", object_id=str(barkhor.pk))
    assert entry.action == "create"
    assert entry.actor == personas["counsellor_chengguan"]
    assert entry.changes["credit_code"]["after"] == credit_code(1)


def test_lower_case_code_with_spaces_is_stored_in_capitals(personas):
    code = "91110000600037341L"
    employer = employer_create(
        acting_user=personas["counsellor_chengguan"],
        values=employer_values(5, credit_code=f" {code[:8]} {code[8:].lower()} "),
    )
    assert employer.credit_code == code


def test_duplicate_credit_code_is_refused_city_wide_and_nothing_is_created(personas, linzhou):
    # The first file is in 林周县; a 城关区 counsellor cannot see it but may not open a second one.
    count = Employer.objects.count()
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        employer_create(
            acting_user=personas["counsellor_chengguan"],
            values=employer_values(9, credit_code=linzhou.credit_code.lower()),
        )
    assert list(caught.value.errors) == ["credit_code"]
    assert "甘丹曲果镇" in caught.value.errors["credit_code"][0]
    assert Employer.objects.count() == count
    assert AuditEntry.objects.count() == audits


def test_invalid_credit_code_is_a_field_error(personas):
    with pytest.raises(ValidationFailed) as caught:
        employer_create(
            acting_user=personas["counsellor_chengguan"],
            values=employer_values(3, credit_code="91540102000000003X"),
        )
    assert "credit_code" in caught.value.errors
    assert not Employer.objects.exists()


def test_industry_must_be_a_division(personas):
    with pytest.raises(ValidationFailed) as caught:
        employer_create(
            acting_user=personas["counsellor_chengguan"],
            values=employer_values(3, industry=Industry.objects.get(code="H")),
        )
    assert "industry" in caught.value.errors


def test_unit_outside_the_area_is_refused(personas):
    with pytest.raises(ValidationFailed) as caught:
        employer_create(acting_user=personas["counsellor_chengguan"], values=employer_values(3, "540121100"))
    assert "unit" in caught.value.errors


def test_duplicate_external_id_is_refused(personas, make_employer):
    make_employer(1, external_id="XZ-0001")
    with pytest.raises(ValidationFailed) as caught:
        make_employer(2, external_id="XZ-0001")
    assert "external_id" in caught.value.errors
    # Blank ids are stored as NULL, so many employers may have none.
    make_employer(3, external_id="")
    make_employer(4, external_id="  ")
    assert Employer.objects.filter(external_id__isnull=True).count() == 2


@pytest.mark.parametrize("persona", ["district_chengguan", "city", "sysadmin", "auditadmin"])
def test_only_front_line_staff_register(personas, persona):
    with pytest.raises(NotAllowed):
        employer_create(acting_user=personas[persona], values=employer_values(3, "540102002"))


def test_station_head_registers(personas):
    employer = employer_create(acting_user=personas["head_chengguan"], values=employer_values(3))
    assert employer.pk


def test_update_with_version_and_audit(personas, barkhor):
    employer_update(
        acting_user=personas["head_chengguan"],
        employer=barkhor,
        expected_version=1,
        changes={"size": "medium", "contact_phone": "13800001111"},
    )
    barkhor.refresh_from_db()
    assert (barkhor.size, barkhor.contact_phone, barkhor.version) == ("medium", "13800001111", 2)
    entry = AuditEntry.objects.filter(object_type="employers.employer", action="update").get()
    assert set(entry.changes) == {"size", "contact_phone"}


def test_stale_version_is_a_concurrent_edit(personas, barkhor):
    employer_update(
        acting_user=personas["counsellor_chengguan"],
        employer=barkhor,
        expected_version=1,
        changes={"size": "medium"},
    )
    stale = Employer.objects.get(pk=barkhor.pk)
    with pytest.raises(ConcurrentEdit):
        employer_update(
            acting_user=personas["head_chengguan"],
            employer=stale,
            expected_version=1,
            changes={"size": "large"},
        )
    assert Employer.objects.get(pk=barkhor.pk).size == "medium"


def test_update_to_another_employers_code_is_refused(personas, barkhor, make_employer):
    other = make_employer(7)
    with pytest.raises(ValidationFailed) as caught:
        employer_update(
            acting_user=personas["counsellor_chengguan"],
            employer=other,
            expected_version=other.version,
            changes={"credit_code": barkhor.credit_code},
        )
    assert "credit_code" in caught.value.errors
    assert Employer.objects.get(pk=other.pk).credit_code == credit_code(7)


def test_update_outside_the_area_is_not_allowed(personas, linzhou):
    with pytest.raises(NotAllowed):
        employer_update(
            acting_user=personas["counsellor_chengguan"],
            employer=linzhou,
            expected_version=1,
            changes={"size": "large"},
        )


def test_moving_an_employer_out_of_the_area_is_refused(personas, barkhor):
    with pytest.raises(ValidationFailed) as caught:
        employer_update(
            acting_user=personas["counsellor_chengguan"],
            employer=barkhor,
            expected_version=1,
            changes={"unit": OrgUnit.objects.get(code="540102003")},
        )
    assert "unit" in caught.value.errors
