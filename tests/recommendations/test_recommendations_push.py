"""Pushing a matched vacancy to the seeker shows it to them (§5.3: matched and shown)."""

import pytest

from notifications.services import push_to_person
from recommendations.models import State
from tests.recommendations.recommendation_builders import published_vacancy, recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pushes_off_the_queue(monkeypatch):
    from notifications import services as notification_services

    monkeypatch.setattr(notification_services, "_enqueue", lambda push_id: None)


def test_a_pushed_vacancy_marks_its_matched_recommendation_shown(personas):
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    rec = recommendation(State.MATCHED, counsellor=counsellor, head=head)
    push_to_person(person=rec.person, item=rec.vacancy, acting_user=counsellor)
    rec.refresh_from_db()
    assert rec.state == State.SHOWN
    assert rec.shown_at is not None and rec.step_deadline is not None
    step = rec.steps.get(action="show")
    assert (step.by, step.side) == (counsellor, "counsellor")


def test_a_push_leaves_other_recommendations_alone(personas):
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    rec = recommendation(State.MATCHED, counsellor=counsellor, head=head)
    other = published_vacancy(counsellor, head)
    push_to_person(person=rec.person, item=other, acting_user=counsellor)
    rec.refresh_from_db()
    assert rec.state == State.MATCHED and rec.shown_at is None
