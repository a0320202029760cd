"""The step every export of persons with full values passes (GB/T 35273 §7.1).

Up to BULK_EXPORT_APPROVAL_ROWS persons the file is produced at once. Above, the
export becomes a request for a second person's approval; once approved, the
requester's download link carries `approval=<id>` and the export runs under it, once.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from privacy import services
from privacy.models import ExportApproval, ExportName

# Parameters that steer an export rather than choose its persons.
PEOPLE_LIST_CONTROLS = ("page", "format", "full", "reason", "approval")
EXCHANGE_CONTROLS = ("full", "reason", "approval")
CONTROLS = {ExportName.PEOPLE_LIST: PEOPLE_LIST_CONTROLS, ExportName.EXCHANGE_JOB_SEEKERS: EXCHANGE_CONTROLS}
# Where each export runs, and what its download link adds to the approved filters.
EXPORT_PAGES = {
    ExportName.PEOPLE_LIST: ("people:person_list", {"format": "xlsx"}),
    ExportName.EXCHANGE_JOB_SEEKERS: ("exchange:export", {}),
}


@dataclass
class Gate:
    # Stop and answer this (a request was made, or the approval was refused).
    response: HttpResponse | None = None
    # Go ahead under this approval, now spent; None with no response: no approval needed.
    approval: ExportApproval | None = None


def export_query(request, export: str) -> str:
    return services.export_query(request.GET, drop=CONTROLS[export])


def download_url(approval: ExportApproval) -> str:
    name, extra = EXPORT_PAGES[approval.export]
    params = urlencode({**extra, "full": "on", "reason": approval.reason, "approval": approval.pk})
    return f"{reverse(name)}?{approval.query}{'&' if approval.query else ''}{params}"


def _message(exc: DomainError) -> str:
    return " ".join(str(m) for msgs in exc.errors.values() for m in msgs) or str(exc.message)


def full_export_gate(request, *, export: str, count: int, reason: str, back: str) -> Gate:
    """Run inside the transaction that produces the file, so a failed export leaves
    the approval unused."""
    query = export_query(request, export)
    raw_id = request.GET.get("approval", "")
    if raw_id:
        try:
            approval = services.export_approval_use(
                acting_user=request.user,
                approval_id=int(raw_id) if raw_id.isdigit() else 0,
                export=export,
                query=query,
                record_count=count,
                request=request,
            )
        except DomainError as exc:
            messages.error(request, _message(exc))
            return Gate(response=redirect(reverse("privacy:export_approval_list")))
        return Gate(approval=approval)
    if not services.approval_needed(full=True, count=count):
        return Gate()
    try:
        approval = services.export_approval_request(
            acting_user=request.user,
            export=export,
            query=query,
            record_count=count,
            reason=reason,
            request=request,
        )
    except DomainError as exc:
        messages.error(request, _message(exc))
        return Gate(response=redirect(back))
    names = ", ".join(a.display_name for a in approval.approvers[:3])
    messages.warning(
        request,
        _(
            "More than %(limit)s persons with full values need a second person's approval. "
            "Your request was sent to %(approvers)s."
        )
        % {"limit": services.approval_limit(), "approvers": names},
    )
    return Gate(response=redirect(reverse("privacy:export_approval_detail", args=[approval.pk])))
