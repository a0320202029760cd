"""Delivery: sent once, retried through django-q2 on failure, never sent twice."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import Schedule

from notifications import services, tasks
from notifications.models import Push, PushStatus
from people.services import consent_give
from tests.factories import person
from tests.notifications.push_data import FAKE, Gateway, vacancy


@pytest.fixture
def sms_push(counsellor, personas, monkeypatch, django_capture_on_commit_callbacks):
    """A push on the (fake) SMS channel, recorded but not yet handed to the queue."""
    monkeypatch.setattr(services, "_enqueue", lambda push_id: None)
    seeker = person(user=counsellor)
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    job = vacancy(reviewer=personas["head_chengguan"])
    with django_capture_on_commit_callbacks(execute=True):
        push = services.push_to_person(person=seeker, item=job, acting_user=counsellor)
    assert push.channel == "sms"
    return push


def retries(push) -> list[Schedule]:
    return list(Schedule.objects.filter(name__startswith=f"push-{push.pk}-retry-").order_by("id"))


def test_a_push_is_sent_once(sms_push):
    assert tasks.deliver(sms_push.pk) == PushStatus.SENT
    sms_push.refresh_from_db()
    assert sms_push.status == PushStatus.SENT and sms_push.attempts == 1
    assert sms_push.sent_at is not None and sms_push.provider_message_id == "fake-1"
    assert Gateway.sent == [sms_push.pk]


def test_delivering_again_sends_nothing_more(sms_push):
    tasks.deliver(sms_push.pk)
    assert tasks.deliver(sms_push.pk) == "skipped"
    assert tasks.deliver(sms_push.pk) == "skipped"
    assert Gateway.sent == [sms_push.pk]
    sms_push.refresh_from_db()
    assert sms_push.attempts == 1


def test_a_second_run_arriving_while_the_first_is_sending_does_not_send(sms_push):
    nested = []
    # While the first run talks to the gateway, a second worker picks the same task up.
    Gateway.on_send = lambda push: nested.append(tasks.deliver(push.pk)) if not nested else None
    assert tasks.deliver(sms_push.pk) == PushStatus.SENT
    assert nested == ["skipped"]
    assert Gateway.sent == [sms_push.pk]


def test_failing_once_then_succeeding_sends_exactly_once_after_a_scheduled_retry(sms_push, settings):
    settings.NOTIFY_RETRY_BACKOFF_SECONDS = 60
    Gateway.failures_left = 1
    before = timezone.now()
    assert tasks.deliver(sms_push.pk) == PushStatus.PENDING
    sms_push.refresh_from_db()
    assert sms_push.attempts == 1 and "503" in sms_push.last_error and Gateway.sent == []
    [retry] = retries(sms_push)
    assert retry.func == "notifications.tasks.deliver"
    assert retry.schedule_type == Schedule.ONCE
    assert retry.next_run >= before + datetime.timedelta(seconds=60)
    # The scheduler runs the retry later.
    assert tasks.deliver(sms_push.pk) == PushStatus.SENT
    sms_push.refresh_from_db()
    assert sms_push.status == PushStatus.SENT and sms_push.attempts == 2 and sms_push.last_error == ""
    assert Gateway.sent == [sms_push.pk]
    assert len(retries(sms_push)) == 1


def test_a_push_that_keeps_failing_is_marked_failed_after_the_last_attempt(sms_push, settings):
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "sms": FAKE + "BrokenBackend"}
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BACKOFF_SECONDS = 10
    statuses = [tasks.deliver(sms_push.pk) for _ in range(3)]
    assert statuses == [PushStatus.PENDING, PushStatus.PENDING, PushStatus.FAILED]
    sms_push.refresh_from_db()
    assert sms_push.status == PushStatus.FAILED and sms_push.attempts == 3
    assert sms_push.last_error == "gateway down" and sms_push.sent_at is None
    # Two retries were scheduled, the second after twice the wait.
    first, second = retries(sms_push)
    assert second.next_run - first.next_run >= datetime.timedelta(seconds=10)
    assert tasks.deliver(sms_push.pk) == "skipped"


def test_a_permanent_refusal_is_not_retried(sms_push, settings):
    settings.NOTIFY_BACKENDS = {**settings.NOTIFY_BACKENDS, "sms": FAKE + "RefusingBackend"}
    assert tasks.deliver(sms_push.pk) == PushStatus.FAILED
    sms_push.refresh_from_db()
    assert sms_push.attempts == 1 and retries(sms_push) == []


def test_a_cancelled_push_is_not_sent(sms_push, counsellor):
    services.push_cancel(acting_user=counsellor, push=sms_push)
    assert tasks.deliver(sms_push.pk) == "skipped"
    assert Gateway.sent == []


def test_a_claim_abandoned_by_a_dead_worker_is_taken_over_after_it_goes_stale(
    sms_push, settings, monkeypatch
):
    settings.NOTIFY_SENDING_STALE_SECONDS = 600
    Push.objects.filter(pk=sms_push.pk).update(
        status=PushStatus.SENDING, claimed_at=timezone.now(), attempts=1
    )
    assert tasks.deliver(sms_push.pk) == "skipped"  # someone is still sending it
    assert services.requeue_pushes() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        requeued = []
        monkeypatch.setattr(services, "_enqueue", requeued.append)
        assert services.requeue_pushes() == 1
        assert requeued == [sms_push.pk]
        assert tasks.deliver(sms_push.pk) == PushStatus.SENT
    sms_push.refresh_from_db()
    assert sms_push.attempts == 2 and Gateway.sent == [sms_push.pk]


def test_a_missing_push_is_skipped(db):
    assert tasks.deliver(987654) == "skipped"


def test_through_the_queue_the_push_goes_out_after_commit(
    counsellor, personas, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)  # django-q2 runs the task in-process
    seeker = person(user=counsellor)
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    job = vacancy(reviewer=personas["head_chengguan"])
    with django_capture_on_commit_callbacks(execute=True):
        push = services.push_to_person(person=seeker, item=job, acting_user=counsellor)
        assert Gateway.sent == []
    push.refresh_from_db()
    assert push.status == PushStatus.SENT and Gateway.sent == [push.pk]
    # Pushing again is a no-op: no second send through the queue either.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.push_to_person(person=seeker, item=job, acting_user=counsellor)
    assert again.pk == push.pk and Gateway.sent == [push.pk]


def test_the_database_channel_marks_the_push_sent(
    counsellor, personas, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)
    seeker = person(user=counsellor, contact_channel="visit")
    with django_capture_on_commit_callbacks(execute=True):
        push = services.push_to_person(
            person=seeker, item=vacancy(reviewer=personas["head_chengguan"]), acting_user=counsellor
        )
    push.refresh_from_db()
    assert push.channel == "database" and push.status == PushStatus.SENT
    assert push.provider_message_id == f"db-{push.pk}"
