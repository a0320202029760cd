"""recommendation_create and recommendation_act: idempotence, reasons, dates, versions,
scope, timestamps, deadlines in working days, the audit trail."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from recommendations import services
from recommendations.models import Origin, Recommendation, State, Step
from tests.recommendations.conftest import at
from tests.recommendations.recommendation_builders import act, published_vacancy, recommendation, seeker
from tests.vacancies.vacancy_builders import move


def create(person, vacancy, user=None, **kwargs):
    return services.recommendation_create(
        person=person,
        vacancy=vacancy,
        score=0.71,
        factors={"occupation": 0.3, "skills": 0.1},
        facts={"shared_levels": 2},
        origin=kwargs.pop("origin", Origin.BATCH),
        acting_user=user,
        **kwargs,
    )


# --- create ----------------------------------------------------------------------------


def test_create_stores_the_engine_verdict_once_per_open_pair(counsellor, person, vacancy):
    first = create(person, vacancy)
    second = create(person, vacancy, counsellor, origin=Origin.ON_DEMAND)
    assert first.is_new and not second.is_new and second.pk == first.pk
    stored = Recommendation.objects.get()
    assert (stored.state, stored.origin, stored.score, stored.created_by) == (
        State.MATCHED,
        "batch",
        0.71,
        None,
    )
    assert stored.factors == {"occupation": 0.3, "skills": 0.1} and stored.facts == {"shared_levels": 2}
    assert (
        AuditEntry.objects.filter(object_type="recommendations.recommendation", action="create").count() == 1
    )


def test_a_closed_pair_can_be_recommended_again(counsellor, person, vacancy):
    first = create(person, vacancy, counsellor)
    act(counsellor, first, "withdraw")
    again = create(person, vacancy, counsellor)
    assert again.is_new and again.pk != first.pk


def test_a_concurrent_create_returns_the_winners_row(counsellor, person, vacancy, monkeypatch):
    winner = create(person, vacancy)
    real = services._open_pair
    calls = []

    def not_yet_visible(p, v):
        # The first look happens before the other transaction commits; the second after.
        calls.append(1)
        return None if len(calls) == 1 else real(p, v)

    monkeypatch.setattr(services, "_open_pair", not_yet_visible)
    loser = create(person, vacancy, counsellor)
    assert loser.pk == winner.pk and loser.is_new is False
    assert Recommendation.objects.count() == 1


def test_the_partial_unique_index_guards_the_open_pair(person, vacancy):
    create(person, vacancy)
    with pytest.raises(IntegrityError):
        Recommendation.objects.create(person=person, vacancy=vacancy, origin="batch", score=0.1)


def test_only_a_published_vacancy_is_recommended(counsellor, head, person):
    draft = published_vacancy(counsellor, head)
    move(draft, counsellor, "close")
    with pytest.raises(ValidationFailed) as refused:
        create(person, draft, counsellor)
    assert refused.value.code == "vacancy_not_published"


def test_a_counsellor_of_a_sibling_unit_cannot_create(personas, person, vacancy):
    with pytest.raises(NotAllowed):
        create(person, vacancy, personas["counsellor_jiri"])


# --- act: reasons, dates, notes ---------------------------------------------------------


@pytest.fixture
def shown(counsellor, head, today):
    return recommendation(State.SHOWN, counsellor=counsellor, head=head)


@pytest.fixture
def referred(counsellor, head, today):
    return recommendation(State.REFERRED, counsellor=counsellor, head=head)


@pytest.mark.parametrize(
    ("reason", "problem"),
    [("", "reason"), ("no_response", "reason"), ("filled", "reason"), ("nonsense", "reason")],
    ids=["missing", "automatic-only", "employer-reason", "unknown"],
)
def test_decline_needs_one_of_the_seekers_current_reasons(counsellor, shown, reason, problem):
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, shown, "decline", reason=reason)
    assert problem in refused.value.errors
    shown.refresh_from_db()
    assert shown.state == State.SHOWN


def test_decline_keeps_the_reason_on_the_recommendation_and_the_step(counsellor, shown):
    result = act(counsellor, shown, "decline", reason="distance", note="  家太远  ")
    assert (result.state, result.decline_reason) == (State.DECLINED, "distance")
    step = Step.objects.filter(recommendation=shown).latest("id")
    assert (step.reason, step.note, step.side) == ("distance", "家太远", "seeker")


def test_a_step_without_a_reason_refuses_one(counsellor, shown):
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, shown, "interested", reason="pay")
    assert "reason" in refused.value.errors


def test_reject_and_withdraw_take_their_own_enums(counsellor, referred):
    with pytest.raises(ValidationFailed):
        act(counsellor, referred, "reject", reason="pay")
    with pytest.raises(ValidationFailed):
        act(counsellor, referred, "withdraw", reason="hired_elsewhere")
    result = act(counsellor, referred, "reject", reason="experience")
    assert (result.state, result.reject_reason) == (State.REJECTED, "experience")


@pytest.mark.parametrize("action", ["interview", "hire"])
def test_interview_and_hire_need_a_date(counsellor, referred, action):
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, referred, action, on=None)
    assert "on" in refused.value.errors


def test_a_hire_cannot_be_dated_in_the_future(counsellor, referred, today):
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, referred, "hire", on=today + datetime.timedelta(days=1))
    assert "on" in refused.value.errors
    referred.refresh_from_db()
    assert referred.state == State.REFERRED


def test_an_interview_may_be_in_the_future_and_its_outcome_is_due_after_it(counsellor, referred, today):
    interview_on = datetime.date(2026, 12, 7)  # a Monday, after today (Wednesday 25 November)
    result = act(counsellor, referred, "interview", on=interview_on)
    assert result.interview_on == interview_on
    # 10 working days after Monday 7 December: 8–11, 14–18, 21 December.
    assert result.step_deadline == datetime.date(2026, 12, 21)


def test_a_long_note_is_refused(counsellor, shown):
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, shown, "interested", note="长" * 501)
    assert "note" in refused.value.errors


def test_refer_refuses_a_vacancy_no_longer_published(counsellor, head, shown):
    move(shown.vacancy, counsellor, "suspend", note="招满前暂停")
    with pytest.raises(ValidationFailed) as refused:
        act(counsellor, shown, "refer")
    assert refused.value.code == "vacancy_not_published"


# --- versions and scope ------------------------------------------------------------------


def test_a_stale_version_is_a_concurrent_edit(counsellor, shown):
    stale = shown.version
    act(counsellor, shown, "interested")
    with pytest.raises(ConcurrentEdit):
        services.recommendation_act(
            acting_user=counsellor, recommendation=shown, action="refer", version=stale
        )
    shown.refresh_from_db()
    assert shown.state == State.INTERESTED


@pytest.mark.parametrize("persona", ["counsellor_jiri", "counsellor_linzhou", "district_chengguan", "city"])
def test_only_front_line_staff_of_the_area_may_act(personas, shown, persona):
    with pytest.raises(NotAllowed):
        act(personas[persona], shown, "interested")


def test_the_station_head_may_act(personas, shown):
    assert act(personas["head_chengguan"], shown, "interested").state == State.INTERESTED


# --- timestamps, deadlines, audit ---------------------------------------------------------


def test_shown_at_is_set_on_the_first_step_past_matched_and_kept(counsellor, head, today):
    rec = recommendation(State.MATCHED, counsellor=counsellor, head=head)
    assert rec.shown_at is None
    shown = act(counsellor, rec, "show")
    first = shown.shown_at
    assert first is not None
    referred = act(counsellor, shown, "refer")
    assert referred.shown_at == first and referred.referred_at is not None


def test_withdrawing_a_match_never_shown_does_not_count_as_shown(counsellor, head, today):
    rec = recommendation(State.WITHDRAWN, counsellor=counsellor, head=head)
    assert rec.shown_at is None and rec.closed_at is not None and rec.withdraw_reason == "mistake"


def test_referring_straight_from_the_match_counts_as_shown(counsellor, head, today):
    rec = recommendation(State.REFERRED, counsellor=counsellor, head=head)
    assert rec.shown_at is not None and rec.referred_at is not None


def test_deadlines_are_set_on_waiting_states_and_cleared_otherwise(counsellor, head, today):
    rec = recommendation(State.MATCHED, counsellor=counsellor, head=head)
    shown = act(counsellor, rec, "show")
    # 5 working days after Wednesday 25 November 2026: 26, 27, 30 Nov, 1, 2 Dec.
    assert shown.step_deadline == datetime.date(2026, 12, 2)
    interested = act(counsellor, shown, "interested")
    assert interested.step_deadline is None
    referred = act(counsellor, interested, "refer")
    # 10 working days: 26, 27, 30 Nov, 1–4, 7–9 Dec.
    assert referred.step_deadline == datetime.date(2026, 12, 9)
    hired = act(counsellor, referred, "hire")
    assert hired.step_deadline is None


def test_the_employer_deadline_skips_the_national_day_holiday(counsellor, head):
    # 30 September 2026 is the last working day before the 1–7 October holiday; Saturday
    # 10 October is a make-up working day (data/lhasa_holidays.csv).
    with at("2026-09-30"):
        rec = recommendation(State.REFERRED, counsellor=counsellor, head=head)
    # 8, 9, 10 (Sat, worked), 12–16, 19, 20 October.
    assert rec.step_deadline == datetime.date(2026, 10, 20)
    with at("2026-09-30"):
        shown = recommendation(State.SHOWN, counsellor=counsellor, head=head)
    # 8, 9, 10, 12, 13 October.
    assert shown.step_deadline == datetime.date(2026, 10, 13)


def test_an_unrelated_edit_does_not_move_the_deadline(counsellor, head, today):
    rec = recommendation(State.REFERRED, counsellor=counsellor, head=head)
    deadline = rec.step_deadline
    Recommendation.objects.filter(pk=rec.pk).update(note="电话确认过", updated_at=timezone.now())
    rec.refresh_from_db()
    assert rec.step_deadline == deadline


def test_each_step_is_audited_with_its_action(counsellor, shown):
    act(counsellor, shown, "interested")
    entry = AuditEntry.objects.filter(object_type="recommendations.recommendation", note="interested").get()
    assert entry.actor == counsellor
    assert entry.changes["state"] == {"before": "shown", "after": "interested"}


# --- follow-up after a hire ----------------------------------------------------------------


def test_follow_up_is_recorded_once_and_logged(counsellor, head, today):
    hired = recommendation(State.HIRED, counsellor=counsellor, head=head)
    assert hired.follow_up_on == today + datetime.timedelta(days=30)
    done = services.recommendation_record_follow_up(
        acting_user=counsellor, recommendation=hired, version=hired.version, note="适应良好"
    )
    assert done.followed_up_on == today
    step = Step.objects.filter(recommendation=hired).latest("id")
    assert (step.action, step.from_state, step.to_state, step.note) == (
        "follow_up",
        "hired",
        "hired",
        "适应良好",
    )
    with pytest.raises(ValidationFailed):
        services.recommendation_record_follow_up(
            acting_user=counsellor, recommendation=done, version=done.version
        )


def test_only_a_hire_is_followed_up(counsellor, shown):
    with pytest.raises(ValidationFailed):
        services.recommendation_record_follow_up(
            acting_user=counsellor, recommendation=shown, version=shown.version
        )


def test_a_new_seeker_for_the_same_vacancy_is_a_separate_recommendation(counsellor, vacancy, person):
    other = seeker(counsellor)
    assert create(person, vacancy).pk != create(other, vacancy).pk
