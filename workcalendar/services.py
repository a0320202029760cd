"""The admin-edited holiday table, and the calendar built from it."""

import csv
import datetime
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

import workdays
from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from workcalendar.models import RegionalDay

_REVISION_KEY = "workcalendar:revision"
_built: dict = {"revision": None, "calendar": None}
DAY_FIELDS = ["day", "kind", "region", "name"]


def _revision() -> int:
    return cache.get_or_set(_REVISION_KEY, 1, timeout=None)


def _bump_revision() -> None:
    # The cache is shared across processes in production (Redis), so every worker rebuilds.
    try:
        cache.incr(_REVISION_KEY)
    except ValueError:
        cache.set(_REVISION_KEY, 2, timeout=None)


def calendar_from_table() -> workdays.WorkCalendar:
    revision = _revision()
    if _built["calendar"] is None or _built["revision"] != revision:
        rules = [
            workdays.DayRule(day=row.day, kind=row.kind, region=row.region, name=row.name)
            for row in RegionalDay.objects.all()
        ]
        _built.update(revision=revision, calendar=workdays.WorkCalendar(rules))
    return _built["calendar"]


def invalidate_calendar() -> None:
    _built.update(revision=None, calendar=None)
    _bump_revision()


@transaction.atomic
def holidays_load(*, csv_path: Path) -> dict:
    """Idempotent: a date and region already present is updated, never duplicated."""
    created = updated = 0
    with csv_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            obj, was_created = RegionalDay.objects.update_or_create(
                day=datetime.date.fromisoformat(row["date"].strip()),
                region=row["region"].strip(),
                defaults={"kind": row["kind"].strip(), "name": row["name"].strip()},
            )
            created += was_created
            updated += not was_created
    transaction.on_commit(invalidate_calendar)
    return {"created": created, "updated": updated}


def _validate(day: RegionalDay) -> None:
    try:
        day.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


@transaction.atomic
def regional_day_create(*, acting_user, request=None, **values) -> RegionalDay:
    if not acting_user.has_perm("workcalendar.manage_days"):
        raise NotAllowed()
    day = RegionalDay(**{k: v for k, v in values.items() if k in DAY_FIELDS})
    _validate(day)
    day.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=day, request=request)
    transaction.on_commit(invalidate_calendar)
    return day


@transaction.atomic
def regional_day_update(
    *, acting_user, day: RegionalDay, expected_version: int, request=None, **changes
) -> RegionalDay:
    if not acting_user.has_perm("workcalendar.manage_days"):
        raise NotAllowed()
    before = snapshot(day)
    for name, value in changes.items():
        if name not in DAY_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(day, name, value)
    _validate(day)
    save_with_version(day, expected_version=expected_version, fields=list(changes))
    audit_change(actor=acting_user, action=Action.UPDATE, instance=day, before=before, request=request)
    transaction.on_commit(invalidate_calendar)
    return day


@transaction.atomic
def regional_day_delete(*, acting_user, day: RegionalDay, request=None) -> None:
    if not acting_user.has_perm("workcalendar.manage_days"):
        raise NotAllowed()
    before = snapshot(day)
    audit_change(actor=acting_user, action=Action.DELETE, instance=day, before=before, request=request)
    day.delete()
    transaction.on_commit(invalidate_calendar)
