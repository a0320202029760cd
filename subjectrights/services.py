"""Receiving and answering data-subject requests (GB/T 35273 §8).

Every write is atomic, version-checked, written to the request's step log and the audit
trail, and keeps the request's work item (worklist Kind.SUBJECT_REQUEST) in step: opened
with the stored deadline on receipt, done when answered (completed or refused), cancelled
when the person withdraws.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action as AuditAction
from audit.services import audit_change, audit_event, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from core.scope import unit_in_scope
from privacy.models import AccessKind, PersonalDataAccess
from privacy.services import access_log
from subjectrights import selectors, workflow
from subjectrights.models import (
    OPEN_STATES,
    RefusalReason,
    RequestKind,
    State,
    Step,
    SubjectRequest,
    VerificationMethod,
)
from subjectrights.rules import RECORD
from worklist.models import Kind as WorkKind
from worklist.services import item_cancel, item_done, item_open

UNKNOWN_ACTION = _("Not an action a data-subject request allows.")
NOT_FROM_STATE = _("This request is now “%(state)s”: “%(action)s” is not possible.")
NOT_VERIFIED = _("Verify the person's identity before completing the request.")
METHOD_REQUIRED = _("Say how the person's identity was verified.")
REASON_REQUIRED = _("Choose the reason for the refusal.")
NOTE_REQUIRED = _("Explain the refusal to the person in a note.")
OUTCOME_REQUIRED = _("Say what was done to answer the request.")
COPY_FIRST = _("Produce the copy of the person's data (download it) before completing the request.")
OTHERS_OPEN = _(
    "First answer this person's other open requests (%(requests)s): once the person is "
    "anonymised, nothing can be handed over or corrected."
)
IN_FUTURE = _("The date cannot be in the future.")
TOO_LONG = _("At most %(max)s characters.")
NOTE_MAX = 300
TEXT_MAX = 2000


def copy_reason(subject_request: SubjectRequest) -> str:
    """The reason written to the access log and the anonymisation: names the request."""
    return f"data-subject request #{subject_request.pk}"


def due_date(received_on: datetime.date) -> datetime.date:
    # GB/T 35273 §8.7 counts calendar days, so no working-day calendar here.
    return received_on + datetime.timedelta(days=settings.STANDARD["DATA_SUBJECT_REQUEST_DAYS"])


def _check_scope(acting_user, person, permission: str = RECORD) -> None:
    if not acting_user.has_perm(permission) or not unit_in_scope(acting_user, person.unit):
        raise NotAllowed()


def _log(subject_request, *, action: str, from_state: str, by, note: str = "") -> None:
    Step.objects.create(
        request=subject_request,
        action=action,
        from_state=from_state,
        to_state=subject_request.state,
        by=by,
        note=note[:NOTE_MAX],
    )


@transaction.atomic
def request_receive(
    *,
    acting_user,
    person,
    kind: str,
    channel: str,
    received_on: datetime.date,
    details: str,
    request=None,
) -> SubjectRequest:
    """Record a request as it came in; its deadline is stored now and a work item opened."""
    _check_scope(acting_user, person)
    if received_on and received_on > timezone.localdate():
        raise ValidationFailed(errors={"received_on": [str(IN_FUTURE)]})
    if len(details or "") > TEXT_MAX:
        raise ValidationFailed(errors={"details": [str(TOO_LONG % {"max": TEXT_MAX})]})
    subject_request = SubjectRequest(
        person=person,
        unit=person.unit,
        kind=kind,
        channel=channel,
        received_on=received_on,
        due_on=due_date(received_on) if received_on else None,
        details=(details or "").strip(),
        received_by=acting_user,
    )
    try:
        subject_request.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc
    subject_request.save()
    _log(subject_request, action="receive", from_state="", by=acting_user)
    item_open(
        kind=WorkKind.SUBJECT_REQUEST,
        source=subject_request,
        due_on=subject_request.due_on,
        person=person,
        unit=person.unit,
    )
    audit_change(actor=acting_user, action=AuditAction.CREATE, instance=subject_request, request=request)
    return subject_request


def _refuse_bad_input(action: workflow.Action, *, method: str, reason: str, note: str, outcome: str) -> None:
    errors: dict[str, list[str]] = {}
    if action.needs_method and method not in VerificationMethod.values:
        errors["method"] = [str(METHOD_REQUIRED)]
    if action.needs_reason:
        if not reason:
            errors["reason"] = [str(REASON_REQUIRED)]
        elif reason not in RefusalReason.values:
            errors["reason"] = [str(REASON_REQUIRED)]
        if not note:
            errors["note"] = [str(NOTE_REQUIRED)]
    if action.needs_outcome and not outcome:
        errors["outcome"] = [str(OUTCOME_REQUIRED)]
    if len(note) > NOTE_MAX:
        errors["note"] = [str(TOO_LONG % {"max": NOTE_MAX})]
    if len(outcome) > TEXT_MAX:
        errors["outcome"] = [str(TOO_LONG % {"max": TEXT_MAX})]
    if errors:
        raise ValidationFailed(errors=errors)


def _copy_produced(subject_request: SubjectRequest) -> bool:
    return PersonalDataAccess.objects.filter(
        kind=AccessKind.EXPORT,
        subject_type="person",
        subject_id=str(subject_request.person_id),
        reason=copy_reason(subject_request),
    ).exists()


@transaction.atomic
def request_transition(
    *,
    acting_user,
    subject_request: SubjectRequest,
    action: str,
    version: int,
    method: str = "",
    reason: str = "",
    note: str = "",
    outcome: str = "",
    request=None,
) -> SubjectRequest:
    """Take one declared action (workflow.ACTIONS) on a request."""
    declared = workflow.action_for(action)
    if declared is None:
        raise ValidationFailed(errors={"action": [str(UNKNOWN_ACTION)]}, code="invalid_transition")
    _check_scope(acting_user, subject_request.person, workflow.permission_for(declared, subject_request.kind))
    if not workflow.can_start(declared, subject_request.state):
        unverified = declared.name == "complete" and subject_request.state == State.RECEIVED
        message = NOT_VERIFIED if unverified else NOT_FROM_STATE
        params = {"state": subject_request.get_state_display(), "action": declared.label}
        raise ValidationFailed(errors={"action": [str(message) % params]}, code="invalid_transition")
    method, reason = (method or "").strip(), (reason or "").strip()
    note, outcome = (note or "").strip(), (outcome or "").strip()
    _refuse_bad_input(declared, method=method, reason=reason, note=note, outcome=outcome)

    before = snapshot(subject_request)
    previous = subject_request.state
    now = timezone.now()
    values: dict = {"state": declared.target}
    if declared.name == "verify":
        values.update(verification_method=method, verified_by=acting_user, verified_at=now)
    else:
        values.update(handled_by=acting_user, completed_on=timezone.localdate())
    if declared.name == "refuse":
        values.update(refusal_reason=reason, outcome=note)
    if declared.name == "complete":
        values["outcome"] = outcome
        if subject_request.kind in workflow.IRREVERSIBLE_KINDS:
            _refuse_while_others_open(subject_request)
        if subject_request.kind in workflow.COPY_KINDS and not _copy_produced(subject_request):
            raise ValidationFailed(errors={"action": [str(COPY_FIRST)]}, code="copy_not_produced")
        if subject_request.kind == RequestKind.CORRECTION:
            values["changed_fields"] = selectors.person_changes_since(
                subject_request.person, subject_request.created_at
            )
    for name, value in values.items():
        setattr(subject_request, name, value)
    try:
        subject_request.full_clean(exclude=["person", "unit", "received_by"])
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc
    save_with_version(subject_request, expected_version=version, fields=list(values))
    _log(subject_request, action=declared.name, from_state=previous, by=acting_user, note=note or outcome)
    if declared.target != previous and not subject_request.is_open:
        if declared.closes_item_as_done:
            item_done(kind=WorkKind.SUBJECT_REQUEST, source=subject_request)
        else:
            item_cancel(kind=WorkKind.SUBJECT_REQUEST, source=subject_request)
    audit_change(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=subject_request,
        before=before,
        request=request,
        note=declared.name,
    )
    if declared.name == "complete" and subject_request.kind in workflow.IRREVERSIBLE_KINDS:
        _anonymise(subject_request, acting_user=acting_user, request=request)
    return subject_request


def _refuse_while_others_open(subject_request: SubjectRequest) -> None:
    """Anonymising cancels the person's open work items, so an open access, copy or
    correction request would be left unanswered with no reminder: answer those first."""
    others = (
        SubjectRequest.objects.filter(person_id=subject_request.person_id, state__in=OPEN_STATES)
        .exclude(pk=subject_request.pk)
        .order_by("pk")
    )
    if others:
        listed = "; ".join(f"#{other.pk} {other.get_kind_display()}" for other in others)
        message = str(OTHERS_OPEN) % {"requests": listed}
        raise ValidationFailed(errors={"action": [message]}, code="others_open")


def _anonymise(subject_request: SubjectRequest, *, acting_user, request=None) -> None:
    """Deletion and account cancellation both anonymise the person (retention.services):
    the rows statistics need stay, the identity goes. A job seeker has no login account of
    their own yet, so cancelling "the account" means removing them from the register, which
    is the same anonymisation. The request row and its step log stay as the evidence."""
    from retention.services import anonymise_person  # lands with the retention app

    anonymise_person(
        subject_request.person, actor=acting_user, reason=copy_reason(subject_request), request=request
    )
    # What the person asked, in their words, may name or identify them; the kind, dates,
    # identity check and step log remain as the evidence.
    SubjectRequest.objects.filter(person_id=subject_request.person_id).update(details="")
    subject_request.details = ""


def request_verify(*, acting_user, subject_request, version: int, method: str, note: str = "", request=None):
    return request_transition(
        acting_user=acting_user,
        subject_request=subject_request,
        action="verify",
        version=version,
        method=method,
        note=note,
        request=request,
    )


def request_complete(*, acting_user, subject_request, version: int, outcome: str, request=None):
    """Answer a verified request. Per kind:

    - access, copy: the copy (subjectrights/copy.py) must have been produced first;
    - correction: the counsellor edits the person through the person form; completion
      records which fields changed since the request came in (from the audit trail);
    - deletion, account cancellation: the person is anonymised (station head or above).
    """
    return request_transition(
        acting_user=acting_user,
        subject_request=subject_request,
        action="complete",
        version=version,
        outcome=outcome,
        request=request,
    )


def request_refuse(*, acting_user, subject_request, version: int, reason: str, note: str, request=None):
    return request_transition(
        acting_user=acting_user,
        subject_request=subject_request,
        action="refuse",
        version=version,
        reason=reason,
        note=note,
        request=request,
    )


def request_withdraw(*, acting_user, subject_request, version: int, note: str = "", request=None):
    return request_transition(
        acting_user=acting_user,
        subject_request=subject_request,
        action="withdraw",
        version=version,
        note=note,
        request=request,
    )


COPY_NOT_NOW = _("A copy is handed over for an access or copy request once the identity is verified.")


@transaction.atomic
def copy_produce(*, acting_user, subject_request: SubjectRequest, fmt: str = "xlsx", request=None) -> bytes:
    """The person's copy (copy.py), logged as an export of their own record: one access-log
    row naming the request, and one audit entry. `fmt`: "xlsx" (the workbook) or "pdf" (to
    hand over printed, or to a person without a spreadsheet program)."""
    from subjectrights.copy import SECTION_FIELDS, copy_workbook
    from subjectrights.copy_pdf import copy_pdf

    _check_scope(acting_user, subject_request.person)
    allowed_states = (State.VERIFIED, State.COMPLETED)
    if subject_request.kind not in workflow.COPY_KINDS or subject_request.state not in allowed_states:
        raise ValidationFailed(COPY_NOT_NOW, code="copy_not_available")
    produce = {"xlsx": copy_workbook, "pdf": copy_pdf}[fmt]
    content = produce(person=subject_request.person, user=acting_user, subject_request=subject_request)
    access_log(
        user=acting_user,
        kind=AccessKind.EXPORT,
        subject_type="person",
        subject_id=str(subject_request.person_id),
        fields=SECTION_FIELDS,
        reason=copy_reason(subject_request),
        request=request,
    )
    audit_event(
        action=AuditAction.EXPORT,
        username=acting_user.username,
        actor=acting_user,
        request=request,
        note=f"copy of own data ({fmt}), {copy_reason(subject_request)}",
    )
    return content
