"""Pages of the bulk-export approvals: the list (mine and those I may decide) and one request."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.views import filter_query, paginate, render_list
from privacy import selectors, services
from privacy.export_gate import download_url
from privacy.forms import ApprovalDecisionForm, ApprovalFilterForm
from privacy.models import ApprovalState
from privacy.rules import VIEW_APPROVALS


def _shown_state(approval, now) -> str:
    # An approval past its time reads "expired" before anyone tries to use it.
    if approval.state == ApprovalState.APPROVED and approval.expires_at <= now:
        return ApprovalState.EXPIRED.label
    return approval.get_state_display()


@permission_required(VIEW_APPROVALS, raise_exception=True)
def export_approval_list(request):
    form = ApprovalFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    page = paginate(request, selectors.export_approvals(user=request.user, state=state))
    now = timezone.now()
    for approval in page:
        approval.shown_state = _shown_state(approval, now)
        approval.mine = approval.requested_by_id == request.user.pk
    return render_list(
        request,
        "privacy/export_approval_list.html",
        "privacy/_export_approval_results.html",
        {"form": form, "page": page, "query": filter_query(request)},
    )


def _detail_context(request, approval, form=None) -> dict:
    now = timezone.now()
    may_decide = approval.state == ApprovalState.PENDING and services.may_decide(request.user, approval)
    may_download = (
        approval.requested_by_id == request.user.pk
        and approval.state == ApprovalState.APPROVED
        and approval.expires_at > now
    )
    return {
        "approval": approval,
        "shown_state": _shown_state(approval, now),
        "may_decide": may_decide,
        "form": form or ApprovalDecisionForm(initial={"version": approval.version}),
        "download_url": download_url(approval) if may_download else "",
        "approvers": services.approvers_for(approval.unit)[:5]
        if approval.state == ApprovalState.PENDING
        else [],
    }


@permission_required(VIEW_APPROVALS, raise_exception=True)
def export_approval_detail(request, pk):
    approval = selectors.export_approval_get(user=request.user, pk=pk)
    return render(request, "privacy/export_approval_detail.html", _detail_context(request, approval))


@require_POST
@permission_required(VIEW_APPROVALS, raise_exception=True)
def export_approval_decide(request, pk):
    approval = selectors.export_approval_get(user=request.user, pk=pk)
    form = ApprovalDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.export_approval_decide(
                acting_user=request.user,
                approval=approval,
                approve=data["decision"] == ApprovalDecisionForm.APPROVE,
                note=data["note"],
                version=data["version"],
                request=request,
            )
        except DomainError as exc:
            if exc.status == 403:
                # The requester or someone not above their unit: a refusal, not a message.
                raise PermissionDenied(str(exc.message)) from exc
            else:
                for msgs in exc.errors.values() or [[exc.message]]:
                    for message in msgs:
                        messages.error(request, str(message))
        else:
            messages.success(request, _("Decision recorded."))
        return redirect("privacy:export_approval_detail", pk=approval.pk)
    return render(
        request, "privacy/export_approval_detail.html", _detail_context(request, approval, form), status=400
    )
