"""Reading the personal-data access log."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from privacy.models import PersonalDataAccess


def access_list(
    *,
    user,
    username: str = "",
    kind: str = "",
    subject_type: str = "",
    subject_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The log is city-wide and read by the audit administrator only (SPEC §7)."""
    if not user.has_perm("privacy.view_access_log"):
        raise PermissionDenied
    entries = PersonalDataAccess.objects.select_related("user")
    if username:
        entries = entries.filter(user__username__icontains=username)
    if kind:
        entries = entries.filter(kind=kind)
    if subject_type:
        entries = entries.filter(subject_type=subject_type)
    if subject_id:
        entries = entries.filter(subject_id=subject_id)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries


def subject_types() -> list[str]:
    """Record types present in the log, for the filter's choices."""
    return list(
        PersonalDataAccess.objects.order_by("subject_type").values_list("subject_type", flat=True).distinct()
    )
