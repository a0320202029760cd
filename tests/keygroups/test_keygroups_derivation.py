"""Key-group membership derived from data (SPEC §3), kept as dated rows."""

import datetime

import pytest
import time_machine

from keygroups.models import Membership
from keygroups.services import memberships_refresh_all
from people.services import person_update
from registrations.services import registration_open
from tests.factories import person, valid_id_number

TODAY = datetime.date(2026, 11, 28)


def open_codes(p) -> set[str]:
    return set(
        Membership.objects.filter(person=p, ended_on__isnull=True).values_list("category__code", flat=True)
    )


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 28, 10, tzinfo=datetime.UTC), tick=False):
        yield


def test_employed_young_person_is_in_no_group(counsellor):
    p = person(user=counsellor, employment_status="employed")
    assert open_codes(p) == set()


def test_disabled_unemployed_person_is_hard_to_employ(counsellor):
    p = person(user=counsellor, disability="2")
    assert open_codes(p) == {"disabled", "hard_to_employ"}


def test_recent_college_graduate(counsellor):
    p = person(
        user=counsellor,
        id_number=valid_id_number(birth="20030501"),
        education="bachelor",
        graduation_date=datetime.date(2025, 7, 1),
    )
    assert "unemployed_graduate" in open_codes(p)


def test_graduate_of_three_years_ago_is_not(counsellor):
    p = person(user=counsellor, education="bachelor", graduation_date=datetime.date(2023, 7, 1))
    assert "unemployed_graduate" not in open_codes(p)


def test_near_retirement_uses_the_retirement_age_setting(counsellor):
    man_52 = person(user=counsellor, id_number=valid_id_number(birth="19740101", sequence=1, male=True))
    woman_45 = person(user=counsellor, id_number=valid_id_number(birth="19810101", sequence=2, male=False))
    woman_40 = person(user=counsellor, id_number=valid_id_number(birth="19860101", sequence=3, male=False))
    assert "near_retirement" in open_codes(man_52)  # 60 - 10 <= 52
    assert "near_retirement" in open_codes(woman_45)  # 55 - 10 <= 45
    assert "near_retirement" not in open_codes(woman_40)


def test_registered_unemployed_and_long_term(counsellor):
    p = person(user=counsellor)
    registration_open(
        acting_user=counsellor, person=p, kind="unemployment", registered_on=datetime.date(2025, 10, 1)
    )
    assert {"registered_unemployed", "long_term_unemployed", "hard_to_employ"} <= open_codes(p)


def test_finding_work_ends_derived_memberships_and_keeps_history(counsellor):
    p = person(user=counsellor, disability="3")
    registration_open(acting_user=counsellor, person=p, kind="unemployment", registered_on=TODAY)
    registration_open(
        acting_user=counsellor, person=p, kind="employment", registered_on=TODAY, employer_name="拉萨饭店"
    )
    assert open_codes(p) == set()
    ended = Membership.objects.filter(person=p, ended_on=TODAY)
    assert {m.category.code for m in ended} == {"disabled", "hard_to_employ", "registered_unemployed"}


def test_derived_membership_reopens_as_a_new_row(counsellor):
    p = person(user=counsellor, disability="3")
    person_update(
        acting_user=counsellor, person=p, expected_version=p.version, changes={"disability": "none"}
    )
    p.refresh_from_db()
    person_update(acting_user=counsellor, person=p, expected_version=p.version, changes={"disability": "4"})
    assert Membership.objects.filter(person=p, category__code="disabled").count() == 2
    assert "disabled" in open_codes(p)


def test_long_term_is_reached_by_the_nightly_refresh(counsellor):
    p = person(user=counsellor)
    registration_open(
        acting_user=counsellor, person=p, kind="unemployment", registered_on=datetime.date(2026, 1, 15)
    )
    assert "long_term_unemployed" not in open_codes(p)
    with time_machine.travel(datetime.datetime(2027, 1, 20, 10, tzinfo=datetime.UTC), tick=False):
        memberships_refresh_all(today=datetime.date(2027, 1, 20))
    assert "long_term_unemployed" in open_codes(p)


def test_long_term_months_is_a_setting(counsellor, settings):
    settings.STANDARD = {**settings.STANDARD, "LONG_TERM_UNEMPLOYED_MONTHS": 6}
    p = person(user=counsellor)
    registration_open(
        acting_user=counsellor, person=p, kind="unemployment", registered_on=datetime.date(2026, 5, 1)
    )
    assert "long_term_unemployed" in open_codes(p)


def test_inactive_category_is_not_derived(counsellor):
    from keygroups.models import Category

    Category.objects.filter(code="disabled").update(is_active=False)
    p = person(user=counsellor, disability="1")
    assert "disabled" not in open_codes(p)
