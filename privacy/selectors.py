"""Reading the personal-data access log and the bulk-export approvals."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from core.scope import scoped
from privacy.models import ExportApproval, PersonalDataAccess
from privacy.rules import DECIDE_APPROVAL, VIEW_APPROVALS


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


def export_approvals(*, user, state: str = "") -> QuerySet:
    """The user's own requests and those they may decide: requests from units strictly
    below their own, inside their scope (core.scope). Supervisors only."""
    if not user.has_perm(VIEW_APPROVALS):
        raise PermissionDenied
    decidable = scoped(ExportApproval.objects.all(), user).exclude(unit_id=user.unit_id)
    if not user.has_perm(DECIDE_APPROVAL):
        decidable = decidable.none()
    approvals = ExportApproval.objects.filter(Q(requested_by=user) | Q(pk__in=decidable.values("pk")))
    if state:
        approvals = approvals.filter(state=state)
    return approvals.select_related("requested_by", "decided_by", "unit")


def export_approval_get(*, user, pk: int) -> ExportApproval:
    """One request the user may see; any other answers 404 (its existence does not leak)."""
    approval = export_approvals(user=user).filter(pk=pk).first()
    if approval is None:
        raise Http404
    return approval
