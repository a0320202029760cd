"""A hire through a recommendation (les-emplois `accept()`, SPEC §5.4.3): the employment
registration, the end of unemployment, the household, the other recommendations, the
follow-up date and the after-hire policies, all from one step."""

import datetime

import pytest

from audit.models import AuditEntry
from core.errors import ValidationFailed
from households.models import Household
from households.services import household_create
from keygroups.models import Membership
from notifications.models import ItemType, Push
from people.choices import ConsentPurpose
from people.models import Person
from people.services import consent_give, consent_withdraw, person_set_household
from policies import services as policy_services
from policies.models import Policy
from recommendations.models import State, Step
from registrations.models import Registration
from registrations.services import registration_open
from tests.recommendations.recommendation_builders import act, recommendation, seeker, unit


def open_unemployment(user, person, on: datetime.date) -> Registration:
    return registration_open(acting_user=user, person=person, kind="unemployment", registered_on=on)


def alone_in_household(user, person) -> Household:
    household = household_create(acting_user=user, unit=unit("540102002"), address="八廓街 3 号")
    person = Person.objects.get(pk=person.pk)
    person_set_household(
        acting_user=user, person=person, household=household, relation="head", expected_version=person.version
    )
    return Household.objects.get(pk=household.pk)


@pytest.fixture
def jobseeker(counsellor, today):
    """Registered unemployed, the only working-age member of a zero-employment household."""
    person = seeker(counsellor)
    open_unemployment(counsellor, person, today - datetime.timedelta(days=40))
    household = alone_in_household(counsellor, person)
    assert household.zero_employment
    return Person.objects.get(pk=person.pk)


@pytest.fixture
def referred(counsellor, head, jobseeker):
    return recommendation(State.REFERRED, counsellor=counsellor, head=head, person=jobseeker)


def after_hire_codes() -> set[str]:
    return set(Policy.objects.filter(after_hire=True, is_active=True).values_list("code", flat=True))


def test_hire_without_confirmation_says_what_will_happen_and_changes_nothing(
    counsellor, head, referred, jobseeker, today
):
    other = recommendation(State.SHOWN, counsellor=counsellor, head=head, person=jobseeker)
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, referred, "hire", confirm=False)
    assert refused.value.code == "confirmation_required"
    effects = refused.value.errors["confirm"]
    assert len(effects) == 5  # registration, unemployment closed, employed, household, one other withdrawn
    assert referred.vacancy.employer.name_zh in effects[0]
    assert all(effect in str(refused.value.message) for effect in effects)
    referred.refresh_from_db()
    other.refresh_from_db()
    assert (referred.state, other.state) == (State.REFERRED, State.SHOWN)
    assert not Registration.objects.filter(person=jobseeker, kind="employment").exists()


def test_hire_cascade(counsellor, head, referred, jobseeker, today, django_capture_on_commit_callbacks):
    shown = recommendation(State.SHOWN, counsellor=counsellor, head=head, person=jobseeker)
    interview = recommendation(State.INTERVIEW, counsellor=counsellor, head=head, person=jobseeker)
    someone_else = recommendation(State.SHOWN, counsellor=counsellor, head=head, vacancy=referred.vacancy)
    hired_on = today - datetime.timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        hired = act(counsellor, referred, "hire", on=hired_on, confirm=True)

    assert (hired.state, hired.hired_on, hired.closed_at is not None) == (State.HIRED, hired_on, True)
    assert hired.follow_up_on == hired_on + datetime.timedelta(days=30)
    # The employment registration, from the vacancy.
    employment = Registration.objects.get(person=jobseeker, kind="employment")
    vacancy = referred.vacancy
    assert (employment.status, employment.registered_on, employment.employment_type) == (
        "open",
        hired_on,
        "employee",
    )
    assert employment.employer_name == vacancy.employer.name_zh
    assert employment.employer_credit_code == vacancy.employer.credit_code
    assert employment.job_title == vacancy.title_zh
    # Unemployment ends, the person works, the household is no longer zero-employment.
    unemployment = Registration.objects.get(person=jobseeker, kind="unemployment")
    assert (unemployment.status, unemployment.close_reason) == ("closed", "employed")
    person = Person.objects.get(pk=jobseeker.pk)
    assert person.employment_status == "employed" and person.unemployed_since is None
    assert not Household.objects.get(pk=person.household_id).zero_employment
    assert not Membership.objects.filter(
        person=person, category__code="registered_unemployed", ended_on__isnull=True
    ).exists()
    # The person's other open recommendations are withdrawn by the system; others' stay.
    for other in (shown, interview):
        other.refresh_from_db()
        assert (other.state, other.withdraw_reason) == (State.WITHDRAWN, "hired_elsewhere")
        step = Step.objects.filter(recommendation=other).latest("id")
        assert (step.by, step.side, step.reason) == (None, "system", "hired_elsewhere")
    someone_else.refresh_from_db()
    assert someone_else.state == State.SHOWN
    # The after-hire policies, pushed by the system once the hire committed.
    pushes = Push.objects.filter(person=person, item_type=ItemType.POLICY)
    assert {Policy.objects.get(pk=p.item_id).code for p in pushes} == after_hire_codes()
    assert len(after_hire_codes()) >= 2
    assert all(p.created_by is None and p.channel == "database" for p in pushes)


def test_no_confirmation_needed_when_nothing_big_changes(counsellor, head, today):
    rec = recommendation(State.INTERVIEW, counsellor=counsellor, head=head)
    hired = act(counsellor, rec, "hire", confirm=False)
    assert hired.state == State.HIRED
    assert Registration.objects.filter(person=rec.person, kind="employment", status="open").exists()


def test_an_open_employment_registration_must_be_closed_first(counsellor, head, today):
    person = seeker(counsellor)
    registration_open(
        acting_user=counsellor,
        person=person,
        kind="employment",
        registered_on=today,
        employment_type="flexible",
    )
    rec = recommendation(State.REFERRED, counsellor=counsellor, head=head, person=person)
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, rec, "hire")
    assert refused.value.code == "employment_registration_open"
    rec.refresh_from_db()
    assert rec.state == State.REFERRED


def test_policies_are_not_pushed_before_the_hire_commits(
    counsellor, referred, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        act(counsellor, referred, "hire")
    assert not Push.objects.filter(person=referred.person).exists()
    assert len(callbacks) >= 1


def test_withdrawn_consent_skips_the_pushes_and_says_so(
    counsellor, referred, jobseeker, django_capture_on_commit_callbacks
):
    consent = consent_give(acting_user=counsellor, person=jobseeker, purpose=ConsentPurpose.NOTIFICATIONS)
    consent_withdraw(acting_user=counsellor, consent=consent)
    with django_capture_on_commit_callbacks(execute=True):
        hired = act(counsellor, referred, "hire")
    assert hired.state == State.HIRED
    assert not Push.objects.filter(person=jobseeker).exists()
    entry = AuditEntry.objects.get(note=policy_services.SKIPPED_NO_CONSENT)
    assert (entry.object_type, entry.object_id, entry.actor) == (
        "recommendations.recommendation",
        str(hired.pk),
        None,
    )


def test_a_failing_push_does_not_undo_the_hire(
    counsellor, referred, jobseeker, monkeypatch, django_capture_on_commit_callbacks
):
    real = policy_services.push_to_person
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["item"].code)
        if len(calls) == 1:
            raise RuntimeError("gateway template broke")
        return real(**kwargs)

    monkeypatch.setattr(policy_services, "push_to_person", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        hired = act(counsellor, referred, "hire")
    hired.refresh_from_db()
    assert hired.state == State.HIRED
    assert len(calls) == len(after_hire_codes())
    assert Push.objects.filter(person=jobseeker, item_type=ItemType.POLICY).count() == len(calls) - 1


def test_push_after_hire_counts_what_happened(counsellor, referred, jobseeker):
    hired = act(counsellor, referred, "hire")
    result = policy_services.policies_push_after_hire(person=jobseeker, recommendation=hired)
    assert result == {"pushed": len(after_hire_codes()), "skipped": 0, "failed": 0}
    # Again: the push service returns the first pushes, nothing new is recorded.
    count = Push.objects.filter(person=jobseeker).count()
    policy_services.policies_push_after_hire(person=jobseeker, recommendation=hired)
    assert Push.objects.filter(person=jobseeker).count() == count


def test_the_employment_registration_is_entered_at_the_recording_station(personas, head, today):
    station_head = personas["head_chengguan"]
    rec = recommendation(State.REFERRED, counsellor=personas["counsellor_chengguan"], head=head)
    act(station_head, rec, "hire")
    registration = Registration.objects.get(person=rec.person, kind="employment")
    assert (registration.unit, registration.created_by) == (station_head.unit, station_head)
