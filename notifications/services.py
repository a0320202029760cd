"""Writes of the push channel (§5.4.1): push an item to a person, deliver it, notify an account.

Consent rule for pushes (purpose "notifications", people.Consent, GB/T 35273 §5.4):
- a consent names one channel (SMS, WeChat) or none (every channel). For one channel,
  the person's latest word counts: the most recent giving or withdrawal among the
  consents naming that channel or every channel. So withdrawing the SMS consent stops
  SMS only, withdrawing the all-channel consent stops every channel, and consent given
  again later opens the channel again;
- a channel is used only while its consent stands;
- consent on file but none standing on any channel: nothing is pushed, on any channel;
- no consent on file: the item may only be recorded in-app (the "database" channel,
  which sends nothing to the person); asking for SMS or WeChat is refused.

A withdrawal acts at once: the person's pushes waiting on a channel that lost its consent
are cancelled in the withdrawal's transaction (`pushes_cancel_without_consent`), and
delivery checks the consent again when it claims a push, so a push claimed after the
withdrawal is cancelled, not sent.

Delivery claims the row under a lock, sends outside the transaction and records the
outcome under the lock again, so two runs of `push_deliver` for one push send once
and SQLite is not held locked while a gateway answers. Failures are retried through
django-q2 with a doubling wait, up to NOTIFY_MAX_ATTEMPTS sends.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.models import Schedule
from django_q.tasks import async_task, schedule

from audit.models import Action
from audit.services import audit_change, snapshot
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from notifications import messages
from notifications.backends import DeliveryError, configured_channels, get_backend
from notifications.models import CancelReason, Channel, ItemType, Notice, Push, PushStatus, dedupe_key
from notifications.selectors import push_ratio_by_unit, pushes_this_month  # noqa: F401 - the brief's names
from people.choices import ConsentPurpose, ContactChannel
from policies.models import Policy
from training.models import Course
from training.selectors import recommendable_courses
from vacancies.models import Vacancy
from vacancies.selectors import published_vacancies

logger = logging.getLogger(__name__)

DELIVER_TASK = "notifications.tasks.deliver"

NOT_PUBLISHED = _("Only a published vacancy can be pushed.")
NOT_RECOMMENDABLE = _(
    "Only a published course that has not ended, of an active provider with a valid licence, can be pushed."
)
UNKNOWN_ITEM = _("Only vacancies and training courses can be pushed.")
POLICY_INACTIVE = _("This policy is no longer in force and cannot be pushed.")
CONSENT_WITHDRAWN = _("The person withdrew consent to job and training notifications. Nothing can be pushed.")
CHANNEL_WITHDRAWN = _("The person withdrew consent to notifications by %(channel)s.")
CONSENT_MISSING = _(
    "No consent to notifications is on file, so the item can only be recorded in-app. "
    "Record the person's consent first to send it by %(channel)s."
)
CHANNEL_OFF = _("The %(channel)s channel is not set up on this system.")
CHANNEL_UNREACHABLE = _("The person cannot be reached by %(channel)s (no phone number or account on file).")
NOT_A_CHANNEL = _("Not one of the allowed values.")
NOT_PENDING = _("Only a push that is waiting to be sent can be cancelled.")

# The person's preferred contact channel → the channel a push goes out on.
CONTACT_TO_CHANNEL = {
    ContactChannel.PHONE: Channel.SMS,
    ContactChannel.SMS: Channel.SMS,
    ContactChannel.WECHAT: Channel.WECHAT,
}


class ConsentState:
    GIVEN = "given"
    WITHDRAWN = "withdrawn"
    NONE = "none"


# Channels that reach the person and so need consent; the in-app record does not.
CONSENTED_CHANNELS = tuple(c for c in Channel.values if c != Channel.DATABASE)


def _channel_state(rows: list[tuple], channel: str) -> str:
    """The latest giving or withdrawal among consents naming `channel` or every channel."""
    events = []
    for row_channel, given_at, withdrawn_at in rows:
        if row_channel in ("", channel):
            events.append((given_at, 0, ConsentState.GIVEN))
            if withdrawn_at is not None:
                events.append((withdrawn_at, 1, ConsentState.WITHDRAWN))
    return max(events)[2] if events else ConsentState.NONE


def consent_by_channel(person) -> dict[str, str]:
    """Each channel that needs consent → given, withdrawn or none (rule in the module docstring)."""
    rows = list(
        person.consents.filter(purpose=ConsentPurpose.NOTIFICATIONS).values_list(
            "channel", "given_at", "withdrawn_at"
        )
    )
    return {channel: _channel_state(rows, channel) for channel in CONSENTED_CHANNELS}


def notification_consent(person) -> str:
    """Given when any channel may be used; withdrawn when consent is on file but stands on
    no channel (nothing may be pushed); none when nothing is on file."""
    states = set(consent_by_channel(person).values())
    if ConsentState.GIVEN in states:
        return ConsentState.GIVEN
    return ConsentState.WITHDRAWN if ConsentState.WITHDRAWN in states else ConsentState.NONE


def _channel_label(channel: str) -> str:
    return str(Channel(channel).label)


def _refuse_channel(message, channel: str):
    raise ValidationFailed(errors={"channel": [str(message % {"channel": _channel_label(channel)})]})


def resolve_channel(*, person, requested: str | None, consents: dict[str, str]) -> str:
    """The asked-for channel if it may and can be used; otherwise the person's preferred
    one when possible, else the in-app record. `consents` is consent_by_channel(person)."""
    configured = configured_channels()
    if requested:
        if requested not in Channel.values:
            raise ValidationFailed(errors={"channel": [str(NOT_A_CHANNEL)]})
        if requested not in configured:
            _refuse_channel(CHANNEL_OFF, requested)
        state = consents.get(requested, ConsentState.GIVEN)
        if state == ConsentState.WITHDRAWN:
            _refuse_channel(CHANNEL_WITHDRAWN, requested)
        if state != ConsentState.GIVEN:
            _refuse_channel(CONSENT_MISSING, requested)
        if not get_backend(requested).can_reach(person):
            _refuse_channel(CHANNEL_UNREACHABLE, requested)
        return requested
    preferred = CONTACT_TO_CHANNEL.get(person.contact_channel, Channel.DATABASE)
    if (
        consents.get(preferred) == ConsentState.GIVEN
        and preferred in configured
        and get_backend(preferred).can_reach(person)
    ):
        return preferred
    return Channel.DATABASE


def _pushable(item, today: datetime.date) -> tuple[str, str, dict, object]:
    """(item type, message kind, render context, fresh item) or a refusal."""
    if isinstance(item, Vacancy):
        fresh = published_vacancies().filter(pk=item.pk).first()
        if fresh is None:
            raise ValidationFailed(errors={"item": [str(NOT_PUBLISHED)]})
        return ItemType.VACANCY, "vacancy_push", {"vacancy": fresh}, fresh
    if isinstance(item, Course):
        fresh = recommendable_courses(today=today).filter(pk=item.pk).first()
        if fresh is None:
            raise ValidationFailed(errors={"item": [str(NOT_RECOMMENDABLE)]})
        return ItemType.COURSE, "course_push", {"course": fresh}, fresh
    if isinstance(item, Policy):
        fresh = Policy.objects.filter(pk=item.pk, is_active=True).first()
        if fresh is None:
            raise ValidationFailed(errors={"item": [str(POLICY_INACTIVE)]})
        return ItemType.POLICY, "policy_push", {"policy": fresh}, fresh
    raise ValidationFailed(errors={"item": [str(UNKNOWN_ITEM)]})


def _enqueue(push_id: int) -> None:
    async_task(DELIVER_TASK, push_id, task_name=f"push-{push_id}")


@transaction.atomic
def push_to_person(
    *, person, item, channel: str | None = None, acting_user=None, request=None, today=None
) -> Push:
    """Record a push of a vacancy, course or policy to a person and send it after commit.

    Pushing the same item to the same person on the same channel again returns the
    first push (with `is_new` False) and sends nothing, so the 1:4 count stays honest.
    `acting_user` None means the system pushed.
    """
    if acting_user is not None and not (
        acting_user.has_perm("notifications.push_item") and unit_in_scope(acting_user, person.unit)
    ):
        raise NotAllowed()
    today = today or timezone.localdate()
    item_type, kind, context, item = _pushable(item, today)
    consents = consent_by_channel(person)
    if ConsentState.GIVEN not in consents.values() and ConsentState.WITHDRAWN in consents.values():
        raise ValidationFailed(errors={"__all__": [str(CONSENT_WITHDRAWN)]}, code="consent_withdrawn")
    channel = resolve_channel(person=person, requested=channel, consents=consents)
    key = dedupe_key(person_id=person.pk, item_type=item_type, item_id=item.pk, channel=channel)
    existing = Push.objects.filter(dedupe_key=key).first()
    if existing is not None:
        existing.is_new = False
        return existing
    rendered = messages.render(kind, language=person.preferred_language, context=context)
    push = Push(
        person=person,
        item_type=item_type,
        item_id=item.pk,
        channel=channel,
        language=rendered.language,
        subject=rendered.subject,
        body=rendered.body,
        link=rendered.link[:300],
        created_by=acting_user,
        dedupe_key=key,
    )
    try:
        push.full_clean(validate_unique=False)  # uniqueness is the database's job, race included
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc
    try:
        with transaction.atomic():
            push.save()
    except IntegrityError:
        # A concurrent push of the same item won the race; theirs is the one.
        existing = Push.objects.get(dedupe_key=key)
        existing.is_new = False
        return existing
    push.is_new = True
    audit_change(actor=acting_user, action=Action.CREATE, instance=push, request=request)
    if item_type == ItemType.VACANCY:
        from recommendations.services import recommendation_shown_by_push  # sits above notifications

        recommendation_shown_by_push(person=person, vacancy_id=item.pk, by=acting_user, today=today)
    push_id = push.pk
    # robust: a broker that is down must not fail the request; `requeue_pushes` sends it later.
    transaction.on_commit(lambda: _enqueue(push_id), robust=True)
    return push


@transaction.atomic
def push_cancel(*, acting_user, push: Push, request=None) -> Push:
    if not (acting_user.has_perm("notifications.push_item") and unit_in_scope(acting_user, push.person.unit)):
        raise NotAllowed()
    push = Push.objects.select_for_update().get(pk=push.pk)
    if push.status != PushStatus.PENDING:
        raise ValidationFailed(errors={"__all__": [str(NOT_PENDING)]})
    before = snapshot(push)
    push.status = PushStatus.CANCELLED
    push.cancel_reason = CancelReason.BY_STAFF
    push.save(update_fields=["status", "cancel_reason"])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=push, before=before, request=request)
    return push


@transaction.atomic
def pushes_cancel_without_consent(*, person, acting_user=None, request=None) -> int:
    """Cancel the person's waiting pushes (queued or waiting for a retry) on every channel
    whose consent no longer stands. Called in the transaction that records a withdrawal,
    so the cancellation and the withdrawal commit together; the in-app record is left alone."""
    consents = consent_by_channel(person)
    stopped = [channel for channel, state in consents.items() if state != ConsentState.GIVEN]
    pushes = Push.objects.select_for_update().filter(
        person=person, status=PushStatus.PENDING, channel__in=stopped
    )
    cancelled = 0
    for push in pushes:
        before = snapshot(push)
        push.status = PushStatus.CANCELLED
        push.cancel_reason = CancelReason.CONSENT_WITHDRAWN
        push.save(update_fields=["status", "cancel_reason"])
        audit_change(
            actor=acting_user,
            action=Action.UPDATE,
            instance=push,
            before=before,
            request=request,
            note="cancelled: consent to this channel withdrawn",
        )
        cancelled += 1
    return cancelled


# --- delivery --------------------------------------------------------------------------


def _consent_stands(push: Push) -> bool:
    if push.channel == Channel.DATABASE:
        return True
    return consent_by_channel(push.person).get(push.channel, ConsentState.GIVEN) == ConsentState.GIVEN


def _claim(push_id: int) -> Push | None:
    """Take the push for one send, or None when it is done, another run is sending it, or
    the person withdrew consent to its channel since it was queued (then it is cancelled)."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=settings.NOTIFY_SENDING_STALE_SECONDS)
    with transaction.atomic():
        push = Push.objects.select_for_update().filter(pk=push_id).first()
        if push is None or push.status not in (PushStatus.PENDING, PushStatus.SENDING):
            return None
        if push.status == PushStatus.SENDING and push.claimed_at and push.claimed_at > stale:
            return None
        if not _consent_stands(push):
            push.status = PushStatus.CANCELLED
            push.cancel_reason = CancelReason.CONSENT_WITHDRAWN
            push.save(update_fields=["status", "cancel_reason"])
            return None
        push.status = PushStatus.SENDING
        push.claimed_at = now
        push.attempts += 1
        push.save(update_fields=["status", "claimed_at", "attempts"])
    return Push.objects.select_related("person").get(pk=push_id)


def retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NOTIFY_RETRY_BACKOFF_SECONDS * 2 ** max(0, attempts - 1))


def _schedule_retry(push: Push) -> None:
    name = f"push-{push.pk}-retry-{push.attempts}"
    try:
        schedule(
            DELIVER_TASK,
            push.pk,
            name=name,
            schedule_type=Schedule.ONCE,
            next_run=timezone.now() + retry_delay(push.attempts),
        )
    except IntegrityError:
        logger.info("retry %s is already scheduled", name)


def _record(push: Push, *, message_id: str = "", error: DeliveryError | None = None) -> str:
    with transaction.atomic():
        current = Push.objects.select_for_update().get(pk=push.pk)
        if current.status != PushStatus.SENDING or current.claimed_at != push.claimed_at:
            # Another run took the push over after our claim went stale; its outcome counts.
            return current.status
        if error is None:
            current.status = PushStatus.SENT
            current.sent_at = timezone.now()
            current.provider_message_id = message_id
            current.last_error = ""
        else:
            current.last_error = str(error)[:500]
            if error.retry and current.attempts < settings.NOTIFY_MAX_ATTEMPTS:
                current.status = PushStatus.PENDING
                _schedule_retry(current)
            else:
                current.status = PushStatus.FAILED
        current.save(update_fields=["status", "sent_at", "provider_message_id", "last_error"])
        return current.status


def push_deliver(*, push_id: int) -> str:
    """Send one push once. Safe to call again, late or concurrently: a sent, failed or
    cancelled push is left alone, and a push being sent by another run is skipped."""
    push = _claim(push_id)
    if push is None:
        return "skipped"
    try:
        message_id = get_backend(push.channel).send(push)
    except DeliveryError as exc:
        return _record(push, error=exc)
    return _record(push, message_id=message_id or "")


def requeue_pushes(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Send again what was never handed to the queue (broker down at commit) or whose
    sender died mid-send. Pending pushes that already failed once have a retry scheduled."""
    now = timezone.now()
    never_tried = Push.objects.filter(status=PushStatus.PENDING, attempts=0, created_at__lt=now - older_than)
    stale = now - datetime.timedelta(seconds=settings.NOTIFY_SENDING_STALE_SECONDS)
    stuck = Push.objects.filter(status=PushStatus.SENDING, claimed_at__lt=stale)
    ids = list(never_tried.values_list("pk", flat=True)) + list(stuck.values_list("pk", flat=True))
    for push_id in ids:
        _enqueue(push_id)
    return len(ids)


# --- notices to accounts ---------------------------------------------------------------


@transaction.atomic
def notify_user(*, user, message: str, context: dict) -> Notice:
    """An in-app notice to a staff or employer account, in the account's language."""
    rendered = messages.render(message, language=user.language, context=context)
    return Notice.objects.create(
        user=user, kind=message, language=rendered.language, subject=rendered.subject, body=rendered.body
    )


def notices_mark_read(*, user, notice_ids: list[int] | None = None) -> int:
    """Mark the account's own notices read: the ones named, or all of them."""
    notices = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())
