"""Reading service records: a person's in time order, and the filtered list of an area."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from core.scope import get_scoped_or_404, scoped
from servicerecords.models import ServiceRecord, ServiceType
from servicerecords.rules import VIEW, VIEW_TYPES

# The person's file shows this many of the latest services; the list has them all.
PERSON_FILE_LIMIT = 100


def _require(user, permission: str = VIEW) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def _with_related(records: QuerySet) -> QuerySet:
    return records.select_related("service_type", "staff", "unit", "assistance_file")


def person_services(*, user, person) -> tuple[list[ServiceRecord], int]:
    """The person's latest services in time order (oldest first), and how many there are."""
    _require(user)
    records = scoped(ServiceRecord.objects.filter(person=person), user)
    latest = list(_with_related(records).order_by("-on", "-id")[:PERSON_FILE_LIMIT])
    latest.reverse()
    total = len(latest) if len(latest) < PERSON_FILE_LIMIT else records.count()
    return latest, total


def service_list(
    *,
    user,
    service_type: str = "",
    channel: str = "",
    unit_code: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    person_id: int | None = None,
    assistance_only: bool = False,
) -> QuerySet:
    """Services in the user's area, newest first. `unit_code` is the unit that gave them
    (and the units below it); the period is inclusive."""
    _require(user)
    records = scoped(ServiceRecord.objects.all(), user)
    if service_type:
        records = records.filter(service_type__code=service_type)
    if channel:
        records = records.filter(channel=channel)
    if unit_code:
        records = records.filter(unit__path__contains=f"{unit_code}/")
    if date_from:
        records = records.filter(on__gte=date_from)
    if date_to:
        records = records.filter(on__lte=date_to)
    if person_id is not None:
        records = records.filter(person_id=person_id)
    if assistance_only:
        records = records.filter(assistance_file__isnull=False)
    return _with_related(records.select_related("person__unit")).order_by("-on", "-id")


def service_get(*, user, pk) -> ServiceRecord:
    _require(user)
    return get_scoped_or_404(_with_related(ServiceRecord.objects.select_related("person__unit")), user, pk=pk)


def service_types(*, user, active_only: bool = True) -> QuerySet:
    """The catalogue; the forms offer the active types only."""
    if not (user.has_perm(VIEW_TYPES) or user.has_perm(VIEW)):
        raise PermissionDenied
    types = ServiceType.objects.all()
    return types.filter(is_active=True) if active_only else types


def type_codes() -> list[str]:
    return list(ServiceType.objects.values_list("code", flat=True))
