"""Credit codes (GB 32100), licence fields and course values are checked with clear messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from audit.models import Action, AuditEntry
from core.errors import NotAllowed, ValidationFailed
from network.models import OrgUnit
from occupations.models import Occupation
from tests.training.conftest import COOK, credit_code
from training.models import Provider
from training.services import course_update, provider_create, provider_update
from training.validation import MAX_SUBSIDY, parse_credit_code


def test_a_valid_code_is_normalised():
    code = credit_code(7)
    spaced = f"{code[:6].lower()} {code[6:12]}-{code[12:]}"
    assert parse_credit_code(spaced) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("9154010200000000", "length"),  # 16 characters
        ("9154A102000000001X", "characters"),  # a letter among the first 8
        ("91540102000000I01X", "characters"),  # I is never used
    ],
)
def test_bad_codes_are_refused_with_the_reason(raw, code):
    with pytest.raises(ValidationError) as caught:
        parse_credit_code(raw)
    assert caught.value.code == code


def test_a_wrong_check_character_is_named():
    good = credit_code(3)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        parse_credit_code(wrong)
    assert caught.value.code == "check_digit"
    with override("en"):
        assert "check digit" in str(caught.value.messages[0])


def _values(**extra):
    values = {
        "name_zh": "西藏技师学院培训中心",
        "credit_code": credit_code(42),
        "licence_number": "人社民1540100000001号",
        "qualification": "vocational_school",
        "licence_expires_on": timezone.localdate() + datetime.timedelta(days=400),
        "unit": OrgUnit.objects.get(code="540102002"),
    }
    values.update(extra)
    return values


def test_provider_is_created_and_audited(personas):
    provider = provider_create(acting_user=personas["head_chengguan"], values=_values())
    assert provider.credit_code == credit_code(42)
    entry = AuditEntry.objects.get(object_type="training.provider", object_id=str(provider.pk))
    assert entry.action == Action.CREATE


def test_credit_code_is_unique_city_wide(personas):
    provider_create(acting_user=personas["head_chengguan"], values=_values())
    # Another district registers the same code, written with spaces and lower case.
    code = credit_code(42)
    with pytest.raises(ValidationFailed) as caught:
        provider_create(
            acting_user=personas["district_linzhou"],
            values=_values(
                credit_code=f"{code[:9]} {code[9:].lower()}", unit=OrgUnit.objects.get(code="540121")
            ),
        )
    assert "credit_code" in caught.value.errors
    assert "西藏技师学院培训中心" in caught.value.errors["credit_code"][0]
    assert Provider.objects.count() == 1


def test_bad_code_and_missing_licence_are_reported_together(personas):
    with pytest.raises(ValidationFailed) as caught:
        provider_create(
            acting_user=personas["head_chengguan"], values=_values(credit_code="123", licence_number="  ")
        )
    assert set(caught.value.errors) >= {"credit_code", "licence_number"}


def test_an_absurd_licence_date_is_refused(personas):
    with pytest.raises(ValidationFailed) as caught:
        provider_create(
            acting_user=personas["head_chengguan"],
            values=_values(licence_expires_on=datetime.date(2206, 1, 1)),
        )
    assert list(caught.value.errors) == ["licence_expires_on"]


def test_counsellors_do_not_register_providers(personas):
    with pytest.raises(NotAllowed):
        provider_create(acting_user=personas["counsellor_chengguan"], values=_values())


def test_provider_outside_the_area_is_refused(personas):
    with pytest.raises(ValidationFailed) as caught:
        provider_create(
            acting_user=personas["head_chengguan"], values=_values(unit=OrgUnit.objects.get(code="540102003"))
        )
    assert list(caught.value.errors) == ["unit"]


def test_update_checks_the_code_and_the_version(personas, make_provider):
    first = make_provider()
    second = make_provider()
    with pytest.raises(ValidationFailed) as caught:
        provider_update(
            acting_user=personas["head_chengguan"],
            provider=second,
            expected_version=second.version,
            changes={"credit_code": first.credit_code},
        )
    assert "credit_code" in caught.value.errors
    second = Provider.objects.get(pk=second.pk)
    updated = provider_update(
        acting_user=personas["head_chengguan"],
        provider=second,
        expected_version=second.version,
        changes={"address": "北京中路 8 号"},
    )
    assert updated.version == 2
    from core.errors import ConcurrentEdit

    stale = Provider.objects.get(pk=second.pk)
    with pytest.raises(ConcurrentEdit):
        provider_update(
            acting_user=personas["head_chengguan"],
            provider=stale,
            expected_version=1,
            changes={"address": "x"},
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on": "before"}, "ends_on"),
        ({"capacity": 0}, "capacity"),
        ({"subsidy": MAX_SUBSIDY + 1}, "subsidy"),
        ({"subsidy": -5}, "subsidy"),
        ({"occupation": "4-03-02"}, "occupation"),  # a small group, not an occupation
    ],
)
def test_course_values_are_checked(personas, make_provider, make_course, changes, field):
    course = make_course(make_provider())
    if changes.get("ends_on") == "before":
        changes = {"ends_on": course.starts_on - datetime.timedelta(days=1)}
    if "occupation" in changes:
        changes = {"occupation": Occupation.objects.get(code=changes["occupation"])}
    with pytest.raises(ValidationFailed) as caught:
        course_update(
            acting_user=personas["counsellor_chengguan"],
            course=course,
            expected_version=course.version,
            changes=changes,
        )
    assert field in caught.value.errors


def test_a_good_course_is_created_unpublished_and_audited(make_provider, make_course):
    course = make_course(make_provider())
    assert course.is_published is False
    assert course.occupation.code == COOK
    assert AuditEntry.objects.filter(object_type="training.course", object_id=str(course.pk)).exists()
