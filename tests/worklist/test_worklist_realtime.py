"""The domains keep their work items current as they change, not only at the 06:00 sync."""

import datetime

import pytest
from django.utils import timezone

from people.services import contact_record
from recommendations.models import State
from tests.recommendations.recommendation_builders import act, recommendation
from tests.worklist.conftest import at
from worklist.models import Kind, WorkItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pushes_off_the_queue(monkeypatch):
    from notifications import services as notification_services

    monkeypatch.setattr(notification_services, "_enqueue", lambda push_id: None)


def open_items(kind, person):
    return WorkItem.objects.filter(kind=kind, person=person, done_on__isnull=True, cancelled_on__isnull=True)


def test_a_referral_shows_on_the_worklist_at_once_and_the_hire_replaces_it(counsellor, head):
    with at("2026-11-25"):
        rec = recommendation(State.SHOWN, counsellor=counsellor, head=head)
        rec = act(counsellor, rec, "refer")
    [step] = open_items(Kind.RECOMMENDATION_STEP, rec.person)
    assert step.due_on == rec.step_deadline
    with at("2026-11-30"):
        rec = act(counsellor, rec, "hire")
    assert not open_items(Kind.RECOMMENDATION_STEP, rec.person).exists()
    [follow_up] = open_items(Kind.HIRE_FOLLOW_UP, rec.person)
    assert follow_up.due_on == rec.follow_up_on


def test_an_information_update_meets_the_monthly_item_at_once(counsellor):
    from tests.worklist.test_worklist_sync import _in_rural_labour
    from worklist.sync import sync_person

    with at("2026-11-10"):
        person = _in_rural_labour(counsellor, datetime.date(2026, 11, 10))
        sync_person(person)
        [update] = open_items(Kind.MONTHLY_UPDATE, person)
    with at("2026-11-12"):
        contact_record(
            acting_user=counsellor,
            person=person,
            at=timezone.now(),
            channel="phone",
            outcome="reached",
            info_updated=True,
        )
    update.refresh_from_db()
    assert update.done_on == datetime.date(2026, 11, 12)
