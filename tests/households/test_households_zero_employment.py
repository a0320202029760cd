"""Zero-employment households (SPEC §3): recognised on member changes, cleared by the quarter's end."""

import datetime

import pytest
import time_machine

from households.models import Household, ZeroEmploymentEpisode
from households.services import household_create, household_update, households_refresh_all
from keygroups.models import Membership
from network.models import OrgUnit
from people.models import Person
from people.services import person_set_household, person_update
from registrations.services import registration_open
from tests.factories import person, valid_id_number


def at(day: str):
    """Freeze the clock at 10:00 Lhasa time on the given day."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


@pytest.fixture
def today():
    with at("2026-11-28"):
        yield datetime.date(2026, 11, 28)


def new_household(user, **values) -> Household:
    return household_create(acting_user=user, unit=OrgUnit.objects.get(code="540102002"), **values)


def join(user, p: Person, household: Household | None, relation: str = "other") -> Person:
    p = Person.objects.get(pk=p.pk)
    return person_set_household(
        acting_user=user, person=p, household=household, relation=relation, expected_version=p.version
    )


def adult(user, n: int, **values) -> Person:
    return person(user=user, id_number=valid_id_number(birth="19900307", sequence=n), **values)


def fresh(household: Household) -> Household:
    return Household.objects.get(pk=household.pk)


def open_codes(p: Person) -> set[str]:
    return set(
        Membership.objects.filter(person=p, ended_on__isnull=True).values_list("category__code", flat=True)
    )


def test_two_unemployed_adults_are_recognised_with_the_quarter_end_as_deadline(counsellor, today):
    household = new_household(counsellor, address="八廓街 1 号")
    join(counsellor, adult(counsellor, 1), household, "head")
    join(counsellor, adult(counsellor, 2), household, "spouse")
    household = fresh(household)
    assert household.zero_employment
    assert household.recognised_on == today
    assert household.clearance_due == datetime.date(2026, 12, 31)
    episode = ZeroEmploymentEpisode.objects.get(household=household)
    assert (episode.recognised_on, episode.clearance_due, episode.cleared_on) == (
        today,
        datetime.date(2026, 12, 31),
        None,
    )
    for member in household.members.all():
        assert {"zero_employment_member", "hard_to_employ"} <= open_codes(member)


def test_recognised_on_the_last_day_of_a_quarter_is_due_that_day(counsellor):
    with at("2026-03-31"):
        household = new_household(counsellor)
        join(counsellor, adult(counsellor, 1), household, "head")
    household = fresh(household)
    assert household.recognised_on == datetime.date(2026, 3, 31)
    assert household.clearance_due == datetime.date(2026, 3, 31)


def test_a_member_finding_work_clears_it_and_keeps_the_date(counsellor, today):
    household = new_household(counsellor)
    head = join(counsellor, adult(counsellor, 1), household, "head")
    spouse = join(counsellor, adult(counsellor, 2), household, "spouse")
    assert fresh(household).zero_employment
    with at("2026-12-10"):
        registration_open(
            acting_user=counsellor,
            person=Person.objects.get(pk=head.pk),
            kind="employment",
            registered_on=datetime.date(2026, 12, 10),
            employer_name="拉萨饭店",
        )
    household = fresh(household)
    assert not household.zero_employment
    assert household.cleared_on == datetime.date(2026, 12, 10)
    assert household.recognised_on == today  # the recognition date is kept
    episode = ZeroEmploymentEpisode.objects.get(household=household)
    assert episode.cleared_on == datetime.date(2026, 12, 10)
    assert episode.clear_reason == "employed"
    assert episode.cleared_by == counsellor
    assert "zero_employment_member" not in open_codes(head)
    assert "zero_employment_member" not in open_codes(spouse)
    ended = Membership.objects.get(person=spouse, category__code="zero_employment_member")
    assert ended.ended_on == datetime.date(2026, 12, 10)


def test_employment_through_the_person_form_clears_too(counsellor, today):
    household = new_household(counsellor)
    head = join(counsellor, adult(counsellor, 1), household, "head")
    head = Person.objects.get(pk=head.pk)
    person_update(
        acting_user=counsellor,
        person=head,
        expected_version=head.version,
        changes={"employment_status": "self_employed"},
    )
    household = fresh(household)
    assert not household.zero_employment
    assert household.episodes.get().clear_reason == "employed"


def test_business_income_means_not_zero_employment(counsellor, today):
    household = new_household(counsellor, has_business_income=True)
    join(counsellor, adult(counsellor, 1), household, "head")
    assert not fresh(household).zero_employment
    assert not ZeroEmploymentEpisode.objects.filter(household=household).exists()


def test_business_income_recorded_later_clears_as_no_longer_eligible(counsellor, today):
    household = new_household(counsellor)
    join(counsellor, adult(counsellor, 1), household, "head")
    household = fresh(household)
    household_update(
        acting_user=counsellor,
        household=household,
        expected_version=household.version,
        has_business_income=True,
    )
    household = fresh(household)
    assert not household.zero_employment
    assert household.episodes.get().clear_reason == "no_longer_eligible"


def test_an_unemployed_member_over_retirement_age_does_not_count(counsellor, today):
    household = new_household(counsellor)
    grandfather = person(user=counsellor, id_number=valid_id_number(birth="19600101", sequence=5))
    join(counsellor, grandfather, household, "head")
    assert not fresh(household).zero_employment  # nobody of working age
    join(counsellor, adult(counsellor, 1), household, "child")
    assert fresh(household).zero_employment  # the retired-age member does not stop it either


def test_a_member_who_cannot_or_will_not_work_does_not_count(counsellor, today):
    household = new_household(counsellor)
    join(counsellor, adult(counsellor, 1, able_and_willing=False), household, "head")
    assert not fresh(household).zero_employment
    join(counsellor, adult(counsellor, 2), household, "spouse")
    assert fresh(household).zero_employment


def test_a_household_of_children_only_is_not_zero_employment(counsellor, today):
    household = new_household(counsellor)
    for n, birth in enumerate(["20150101", "20180601"], start=1):
        child = person(
            user=counsellor, id_number=valid_id_number(birth=birth, sequence=n), education="primary"
        )
        join(counsellor, child, household, "child" if n > 1 else "head")
    assert not fresh(household).zero_employment


def test_moving_a_member_recomputes_both_households(counsellor, today):
    first = new_household(counsellor, address="一号院")
    second = new_household(counsellor, address="二号院")
    worker = adult(counsellor, 1, employment_status="employed")
    join(counsellor, adult(counsellor, 2), first, "head")
    join(counsellor, worker, first, "spouse")
    join(counsellor, adult(counsellor, 3), second, "head")
    assert not fresh(first).zero_employment
    assert fresh(second).zero_employment

    join(counsellor, worker, second, "sibling")  # the only earner moves from first to second
    assert fresh(first).zero_employment
    second = fresh(second)
    assert not second.zero_employment
    assert second.episodes.get().clear_reason == "employed"

    join(counsellor, worker, None)  # and then leaves households altogether
    assert Person.objects.get(pk=worker.pk).household is None
    assert fresh(second).zero_employment
    assert fresh(first).zero_employment


def test_recognised_again_opens_a_second_episode_and_keeps_the_first(counsellor, today):
    household = new_household(counsellor)
    head = join(counsellor, adult(counsellor, 1), household, "head")
    with at("2026-12-05"):
        p = Person.objects.get(pk=head.pk)
        person_update(
            acting_user=counsellor,
            person=p,
            expected_version=p.version,
            changes={"employment_status": "employed"},
        )
    with at("2027-02-10"):
        p = Person.objects.get(pk=head.pk)
        person_update(
            acting_user=counsellor,
            person=p,
            expected_version=p.version,
            changes={"employment_status": "unemployed"},
        )
    household = fresh(household)
    assert household.zero_employment
    assert household.recognised_on == datetime.date(2027, 2, 10)
    assert household.clearance_due == datetime.date(2027, 3, 31)
    episodes = list(household.episodes.order_by("recognised_on"))
    assert [(e.recognised_on, e.cleared_on) for e in episodes] == [
        (today, datetime.date(2026, 12, 5)),
        (datetime.date(2027, 2, 10), None),
    ]


def test_nightly_refresh_catches_a_member_reaching_working_age(counsellor):
    with at("2026-11-28"):
        household = new_household(counsellor)
        teen = person(
            user=counsellor, id_number=valid_id_number(birth="20101215", sequence=1), education="junior"
        )
        join(counsellor, teen, household, "head")
        assert not fresh(household).zero_employment  # 15 years old: not of working age yet
    with at("2026-12-16"):
        totals = households_refresh_all(today=datetime.date(2026, 12, 16))
    assert totals["recognised"] == 1
    household = fresh(household)
    assert household.zero_employment
    assert household.recognised_on == datetime.date(2026, 12, 16)
    assert household.clearance_due == datetime.date(2026, 12, 31)
