"""Reads: scope (a unit, its sibling, the supervisors above), filters, allowed steps, the two
worklists, and the employer responsiveness the engine scores with."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from recommendations import selectors, services
from recommendations.models import State
from tests.recommendations.conftest import at
from tests.recommendations.recommendation_builders import act, published_vacancy, recommendation, seeker
from tests.vacancies.vacancy_builders import move


@pytest.fixture
def two_units(personas, head, today):
    """One recommendation of a 八廓街道 person and one of a 吉日街道 person."""
    ours = recommendation(State.SHOWN, counsellor=personas["counsellor_chengguan"], head=head)
    jiri = personas["counsellor_jiri"]
    theirs = recommendation(
        State.SHOWN,
        counsellor=jiri,
        person=seeker(jiri, unit_code="540102003"),
        vacancy=ours.vacancy,
    )
    return ours, theirs


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("counsellor_chengguan", {"ours"}),
        ("head_chengguan", {"ours"}),
        ("counsellor_jiri", {"theirs"}),
        ("district_chengguan", {"ours", "theirs"}),
        ("city", {"ours", "theirs"}),
        ("district_linzhou", set()),
        ("counsellor_linzhou", set()),
    ],
)
def test_each_user_sees_their_own_area(personas, two_units, persona, sees):
    ours, theirs = two_units
    names = {ours.pk: "ours", theirs.pk: "theirs"}
    listed = {names[r.pk] for r in selectors.recommendation_list(user=personas[persona])}
    assert listed == sees
    for rec in (ours, theirs):
        if names[rec.pk] in sees:
            assert selectors.recommendation_get(user=personas[persona], pk=rec.pk) == rec
        else:
            with pytest.raises(Http404):
                selectors.recommendation_get(user=personas[persona], pk=rec.pk)


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_see_no_recommendations(personas, two_units, persona):
    with pytest.raises(PermissionDenied):
        selectors.recommendation_list(user=personas[persona])


def test_filters(personas, two_units):
    ours, theirs = two_units
    city = personas["city"]
    assert list(selectors.recommendation_list(user=city, person=ours.person)) == [ours]
    assert set(selectors.recommendation_list(user=city, vacancy=ours.vacancy)) == {ours, theirs}
    assert list(selectors.recommendation_list(user=city, unit_code="540102003")) == [theirs]
    assert not selectors.recommendation_list(user=city, state=State.REFERRED).exists()
    assert selectors.recommendation_list(user=city, state=[State.SHOWN, State.REFERRED]).count() == 2


def test_steps_in_order(counsellor, head, today):
    rec = recommendation(State.INTERVIEW, counsellor=counsellor, head=head)
    assert [s.action for s in selectors.steps(rec)] == ["refer", "interview"]


def test_allowed_actions_follow_the_state_the_role_and_the_vacancy(personas, counsellor, head, today):
    rec = recommendation(State.SHOWN, counsellor=counsellor, head=head)
    names = [a.name for a in selectors.allowed_actions(user=counsellor, recommendation=rec)]
    assert names == ["interested", "decline", "refer", "withdraw"]
    assert selectors.allowed_actions(user=personas["district_chengguan"], recommendation=rec) == []
    assert selectors.allowed_actions(user=personas["counsellor_jiri"], recommendation=rec) == []
    move(rec.vacancy, counsellor, "suspend", note="暂停")
    rec.vacancy.refresh_from_db()
    names = [a.name for a in selectors.allowed_actions(user=counsellor, recommendation=rec)]
    assert "refer" not in names and "interested" in names


def test_overdue_lists_late_answers_and_no_responses_oldest_first(personas, counsellor, head):
    with at("2026-11-23"):
        old = recommendation(State.REFERRED, counsellor=counsellor, head=head)
    with at("2026-11-25"):
        late_shown = recommendation(State.SHOWN, counsellor=counsellor, head=head)
        fresh = recommendation(State.REFERRED, counsellor=counsellor, head=head)
    with at("2026-11-02"):
        expired = recommendation(State.REFERRED, counsellor=counsellor, head=head)
    with at("2026-12-01"):
        services.expire_recommendations()  # `expired` (due 16 November) becomes "no response"
    today = datetime.date(2026, 12, 8)
    listed = list(selectors.overdue(user=counsellor, today=today))
    # Due: late_shown 2 Dec, old 7 Dec; fresh is due 9 Dec, not late yet.
    assert listed == [expired, late_shown, old]
    assert fresh not in listed
    assert list(selectors.overdue(user=personas["counsellor_jiri"], today=today)) == []


def test_follow_ups_due_within_a_week_until_recorded(counsellor, head):
    with at("2026-11-02"):
        early = recommendation(State.HIRED, counsellor=counsellor, head=head)  # due 2 December
    with at("2026-11-20"):
        later = recommendation(State.HIRED, counsellor=counsellor, head=head)  # due 20 December
    today = datetime.date(2026, 11, 25)
    assert list(selectors.follow_ups_due(user=counsellor, today=today)) == [early]
    assert list(selectors.follow_ups_due(user=counsellor, today=datetime.date(2026, 12, 13))) == [
        early,
        later,
    ]
    with at("2026-12-03"):
        early.refresh_from_db()
        services.recommendation_record_follow_up(
            acting_user=counsellor, recommendation=early, version=early.version
        )
    assert list(selectors.follow_ups_due(user=counsellor, today=datetime.date(2026, 12, 13))) == [later]


def test_employer_responsiveness_counts_referrals_and_answers(counsellor, head, today):
    vacancy = published_vacancy(counsellor, head)
    employer = vacancy.employer
    other_vacancy = published_vacancy(counsellor, head)

    def rec(state, on=vacancy):
        return recommendation(state, counsellor=counsellor, vacancy=on)

    rec(State.MATCHED)  # never referred: not counted
    rec(State.SHOWN)  # never referred: not counted
    rec(State.REFERRED)  # referred, not answered
    rec(State.NO_RESPONSE)  # referred, not answered
    rec(State.INTERVIEW)  # answered
    rec(State.REJECTED)  # answered
    rec(State.HIRED)  # answered
    rec(State.NOT_HIRED)  # answered
    withdrawn_after_interview = rec(State.INTERVIEW)
    act(counsellor, withdrawn_after_interview, "withdraw")  # answered before the withdrawal
    rec(State.REFERRED, on=other_vacancy)
    unknown = 10**9
    counts = services.employer_responsiveness({employer.pk, other_vacancy.employer_id, unknown})
    assert counts == {employer.pk: (5, 7), other_vacancy.employer_id: (0, 1), unknown: (0, 0)}
    assert services.employer_responsiveness(set()) == {}
    later = services.employer_responsiveness(
        [employer.pk], since=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    )
    assert later == {employer.pk: (0, 0)}
