"""Recording the services given to a person (全程记录, §7.10), and the catalogue of types.

A record is never deleted: a mistake is corrected by an edit (version-checked, audited).
A service that counts as assistance, given while the person has an open assistance file,
is filed under it and meets the file's first assistance or follow-up (assistance.services).
"""

import csv
import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from assistance.models import AssistanceFile, FileStatus
from assistance.services import assistance_given
from audit.models import Action
from audit.services import audit_change, snapshot
from config.paths import DATA_DIR
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from servicerecords.models import ServiceRecord, ServiceType
from servicerecords.rules import MANAGE_TYPES, RECORD

SERVICE_TYPES_CSV = DATA_DIR / "service_types.csv"

IN_FUTURE = _("The date cannot be in the future.")
TYPE_INACTIVE = _("This service type is no longer offered.")
NOT_YOURS = _("Only the staff member who recorded this service, or the station head, can correct it.")
CODE_TAKEN = _("A service type with this code already exists.")

RECORD_FIELDS = ["service_type", "on", "channel", "language", "notes", "outcome"]
# The date and type decide which assistance the record met; they stay as recorded.
EDITABLE_FIELDS = ["channel", "language", "notes", "outcome"]
TYPE_FIELDS = ["name_zh", "name_bo", "name_en", "is_assistance", "is_active", "sort"]


def _clean(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


def _check_recorder(acting_user, person) -> None:
    if not acting_user.has_perm(RECORD) or not unit_in_scope(acting_user, person.unit):
        raise NotAllowed()


@transaction.atomic
def service_record(*, acting_user, person, values: dict, request=None) -> ServiceRecord:
    """Record one service given today or earlier, by the acting user for their unit."""
    _check_recorder(acting_user, person)
    values = {name: values[name] for name in RECORD_FIELDS if name in values}
    service_type = values.get("service_type")
    errors = {}
    if service_type is not None and not service_type.is_active:
        errors["service_type"] = [str(TYPE_INACTIVE)]
    on = values.get("on")
    if isinstance(on, datetime.date) and on > timezone.localdate():
        errors["on"] = [str(IN_FUTURE)]
    if errors:
        raise ValidationFailed(errors=errors)
    record = ServiceRecord(person=person, staff=acting_user, unit=acting_user.unit, **values)
    _clean(record, exclude=["person", "staff", "unit", "assistance_file"])
    file = None
    if record.service_type.is_assistance:
        file = (
            AssistanceFile.objects.select_for_update()
            .filter(person=person)
            .exclude(status=FileStatus.CLOSED)
            .first()
        )
        # A service given before the file opened is history, not assistance under it.
        if file is not None and record.on < file.opened_on:
            file = None
    record.assistance_file = file
    record.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=record, request=request)
    if file is not None:
        assistance_given(file=file, on=record.on, record=record)
    return record


@transaction.atomic
def service_record_update(
    *, acting_user, record: ServiceRecord, expected_version: int, changes: dict, request=None
) -> ServiceRecord:
    _check_recorder(acting_user, record.person)
    if record.staff_id != acting_user.pk and acting_user.role != Role.STATION_HEAD:
        raise NotAllowed(NOT_YOURS)
    before = snapshot(record)
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(record, name, value)
    _clean(record, exclude=["person", "staff", "unit", "service_type", "assistance_file"])
    save_with_version(record, expected_version=expected_version, fields=list(changes))
    audit_change(actor=acting_user, action=Action.UPDATE, instance=record, before=before, request=request)
    return record


# --- the catalogue ------------------------------------------------------------------------


def _check_admin(acting_user) -> None:
    if not acting_user.has_perm(MANAGE_TYPES):
        raise NotAllowed()


@transaction.atomic
def service_type_create(*, acting_user, code: str, values: dict, request=None) -> ServiceType:
    _check_admin(acting_user)
    if ServiceType.objects.filter(code=code).exists():
        raise ValidationFailed(errors={"code": [str(CODE_TAKEN)]})
    service_type = ServiceType(code=code, **{k: v for k, v in values.items() if k in TYPE_FIELDS})
    _clean(service_type)
    service_type.save()
    audit_change(actor=acting_user, action=Action.CREATE, instance=service_type, request=request)
    return service_type


@transaction.atomic
def service_type_update(
    *, acting_user, service_type: ServiceType, expected_version: int, changes: dict, request=None
) -> ServiceType:
    """Rename, reorder, (de)activate or change whether the type counts as assistance. A
    deactivated type leaves the forms; the records that name it keep it."""
    _check_admin(acting_user)
    before = snapshot(service_type)
    for name, value in changes.items():
        if name not in TYPE_FIELDS:
            raise ValueError(f"Not editable: {name}")
        setattr(service_type, name, value)
    _clean(service_type, exclude=["code"])
    save_with_version(service_type, expected_version=expected_version, fields=list(changes))
    audit_change(
        actor=acting_user, action=Action.UPDATE, instance=service_type, before=before, request=request
    )
    return service_type


@transaction.atomic
def service_types_load(*, csv_path: Path = SERVICE_TYPES_CSV) -> dict:
    """Seed the catalogue. Idempotent by code: a known code keeps the administrator's edits."""
    existing = set(ServiceType.objects.values_list("code", flat=True))
    created = 0
    with csv_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            if code in existing:
                continue
            ServiceType.objects.create(
                code=code,
                name_zh=row["name_zh"].strip(),
                name_bo=row["name_bo"].strip(),
                name_en=row["name_en"].strip(),
                is_assistance=row["is_assistance"].strip() == "1",
                sort=int(row["sort"]),
            )
            existing.add(code)
            created += 1
    return {"created": created, "total": len(existing)}
