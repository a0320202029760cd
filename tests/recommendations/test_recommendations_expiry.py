"""The nightly expiry (les-emplois `reject_job_applications_after_delay`, but on the stored
deadline): the system acts, with an automatic reason, oldest deadline first, once."""

import datetime
import io

import pytest
from django.core.management import call_command

from people.models import Person
from recommendations import services, tasks
from recommendations.models import State, Step
from registrations.services import registration_open
from tests.recommendations.conftest import at
from tests.recommendations.recommendation_builders import act, recommendation, seeker
from tests.vacancies.vacancy_builders import move

MADE_ON = "2026-11-25"  # Wednesday
SHOWN_DUE = datetime.date(2026, 12, 2)  # 5 working days later
EMPLOYER_DUE = datetime.date(2026, 12, 9)  # 10 working days later


@pytest.fixture
def chain(counsellor, head):
    """One recommendation in each waiting state plus two that never expire, all made on MADE_ON."""
    with at(MADE_ON):
        return {
            state: recommendation(state, counsellor=counsellor, head=head)
            for state in (State.SHOWN, State.REFERRED, State.INTERVIEW, State.INTERESTED, State.MATCHED)
        }


def states(chain) -> dict:
    for rec in chain.values():
        rec.refresh_from_db()
    return {key: rec.state for key, rec in chain.items()}


def test_nothing_expires_on_the_deadline_itself(chain):
    with at("2026-12-09"):
        assert services.expire_recommendations(today=EMPLOYER_DUE) == 1  # only the shown one (due 2 Dec)
    assert states(chain)[State.REFERRED] == State.REFERRED


def test_steps_past_their_deadline_expire_as_the_system(chain):
    with at("2026-12-10"):
        changed = services.expire_recommendations()
    assert changed == 3
    shown, referred, interview = (chain[s] for s in (State.SHOWN, State.REFERRED, State.INTERVIEW))
    assert states(chain) == {
        State.SHOWN: State.DECLINED,
        State.REFERRED: State.NO_RESPONSE,
        State.INTERVIEW: State.NO_RESPONSE,
        State.INTERESTED: State.INTERESTED,
        State.MATCHED: State.MATCHED,
    }
    assert shown.decline_reason == "no_response" and shown.closed_at is not None
    assert referred.step_deadline is None and referred.closed_at is None
    for rec, action in (
        (shown, "expire_seeker"),
        (referred, "expire_employer"),
        (interview, "expire_employer"),
    ):
        step = Step.objects.filter(recommendation=rec).latest("id")
        assert (step.action, step.by, step.side, step.reason) == (action, None, "system", "no_response")


def test_running_again_changes_nothing(chain):
    with at("2026-12-10"):
        assert services.expire_recommendations() == 3
        steps = Step.objects.count()
        assert services.expire_recommendations() == 0
    assert Step.objects.count() == steps


def test_oldest_deadline_first_across_batches(counsellor, head):
    made = {}
    for day in ("2026-11-27", "2026-11-23", "2026-11-25"):
        with at(day):
            made[day] = recommendation(State.REFERRED, counsellor=counsellor, head=head)
    with at("2026-12-31"):
        assert services.expire_recommendations(batch_size=1) == 3
    order = list(
        Step.objects.filter(action="expire_employer")
        .order_by("id")
        .values_list("recommendation_id", flat=True)
    )
    assert order == [made[d].pk for d in ("2026-11-23", "2026-11-25", "2026-11-27")]


def test_a_row_locked_elsewhere_is_skipped_and_left_for_the_next_run(chain, monkeypatch):
    """What SKIP LOCKED does: the locked row is not returned, the job goes on without waiting."""
    locked = chain[State.REFERRED].pk
    real_lock = services._lock
    asked = []

    def lock(queryset, *, skip_locked=False):
        asked.append(skip_locked)
        return real_lock(queryset, skip_locked=skip_locked).exclude(pk=locked)

    monkeypatch.setattr(services, "_lock", lock)
    with at("2026-12-10"):
        assert services.expire_recommendations() == 2
    assert asked and all(asked)
    assert states(chain)[State.REFERRED] == State.REFERRED
    monkeypatch.setattr(services, "_lock", real_lock)
    with at("2026-12-10"):
        assert services.expire_recommendations() == 1
    assert states(chain)[State.REFERRED] == State.NO_RESPONSE


def test_a_recommendation_acted_on_meanwhile_is_left_alone(chain, counsellor, monkeypatch):
    """The batch is read first; a row answered before its lock no longer matches and is skipped."""
    referred = chain[State.REFERRED]
    real_lock = services._lock
    answered = []

    def answer_first(queryset, *, skip_locked=False):
        if skip_locked and not answered:  # the job's lock, not the counsellor's
            answered.append(True)
            act(counsellor, referred, "interview")
        return real_lock(queryset, skip_locked=skip_locked)

    monkeypatch.setattr(services, "_lock", answer_first)
    with at("2026-12-10"):
        services.expire_recommendations()
    referred.refresh_from_db()
    assert answered and referred.state == State.INTERVIEW
    assert referred.step_deadline > datetime.date(2026, 12, 10)


def test_recommendations_of_a_filled_or_closed_vacancy_are_withdrawn(counsellor, head):
    with at(MADE_ON):
        interested = recommendation(State.INTERESTED, counsellor=counsellor, head=head)
        suspended = recommendation(State.INTERESTED, counsellor=counsellor, head=head)
        hired = recommendation(State.HIRED, counsellor=counsellor, head=head)
        move(interested.vacancy, counsellor, "fill")
        move(suspended.vacancy, counsellor, "suspend", note="暂停招聘")
        move(hired.vacancy, counsellor, "close")
        assert services.expire_recommendations() == 1
    interested.refresh_from_db()
    suspended.refresh_from_db()
    hired.refresh_from_db()
    assert (interested.state, interested.withdraw_reason) == (State.WITHDRAWN, "vacancy_closed")
    step = Step.objects.filter(recommendation=interested).latest("id")
    assert (step.by, step.side) == (None, "system")
    # A suspended vacancy may come back; a hire is final already.
    assert suspended.state == State.INTERESTED and hired.state == State.HIRED


def test_recommendations_of_a_person_no_longer_seeking_are_withdrawn(counsellor, head):
    with at(MADE_ON):
        found_work = seeker(counsellor)
        stopped = seeker(counsellor)
        still = seeker(counsellor)
        a = recommendation(State.SHOWN, counsellor=counsellor, head=head, person=found_work)
        b = recommendation(State.REFERRED, counsellor=counsellor, head=head, person=stopped)
        c = recommendation(State.SHOWN, counsellor=counsellor, head=head, person=still)
        registration_open(
            acting_user=counsellor,
            person=found_work,
            kind="employment",
            registered_on=datetime.date(2026, 11, 25),
            employment_type="self_employed",
        )
        Person.objects.filter(pk=stopped.pk).update(able_and_willing=False)
        assert services.expire_recommendations() == 2
    for rec, expected in ((a, State.WITHDRAWN), (b, State.WITHDRAWN), (c, State.SHOWN)):
        rec.refresh_from_db()
        assert rec.state == expected
    assert a.withdraw_reason == b.withdraw_reason == "not_seeking"


def test_the_command_and_the_task_run_the_job(chain):
    out = io.StringIO()
    with at("2026-12-10"):
        call_command("expire_recommendations", "--batch-size", "2", stdout=out)
    assert "changed 3 recommendations" in out.getvalue()
    assert states(chain)[State.SHOWN] == State.DECLINED
    with at("2026-12-10"):
        assert tasks.expire("2026-12-10") == 0
        assert tasks.expire() == 0


def test_the_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("expire_recommendations", "--today", "2026-13-01", stdout=io.StringIO())


def test_the_nightly_schedule_includes_the_expiry(db):
    import ast

    from django_q.models import Schedule

    call_command("install_schedules", stdout=io.StringIO())
    schedule = Schedule.objects.get(name="nightly: expire recommendations")
    assert ast.literal_eval(schedule.args) == "expire_recommendations"
    assert schedule.schedule_type == Schedule.DAILY
