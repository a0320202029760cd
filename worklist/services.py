"""Opening, completing and moving work items. Domain services call these; nothing else
writes WorkItem rows (the pages and the nightly jobs use the functions below too)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from worklist.models import WorkItem


def source_key(source) -> tuple[str, int]:
    return source._meta.label_lower, source.pk


def _open_items(kind: str | None, source):
    source_type, source_id = source_key(source)
    items = WorkItem.objects.filter(
        source_type=source_type, source_id=source_id, done_on__isnull=True, cancelled_on__isnull=True
    )
    return items.filter(kind=kind) if kind else items


def item_open(*, kind: str, source, due_on: datetime.date, person=None, unit=None, assignee=None) -> WorkItem:
    """The open item of this obligation with this due date, created or re-dated.

    Idempotent: calling again with a new due date moves the open item; the unit defaults
    to the person's unit.
    """
    unit = unit or person.unit
    source_type, source_id = source_key(source)
    with transaction.atomic():
        item = _open_items(kind, source).select_for_update().first()
        if item is not None:
            if item.due_on != due_on:
                item.due_on = due_on
                item.version += 1
                item.save(update_fields=["due_on", "version"])
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


def item_done(*, kind: str | None, source, done_on: datetime.date | None = None) -> int:
    """Mark the source's open item(s) of this kind (or of every kind) done."""
    return _open_items(kind, source).update(done_on=done_on or timezone.localdate())


def item_cancel(*, kind: str | None, source, on: datetime.date | None = None) -> int:
    """The obligation went away without being met (file closed, plan replaced)."""
    return _open_items(kind, source).update(cancelled_on=on or timezone.localdate())


def items_follow_person(*, person, unit) -> int:
    """On transfer the person's open items move to the receiving unit, unassigned."""
    return WorkItem.objects.filter(person=person, done_on__isnull=True, cancelled_on__isnull=True).update(
        unit=unit, assignee=None
    )
