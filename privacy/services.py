"""Writing the personal-data access log; asking for, deciding and using bulk-export approvals."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import SUPERVISOR_ROLES
from audit.models import Action
from audit.services import audit_change, audit_event, client_ip, snapshot
from core.concurrency import save_with_version
from core.errors import ConcurrentEdit, DomainError, NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from privacy.models import AccessKind, ApprovalState, ExportApproval, PersonalDataAccess
from privacy.rules import DECIDE_APPROVAL


def access_log(
    *,
    user,
    kind: str,
    subject_type: str,
    fields: list[str],
    reason: str,
    subject_id: str = "",
    record_count: int = 1,
    query: str = "",
    request=None,
) -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(
        user=user,
        kind=kind,
        subject_type=subject_type,
        subject_id=str(subject_id),
        record_count=record_count,
        fields=",".join(fields)[:200],
        reason=reason.strip()[:300],
        query=query[:500],
        ip_address=client_ip(request),
    )


def export_logged(
    request, *, subject_type: str, count: int, fields: list[str], reason: str, query: str, note: str
) -> None:
    """A list of personal data leaves the system as a file: one access-log row (who, what,
    why, which filter) and one audit entry, the pair every export writes."""
    access_log(
        user=request.user,
        kind=AccessKind.EXPORT,
        subject_type=subject_type,
        record_count=count,
        query=query,
        fields=fields,
        reason=str(reason),
        request=request,
    )
    audit_event(
        action=Action.EXPORT,
        username=request.user.username,
        actor=request.user,
        request=request,
        note=note[:300],
    )


# --- bulk-export approval (GB/T 35273 §7.1) ----------------------------------------------

APPROVAL_REQUIRED = _(
    "More than %(limit)s persons with full values need a second person's approval. "
    "Ask for it on the export page; the approved file is downloaded there."
)
REASON_REQUIRED = _("Give the reason you need the full values.")
NO_APPROVER = _(
    "No supervisor above your unit can approve this export. Ask the system administrator "
    "to open a supervisor account, or narrow the filters to %(limit)s persons or fewer."
)
QUERY_TOO_LONG = _("The filters are too long to be approved. Use fewer filters.")
NOT_PENDING = _("This request was already decided.")
REJECT_NOTE_REQUIRED = _("Say why you reject the request.")
NOT_YOUR_REQUEST = _("Only the person who asked for this export can use the approval.")
NOT_APPROVED = _("This export has not been approved.")
ALREADY_USED = _("This approval was already used. Ask for a new approval to export again.")
EXPIRED = _("This approval expired. Ask for a new approval to export again.")
OTHER_FILTERS = _("This approval is for other filters. Export with the approved filters, or ask again.")
COUNT_GREW = _("%(count)s persons match now, more than the %(approved)s approved. Ask for a new approval.")
NOT_A_DECIDER = _("Only a supervisor above the requester's unit may decide, and never the person who asked.")


class ApprovalRequired(DomainError):
    code = "export_approval_required"
    status = 403
    default_message = APPROVAL_REQUIRED


def approval_limit() -> int:
    return settings.PRIVACY["BULK_EXPORT_APPROVAL_ROWS"]


def approval_needed(*, full: bool, count: int) -> bool:
    return full and count > approval_limit()


def refuse_unapproved_bulk(*, full: bool, count: int) -> None:
    """For exports that cannot ask (the API): full values for more than the limit are refused."""
    if approval_needed(full=full, count=count):
        raise ApprovalRequired(APPROVAL_REQUIRED % {"limit": approval_limit()})


def export_query(params, *, drop: tuple[str, ...]) -> str:
    """The filters of an export as one stable string: sorted, without blanks or the
    parameters in `drop`, so the same filters in another order are the same query."""
    pairs = sorted(
        (key, value) for key, values in params.lists() if key not in drop for value in values if value
    )
    return urlencode(pairs)


def approvers_for(unit) -> QuerySet:
    """Who may approve an export asked for at `unit`: active supervisors (station head,
    district or city supervisor) whose unit lies strictly above it, nearest first.

    A station head's request goes to the district (and city) supervisors; a village
    station head's to the township's station head as well. The three administrators
    never decide: they do not handle personal data (三员).
    """
    from worklist.services import staff_covering  # the worklist sits above privacy

    return staff_covering(unit, SUPERVISOR_ROLES).exclude(unit=unit).order_by("-unit__path", "pk")


def may_decide(user, approval: ExportApproval) -> bool:
    return bool(
        user.is_authenticated
        and user.has_perm(DECIDE_APPROVAL)
        and user.pk != approval.requested_by_id
        and user.unit_id != approval.unit_id
        and unit_in_scope(user, approval.unit)
    )


def _valid_until(now):
    return now + datetime.timedelta(hours=settings.PRIVACY["EXPORT_APPROVAL_VALID_HOURS"])


@transaction.atomic
def export_approval_request(
    *, acting_user, export: str, query: str, record_count: int, reason: str, request=None
) -> ExportApproval:
    """Ask a second person to approve a bulk export with full values; a work item opens
    for the nearest approver. Asking again for the same export while it waits returns
    the waiting request. `approval.approvers` lists who may decide."""
    from worklist.models import Kind
    from worklist.services import item_open

    if not acting_user.has_perm("people.export_full"):
        raise NotAllowed()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(errors={"reason": [str(REASON_REQUIRED)]})
    if len(query) > ExportApproval._meta.get_field("query").max_length:
        raise ValidationFailed(errors={"__all__": [str(QUERY_TOO_LONG)]})
    approvers = list(approvers_for(acting_user.unit))
    if not approvers:
        message = NO_APPROVER % {"limit": approval_limit()}
        raise ValidationFailed(errors={"__all__": [message]}, code="no_approver")
    approval = ExportApproval.objects.filter(
        requested_by=acting_user,
        export=export,
        query=query,
        record_count=record_count,
        state=ApprovalState.PENDING,
    ).first()
    if approval is None:
        approval = ExportApproval(
            requested_by=acting_user,
            unit=acting_user.unit,
            export=export,
            query=query,
            record_count=record_count,
            reason=reason[:300],
        )
        try:
            approval.full_clean()
        except ValidationError as exc:
            raise ValidationFailed(errors=errors_from_django(exc)) from exc
        approval.save()
        audit_change(actor=acting_user, action=Action.CREATE, instance=approval, request=request)
        item_open(
            kind=Kind.EXPORT_APPROVAL,
            source=approval,
            due_on=timezone.localdate(_valid_until(approval.requested_at)),
            unit=approvers[0].unit,
            assignee=approvers[0],
        )
    approval.approvers = approvers
    return approval


@transaction.atomic
def export_approval_decide(
    *, acting_user, approval: ExportApproval, approve: bool, note: str = "", version: int, request=None
) -> ExportApproval:
    from worklist.models import Kind
    from worklist.services import item_done

    approval = ExportApproval.objects.select_for_update().select_related("unit").get(pk=approval.pk)
    if not may_decide(acting_user, approval):
        raise NotAllowed(NOT_A_DECIDER)
    if approval.version != version:
        raise ConcurrentEdit()
    if approval.state != ApprovalState.PENDING:
        raise ValidationFailed(errors={"__all__": [str(NOT_PENDING)]})
    note = (note or "").strip()[:300]
    if not approve and not note:
        raise ValidationFailed(errors={"note": [str(REJECT_NOTE_REQUIRED)]})
    before = snapshot(approval)
    now = timezone.now()
    approval.state = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
    approval.decided_by = acting_user
    approval.decided_at = now
    approval.decision_note = note
    approval.expires_at = _valid_until(now) if approve else None
    save_with_version(
        approval,
        expected_version=version,
        fields=["state", "decided_by", "decided_at", "decision_note", "expires_at"],
    )
    audit_change(actor=acting_user, action=Action.UPDATE, instance=approval, before=before, request=request)
    item_done(kind=Kind.EXPORT_APPROVAL, source=approval)
    return approval


def _refuse(message, code: str):
    raise ValidationFailed(errors={"__all__": [str(message)]}, code=code)


def export_approval_use(
    *, acting_user, approval_id: int, export: str, query: str, record_count: int, request=None
) -> ExportApproval:
    """Spend the approval on the export being produced: once, by the requester, for the
    same export and filters, before it expires, for no more persons than approved.

    Call it in the transaction that produces the file, so a failed export leaves the
    approval unused. An approval found past its time is marked expired even when refused.
    """
    now = timezone.now()
    with transaction.atomic():
        approval = ExportApproval.objects.select_for_update().filter(pk=approval_id).first()
        if approval is None or approval.requested_by_id != acting_user.pk:
            _refuse(NOT_YOUR_REQUEST, "approval_not_yours")
        if approval.state == ApprovalState.APPROVED and approval.expires_at <= now:
            ExportApproval.objects.filter(pk=approval.pk).update(
                state=ApprovalState.EXPIRED, version=F("version") + 1
            )
            approval.state = ApprovalState.EXPIRED
    if approval.state == ApprovalState.EXPIRED:
        _refuse(EXPIRED, "approval_expired")
    if approval.state == ApprovalState.USED:
        _refuse(ALREADY_USED, "approval_used")
    if approval.state != ApprovalState.APPROVED:
        _refuse(NOT_APPROVED, "approval_not_approved")
    if approval.export != export or approval.query != query:
        _refuse(OTHER_FILTERS, "approval_other_filters")
    if record_count > approval.record_count:
        _refuse(
            COUNT_GREW % {"count": record_count, "approved": approval.record_count}, "approval_count_exceeded"
        )
    before = snapshot(approval)
    approval.state = ApprovalState.USED
    approval.used_at = now
    save_with_version(approval, expected_version=approval.version, fields=["state", "used_at"])
    audit_change(
        actor=acting_user,
        action=Action.UPDATE,
        instance=approval,
        before=before,
        request=request,
        note=f"bulk export with full values under approval {approval.pk}: {record_count} records",
    )
    return approval
