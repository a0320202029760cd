"""Opening, completing and moving work items. Domain services call these; nothing else
writes WorkItem rows (the pages and the nightly jobs use the functions below too).

Also here: taking and reassigning items, the daily reminders and the escalation of
overdue items to the station head (SPEC §3 Deadlines; ANCHORS 5–7).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from core.scope import scoped, unit_in_scope
from worklist.models import WorkItem
from worklist.rules import REASSIGN, TAKE

FRONT_LINE = frozenset({Role.COUNSELLOR, Role.STATION_HEAD})
# Who hears of an overdue item when no station head covers its unit: the nearest level up.
ESCALATION_CHAIN = (Role.STATION_HEAD, Role.DISTRICT_SUPERVISOR, Role.CITY_SUPERVISOR)
REMINDER_GUARD = datetime.timedelta(hours=24)
REASSIGN_MAX_ITEMS = 500

NOT_OPEN = _("This work item is already done or closed.")
ALREADY_ASSIGNED = _("This work item is already assigned to %(name)s.")
ASSIGNEE_NOT_ALLOWED = _("Choose a counsellor or station head of your own unit.")
NO_ITEMS = _("Choose at least one work item.")
TOO_MANY_ITEMS = _("Reassign at most %(max)s work items at a time.")


def source_key(source) -> tuple[str, int]:
    return source._meta.label_lower, source.pk


def open_items() -> QuerySet:
    return WorkItem.objects.filter(done_on__isnull=True, cancelled_on__isnull=True)


def _open_items(kind: str | None, source):
    source_type, source_id = source_key(source)
    items = open_items().filter(source_type=source_type, source_id=source_id)
    return items.filter(kind=kind) if kind else items


def item_open(*, kind: str, source, due_on: datetime.date, person=None, unit=None, assignee=None) -> WorkItem:
    """The open item of this obligation with this due date, created or re-dated.

    Idempotent: calling again with a new due date moves the open item; the unit defaults
    to the person's unit. A new date starts a new reminder and escalation cycle.
    """
    unit = unit or person.unit
    source_type, source_id = source_key(source)
    with transaction.atomic():
        item = _open_items(kind, source).select_for_update().first()
        if item is not None:
            if item.due_on != due_on:
                item.due_on = due_on
                item.reminded_at = item.escalated_at = None
                item.version += 1
                item.save(update_fields=["due_on", "reminded_at", "escalated_at", "version"])
            return item
        try:
            with transaction.atomic():
                return WorkItem.objects.create(
                    kind=kind,
                    person=person,
                    unit=unit,
                    assignee=assignee,
                    source_type=source_type,
                    source_id=source_id,
                    due_on=due_on,
                )
        except IntegrityError:
            # Opened concurrently: theirs is the one.
            return _open_items(kind, source).get()


def items_open_new(*, kind: str, rows: list[tuple]) -> int:
    """One insert for the items of sources created just now in the same transaction
    (imports and the nightly refresh open thousands of files at once).

    `rows` are (source, due_on, person, unit). Only for brand-new sources: nothing can be
    open for them yet, so the one-open-item constraint holds by construction.
    """
    items = []
    for source, due_on, person, unit in rows:
        source_type, source_id = source_key(source)
        items.append(
            WorkItem(
                kind=kind,
                person=person,
                unit=unit,
                source_type=source_type,
                source_id=source_id,
                due_on=due_on,
            )
        )
    WorkItem.objects.bulk_create(items, batch_size=1000)
    return len(items)


def item_done(*, kind: str | None, source, done_on: datetime.date | None = None) -> int:
    """Mark the source's open item(s) of this kind (or of every kind) done."""
    return _open_items(kind, source).update(done_on=done_on or timezone.localdate(), version=F("version") + 1)


def item_cancel(*, kind: str | None, source, on: datetime.date | None = None) -> int:
    """The obligation went away without being met (file closed, plan replaced)."""
    return _open_items(kind, source).update(cancelled_on=on or timezone.localdate(), version=F("version") + 1)


def items_follow_person(*, person, unit) -> int:
    """On transfer the person's open items move to the receiving unit, unassigned; the
    receiving unit's reminders and escalation start afresh."""
    return (
        open_items()
        .filter(person=person)
        .update(unit=unit, assignee=None, reminded_at=None, escalated_at=None, version=F("version") + 1)
    )


# --- who works on a unit's items --------------------------------------------------------------


def _covering_paths(unit) -> list[str]:
    """The unit's own path and its ancestors' ("540100/", "540100/540102/", ...)."""
    codes = [code for code in unit.path.split("/") if code]
    return ["".join(f"{code}/" for code in codes[: n + 1]) for n in range(len(codes))]


def staff_covering(unit, roles) -> QuerySet:
    """Active staff in `roles` whose area holds the unit (the unit itself or one above it)."""
    return User.objects.filter(is_active=True, role__in=list(roles), unit__path__in=_covering_paths(unit))


def can_work_on(user, unit) -> bool:
    return bool(user.is_active and user.role in FRONT_LINE and unit_in_scope(user, unit))


# --- take and reassign -------------------------------------------------------------------------


def _lock(queryset: QuerySet) -> QuerySet:
    """Lock the work-item rows only: PostgreSQL refuses FOR UPDATE on the nullable side of
    a join (person, assignee), and SQLite's IMMEDIATE transactions serialise writers anyway."""
    if not connection.features.has_select_for_update:
        return queryset
    of = ("self",) if connection.features.has_select_for_update_of else ()
    return queryset.select_for_update(of=of)


def _locked(item_id: int) -> WorkItem | None:
    return _lock(WorkItem.objects.select_related("unit", "assignee").filter(pk=item_id)).first()


@transaction.atomic
def work_item_take(*, acting_user, item: WorkItem, version: int, request=None) -> WorkItem:
    """An unassigned item of the user's area becomes theirs ("take it")."""
    if not acting_user.has_perm(TAKE) or not unit_in_scope(acting_user, item.unit):
        raise NotAllowed()
    current = _locked(item.pk)
    if current is not None and current.version != version:
        raise ConcurrentEdit()
    if current is None or not current.is_open:
        raise ValidationFailed(NOT_OPEN, errors={"__all__": [str(NOT_OPEN)]})
    if current.assignee_id is not None:
        message = ALREADY_ASSIGNED % {"name": current.assignee.display_name}
        raise ValidationFailed(message, errors={"__all__": [str(message)]})
    before = snapshot(current)
    current.assignee = acting_user
    save_with_version(current, expected_version=version, fields=["assignee"])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=current, before=before, request=request)
    return current


@dataclass
class ReassignResult:
    """What happened to each requested item; nothing is silently overwritten."""

    moved: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)


def _check_assignee(acting_user, assignee) -> None:
    if assignee is None:
        return
    if not (can_work_on(assignee, assignee.unit) and unit_in_scope(acting_user, assignee.unit)):
        raise ValidationFailed(errors={"assignee": [str(ASSIGNEE_NOT_ALLOWED)]})


@transaction.atomic
def work_items_reassign(
    *, acting_user, items: list[tuple[int, int]], assignee, request=None
) -> ReassignResult:
    """Give the items (id, version read) to `assignee`, or back to the unit's pool (None).

    An item someone changed since the page was read is reported stale and left alone;
    one the assignee cannot work on (outside their area) is refused.
    """
    if not acting_user.has_perm(REASSIGN):
        raise NotAllowed()
    if not items:
        raise ValidationFailed(errors={"items": [str(NO_ITEMS)]})
    if len(items) > REASSIGN_MAX_ITEMS:
        raise ValidationFailed(errors={"items": [str(TOO_MANY_ITEMS % {"max": REASSIGN_MAX_ITEMS})]})
    _check_assignee(acting_user, assignee)
    result = ReassignResult()
    visible = scoped(WorkItem.objects.all(), acting_user)
    for item_id, version in items:
        if not visible.filter(pk=item_id).exists():
            result.refused.append(item_id)
            continue
        item = _locked(item_id)
        if not item.is_open:
            result.closed.append(item_id)
        elif item.version != version:
            result.stale.append(item_id)
        elif assignee is not None and not unit_in_scope(assignee, item.unit):
            result.refused.append(item_id)
        elif item.assignee_id == getattr(assignee, "pk", None):
            result.moved.append(item_id)
        else:
            before = snapshot(item)
            item.assignee = assignee
            save_with_version(item, expected_version=version, fields=["assignee"])
            audit_change(
                actor=acting_user, action=Action.UPDATE, instance=item, before=before, request=request
            )
            result.moved.append(item_id)
    return result


# --- reminders and escalation ------------------------------------------------------------------


def _notify_each(recipients: dict, message: str, now) -> int:
    from notifications.services import notify_user

    for user, items in recipients.items():
        items.sort(key=lambda i: (i.due_on, i.kind, i.pk))
        notify_user(user=user, message=message, context={"items": items, "today": timezone.localdate(now)})
    return len(recipients)


def reminders_due(*, now: datetime.datetime) -> QuerySet:
    """Due within REMINDER_DAYS_BEFORE days, not overdue by more than a day, not reminded in 24 h."""
    today = timezone.localdate(now)
    horizon = today + datetime.timedelta(days=settings.CASE_MANAGEMENT["REMINDER_DAYS_BEFORE"])
    return open_items().filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMINDER_GUARD),
        due_on__lte=horizon,
        due_on__gte=today - datetime.timedelta(days=1),
    )


@transaction.atomic
def send_work_reminders(*, now: datetime.datetime | None = None) -> dict:
    """One notice per recipient listing their items: the assignee, or every counsellor of
    the unit while nobody has taken the item."""
    now = now or timezone.now()
    items = list(_lock(reminders_due(now=now).select_related("person", "unit", "assignee")))
    recipients: dict = defaultdict(list)
    counsellors: dict = {}
    for item in items:
        if item.assignee is not None and item.assignee.is_active:
            recipients[item.assignee].append(item)
            continue
        if item.unit_id not in counsellors:
            counsellors[item.unit_id] = list(staff_covering(item.unit, {Role.COUNSELLOR}))
        for user in counsellors[item.unit_id]:
            recipients[user].append(item)
    notices = _notify_each(recipients, "work_reminder", now)
    WorkItem.objects.filter(pk__in=[i.pk for i in items]).update(reminded_at=now)
    return {"items": len(items), "notices": notices}


def escalation_due(*, today: datetime.date) -> QuerySet:
    """Open items overdue by ESCALATE_AFTER_DAYS days or more (and overdue at all), not escalated."""
    days = max(settings.CASE_MANAGEMENT["ESCALATE_AFTER_DAYS"], 1)
    return open_items().filter(escalated_at__isnull=True, due_on__lte=today - datetime.timedelta(days=days))


def escalation_recipients(unit) -> list:
    for role in ESCALATION_CHAIN:
        users = list(staff_covering(unit, {role}))
        if users:
            return users
    return []


@transaction.atomic
def escalate_overdue_items(*, now: datetime.datetime | None = None) -> dict:
    """Tell the unit's station head(s) once about each item overdue past the setting's delay."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    items = list(_lock(escalation_due(today=today).select_related("person", "unit", "assignee")))
    recipients: dict = defaultdict(list)
    heads: dict = {}
    for item in items:
        if item.unit_id not in heads:
            heads[item.unit_id] = escalation_recipients(item.unit)
        for user in heads[item.unit_id]:
            recipients[user].append(item)
    notices = _notify_each(recipients, "work_escalated", now)
    WorkItem.objects.filter(pk__in=[i.pk for i in items]).update(escalated_at=now)
    return {"items": len(items), "notices": notices}
