"""Consent per channel (GB/T 35273 §5.4): a withdrawal stops pushes through that channel at once."""

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import ValidationFailed
from notifications import services, tasks
from notifications.models import CancelReason, Push, PushStatus
from people.models import Consent
from people.services import consent_give, consent_withdraw
from tests.notifications.push_data import Gateway, course, vacancy

pytestmark = pytest.mark.usefixtures("no_queue")


@pytest.fixture
def items(personas):
    head = personas["head_chengguan"]
    return [vacancy(reviewer=head), vacancy(reviewer=head), course()]


def push(counsellor, seeker, item, channel):
    return services.push_to_person(person=seeker, item=item, acting_user=counsellor, channel=channel)


def status(p) -> tuple[str, str]:
    p.refresh_from_db()
    return p.status, p.cancel_reason


def test_withdrawing_the_sms_consent_cancels_queued_sms_and_leaves_other_channels(counsellor, seeker, items):
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    sms_consent = consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    sms = push(counsellor, seeker, items[0], "sms")
    in_app = push(counsellor, seeker, items[1], "database")
    console = push(counsellor, seeker, items[2], "console")

    consent_withdraw(acting_user=counsellor, consent=sms_consent)

    assert status(sms) == (PushStatus.CANCELLED, CancelReason.CONSENT_WITHDRAWN)
    assert status(in_app) == (PushStatus.PENDING, "")
    assert status(console) == (PushStatus.PENDING, "")  # the all-channel consent still covers it
    assert services.consent_by_channel(seeker) == {"console": "given", "sms": "withdrawn", "wechat": "given"}
    with pytest.raises(ValidationFailed) as refused:
        push(counsellor, seeker, items[2], "sms")
    assert refused.value.errors["channel"][0] == str(
        services.CHANNEL_WITHDRAWN % {"channel": services._channel_label("sms")}
    )
    assert tasks.deliver(sms.pk) == "skipped"
    assert Gateway.sent == []


def test_withdrawing_the_all_channel_consent_stops_every_channel(counsellor, seeker, items):
    everything = consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    sms_consent = consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    sms = push(counsellor, seeker, items[0], "sms")
    console = push(counsellor, seeker, items[1], "console")
    in_app = push(counsellor, seeker, items[2], "database")

    consent_withdraw(acting_user=counsellor, consent=everything)

    assert status(sms)[0] == status(console)[0] == PushStatus.CANCELLED
    assert status(in_app)[0] == PushStatus.PENDING
    sms_consent.refresh_from_db()
    assert sms_consent.withdrawn_at is not None and sms_consent.withdrawn_by == counsellor
    with pytest.raises(ValidationFailed) as refused:
        push(counsellor, seeker, items[0], None)
    assert refused.value.code == "consent_withdrawn"


def test_a_push_claimed_after_the_withdrawal_is_not_sent(counsellor, seeker, items):
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    sms = push(counsellor, seeker, items[0], "sms")
    # Withdrawn behind the service's back (a bulk update, as an anonymisation does): the
    # queued push was not cancelled, so delivery itself must look again.
    Consent.objects.filter(person=seeker).update(withdrawn_at=timezone.now())

    assert tasks.deliver(sms.pk) == "skipped"
    assert Gateway.sent == []
    assert status(sms) == (PushStatus.CANCELLED, CancelReason.CONSENT_WITHDRAWN)


def test_consent_given_again_opens_the_channel_again(counsellor, seeker, items):
    first = consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    consent_withdraw(acting_user=counsellor, consent=first)
    with pytest.raises(ValidationFailed):
        push(counsellor, seeker, items[0], "sms")
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    sms = push(counsellor, seeker, items[0], "sms")
    assert tasks.deliver(sms.pk) == PushStatus.SENT
    assert Gateway.sent == [sms.pk]


def test_purposes_are_independent(counsellor, seeker):
    service = consent_give(acting_user=counsellor, person=seeker, purpose="employment_service")
    notifications = consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    consent_withdraw(acting_user=counsellor, consent=notifications)
    service.refresh_from_db()
    assert service.withdrawn_at is None
    assert services.notification_consent(seeker) == services.ConsentState.WITHDRAWN


def test_one_open_consent_per_purpose_and_channel(counsellor, seeker):
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    with pytest.raises(ValidationFailed):
        consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    with pytest.raises(ValidationFailed):
        consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
    assert seeker.consents.count() == 2


def test_only_notifications_consent_names_a_channel(counsellor, seeker):
    with pytest.raises(ValidationFailed) as refused:
        consent_give(acting_user=counsellor, person=seeker, purpose="employment_service", channel="sms")
    assert "channel" in refused.value.errors
    assert not seeker.consents.exists()


def test_giving_and_withdrawing_are_audited(counsellor, seeker):
    consent = consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="wechat")
    consent_withdraw(acting_user=counsellor, consent=consent)
    entries = AuditEntry.objects.filter(object_type="people.consent", object_id=str(consent.pk))
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]
    update = entries.get(action="update")
    assert "withdrawn_at" in update.changes and update.actor == counsellor


def test_no_pending_push_is_left_on_a_withdrawn_channel(counsellor, seeker, items):
    consent = consent_give(acting_user=counsellor, person=seeker, purpose="notifications", channel="sms")
    pushes = [push(counsellor, seeker, item, "sms") for item in items]
    consent_withdraw(acting_user=counsellor, consent=consent)
    assert not Push.objects.filter(pk__in=[p.pk for p in pushes], status=PushStatus.PENDING).exists()
