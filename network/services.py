"""Writes to the service network. Each runs in one transaction and leaves an audit entry."""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from network.models import LEVEL_ORDER, OrgUnit, ServicePoint

NO_CHILDREN = _("A village or community cannot have units below it.")
OUTSIDE_SCOPE = _("Choose a unit inside your own area.")

UNIT_FIELDS = ["name_zh", "name_bo", "name_en", "is_active", "address", "latitude", "longitude"]
SERVICE_POINT_FIELDS = [
    "kind",
    "unit",
    "name_zh",
    "name_bo",
    "location",
    "latitude",
    "longitude",
    "schedule",
    "target_groups",
    "is_active",
]


def _child_level(parent: OrgUnit | None) -> str:
    if parent is None:
        return "city"
    index = LEVEL_ORDER.index(parent.level)
    if index + 1 >= len(LEVEL_ORDER):
        raise ValidationFailed(errors={"parent": [str(NO_CHILDREN)]})
    return LEVEL_ORDER[index + 1]


def _full_clean(instance, exclude=None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


@transaction.atomic
def orgunit_create(
    *,
    acting_user,
    code: str,
    name_zh: str,
    name_bo: str,
    parent: OrgUnit | None,
    name_en: str = "",
    address: str = "",
    latitude=None,
    longitude=None,
    request=None,
) -> OrgUnit:
    if acting_user is not None and not acting_user.has_perm("network.manage_orgunit"):
        raise NotAllowed()
    unit = OrgUnit(
        code=code,
        name_zh=name_zh,
        name_bo=name_bo,
        name_en=name_en,
        parent=parent,
        level=_child_level(parent),
        address=address,
        latitude=latitude,
        longitude=longitude,
        path=f"{parent.path if parent else ''}{code}/",
    )
    _full_clean(unit)
    unit.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=unit, request=request)
    return unit


@transaction.atomic
def orgunit_update(*, acting_user, unit: OrgUnit, expected_version: int, request=None, **changes) -> OrgUnit:
    """Codes and the tree position are fixed once created: records refer to them by code."""
    if not acting_user.has_perm("network.manage_orgunit"):
        raise NotAllowed()
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    before = snapshot(unit)
    for name, value in changes.items():
        setattr(unit, name, value)
    _full_clean(unit)
    save_with_version(unit, expected_version=expected_version, fields=list(changes))
    audit_change(actor=acting_user, action=Action.UPDATE, instance=unit, before=before, request=request)
    return unit


@transaction.atomic
def divisions_load(*, csv_path: Path, names_path: Path | None = None) -> dict:
    """Load the NBS division table. Idempotent: re-running updates names, never duplicates."""
    names = {}
    if names_path and names_path.exists():
        with names_path.open(encoding="utf-8") as handle:
            names = {row["code"]: row for row in csv.DictReader(handle)}
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_code = {u.code: u for u in OrgUnit.objects.all()}
    created = updated = 0
    for row in rows:  # the file lists parents before children
        code = row["code"].strip()
        parent = by_code.get(row["parent_code"].strip()) if row["parent_code"].strip() else None
        extra = names.get(code, {})
        values = {
            "name_zh": row["name_zh"].strip(),
            "name_bo": (extra.get("name_bo") or "").strip() or row["name_zh"].strip(),
            "name_en": (extra.get("name_en") or "").strip(),
            "level": row["level"].strip(),
            "parent": parent,
            "path": f"{parent.path if parent else ''}{code}/",
        }
        unit = by_code.get(code)
        if unit is None:
            unit = OrgUnit.objects.create(code=code, **values)
            by_code[code] = unit
            created += 1
        elif any(getattr(unit, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(unit, key, value)
            unit.version += 1
            unit.save()
            updated += 1
    return {"created": created, "updated": updated, "total": len(rows)}


@transaction.atomic
def service_point_create(*, acting_user, request=None, **values) -> ServicePoint:
    if not acting_user.has_perm("network.manage_servicepoint"):
        raise NotAllowed()
    point = ServicePoint(**{k: v for k, v in values.items() if k in SERVICE_POINT_FIELDS})
    if not unit_in_scope(acting_user, point.unit):
        raise ValidationFailed(errors={"unit": [str(OUTSIDE_SCOPE)]})
    _full_clean(point)
    point.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=point, request=request)
    return point


@transaction.atomic
def service_point_update(
    *, acting_user, point: ServicePoint, expected_version: int, request=None, **changes
) -> ServicePoint:
    if not acting_user.has_perm("network.manage_servicepoint"):
        raise NotAllowed()
    before = snapshot(point)
    for name, value in changes.items():
        if name not in SERVICE_POINT_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(point, name, value)
    if not unit_in_scope(acting_user, point.unit):
        raise ValidationFailed(errors={"unit": [str(OUTSIDE_SCOPE)]})
    _full_clean(point)
    save_with_version(point, expected_version=expected_version, fields=list(changes))
    audit_change(actor=acting_user, action=Action.UPDATE, instance=point, before=before, request=request)
    return point


def seats_load(*, csv_path: Path) -> int:
    """Place each district at its seat where the unit has no coordinates yet.

    Units below take their district's place until an administrator records their own;
    matching measures distance from these (matching.adapter.Geography).
    """
    placed = 0
    with csv_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            placed += OrgUnit.objects.filter(code=row["code"], latitude__isnull=True).update(
                latitude=row["latitude"], longitude=row["longitude"]
            )
    return placed
