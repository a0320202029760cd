"""Employment and unemployment registration (§5.7): closure reasons and the no-contact proposal."""

import datetime
import itertools

import pytest
import time_machine
from django.utils import timezone

from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from people.models import Person
from people.services import contact_record
from registrations.models import Registration, Status
from registrations.services import (
    propose_no_contact_closures,
    registration_close,
    registration_decide_closure,
    registration_open,
    registration_propose_closure,
)
from tests.factories import person

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 28, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff(personas):
    return personas["counsellor_chengguan"], personas["head_chengguan"]


SEQUENCE = itertools.count(1)


def unemployed(user, registered_on=datetime.date(2026, 3, 1)):
    p = person(user=user, sequence=next(SEQUENCE))
    return p, registration_open(acting_user=user, person=p, kind="unemployment", registered_on=registered_on)


def test_employment_registration_closes_unemployment_with_reason(staff):
    counsellor, _head = staff
    p, reg = unemployed(counsellor)
    registration_open(
        acting_user=counsellor,
        person=p,
        kind="employment",
        registered_on=TODAY,
        employer_name="拉萨市某建筑公司",
        job_title="钢筋工",
    )
    reg.refresh_from_db()
    assert reg.status == Status.CLOSED and reg.close_reason == "employed" and reg.closed_on == TODAY
    p.refresh_from_db()
    assert p.employment_status == "employed" and p.unemployed_since is None


def test_employee_registration_needs_an_employer(staff):
    counsellor, _head = staff
    p = person(user=counsellor)
    with pytest.raises(ValidationFailed) as exc:
        registration_open(acting_user=counsellor, person=p, kind="employment", registered_on=TODAY)
    assert "employer_name" in exc.value.errors
    assert not Registration.objects.exists()


def test_only_one_open_registration_per_kind(staff):
    counsellor, _head = staff
    p, _reg = unemployed(counsellor)
    with pytest.raises(ValidationFailed):
        registration_open(acting_user=counsellor, person=p, kind="unemployment", registered_on=TODAY)


def test_close_with_a_standard_reason_updates_the_person(staff):
    counsellor, _head = staff
    p, reg = unemployed(counsellor)
    registration_close(
        acting_user=counsellor,
        registration=reg,
        expected_version=reg.version,
        reason="retired",
        closed_on=TODAY,
    )
    assert Person.objects.get(pk=p.pk).employment_status == "retired"


def test_unknown_or_wrong_kind_reason_is_refused(staff):
    counsellor, _head = staff
    _p, reg = unemployed(counsellor)
    for reason in ("left_job", "bogus"):
        with pytest.raises(ValidationFailed) as exc:
            registration_close(
                acting_user=counsellor,
                registration=reg,
                expected_version=reg.version,
                reason=reason,
                closed_on=TODAY,
            )
        assert "reason" in exc.value.errors


def test_no_contact_can_only_be_proposed(staff):
    counsellor, head = staff
    _p, reg = unemployed(counsellor)
    with pytest.raises(ValidationFailed):
        registration_close(
            acting_user=counsellor,
            registration=reg,
            expected_version=reg.version,
            reason="no_contact_6_months",
            closed_on=TODAY,
        )
    registration_propose_closure(
        acting_user=counsellor, registration=reg, expected_version=reg.version, reason="no_contact_6_months"
    )
    reg.refresh_from_db()
    assert reg.status == Status.CLOSURE_PROPOSED and reg.closed_on is None
    with pytest.raises(NotAllowed):
        registration_decide_closure(
            acting_user=counsellor, registration=reg, expected_version=reg.version, approve=True
        )
    registration_decide_closure(
        acting_user=head, registration=reg, expected_version=reg.version, approve=True
    )
    reg.refresh_from_db()
    assert reg.status == Status.CLOSED and reg.closed_by == head and reg.closed_on == TODAY


def test_rejected_proposal_reopens(staff):
    counsellor, head = staff
    _p, reg = unemployed(counsellor)
    registration_propose_closure(
        acting_user=counsellor, registration=reg, expected_version=1, reason="moved_away"
    )
    reg.refresh_from_db()
    registration_decide_closure(
        acting_user=head, registration=reg, expected_version=reg.version, approve=False
    )
    reg.refresh_from_db()
    assert reg.status == Status.OPEN and reg.close_reason == ""


def test_nobody_decides_their_own_proposal(staff):
    counsellor, head = staff
    _p, reg = unemployed(counsellor)
    registration_propose_closure(acting_user=head, registration=reg, expected_version=1, reason="moved_away")
    reg.refresh_from_db()
    with pytest.raises(ValidationFailed):
        registration_decide_closure(
            acting_user=head, registration=reg, expected_version=reg.version, approve=True
        )


def test_stale_version_is_refused(staff):
    counsellor, _head = staff
    _p, reg = unemployed(counsellor)
    registration_close(
        acting_user=counsellor, registration=reg, expected_version=1, reason="retired", closed_on=TODAY
    )
    stale = Registration.objects.get(pk=reg.pk)
    stale.status = Status.OPEN  # what a second, older screen still shows
    with pytest.raises(ConcurrentEdit):
        registration_close(
            acting_user=counsellor, registration=stale, expected_version=1, reason="other", closed_on=TODAY
        )


def test_six_months_without_contact_is_proposed_never_closed(staff):
    counsellor, _head = staff
    silent, silent_reg = unemployed(counsellor, registered_on=datetime.date(2026, 3, 1))
    called, called_reg = unemployed(counsellor, registered_on=datetime.date(2026, 3, 1))
    recent, recent_reg = unemployed(counsellor, registered_on=datetime.date(2026, 9, 1))
    contact_record(
        acting_user=counsellor,
        person=called,
        at=timezone.now() - datetime.timedelta(days=30),
        channel="phone",
        outcome="reached",
    )
    assert propose_no_contact_closures(today=TODAY) == 1
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[silent_reg.pk] == Status.CLOSURE_PROPOSED
    assert statuses[called_reg.pk] == Status.OPEN
    assert statuses[recent_reg.pk] == Status.OPEN
    assert not Registration.objects.filter(status=Status.CLOSED).exists()
    assert propose_no_contact_closures(today=TODAY) == 0  # idempotent
