"""Employment and unemployment registration (§5.7), and closure with a reason.

Closing for "6 months without contact" is only ever proposed — by the nightly check
or by a counsellor — and a station head decides. Nothing is deleted.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import NotAllowed, ValidationFailed, errors_from_django
from people.choices import EmploymentStatus
from people.services import person_set_employment
from registrations.models import (
    EMPLOYMENT_CLOSE_REASONS,
    PROPOSAL_ONLY_REASONS,
    UNEMPLOYMENT_CLOSE_REASONS,
    CloseReason,
    EmploymentType,
    Kind,
    Registration,
    Status,
)

ALREADY_OPEN = _("This person already has an open registration of this kind.")
EMPLOYER_REQUIRED = _("Name the employer, or choose self-employed or flexible work.")
REASON_NOT_ALLOWED = _("This reason cannot close this kind of registration.")
PROPOSAL_ONLY = _("Closing for lack of contact must be proposed to the station head, not done directly.")
NOT_OPEN = _("Only an open registration can be closed or proposed for closure.")
NOT_PROPOSED = _("There is no closure proposal to decide on.")
OWN_PROPOSAL = _("Someone other than the proposer must decide on this proposal.")
BEFORE_REGISTRATION = _("The date cannot be before the registration date.")
IN_FUTURE = _("The date cannot be in the future.")

STATUS_FOR_TYPE = {
    EmploymentType.EMPLOYEE: EmploymentStatus.EMPLOYED,
    EmploymentType.PUBLIC_POST: EmploymentStatus.EMPLOYED,
    EmploymentType.SELF_EMPLOYED: EmploymentStatus.SELF_EMPLOYED,
    EmploymentType.FLEXIBLE: EmploymentStatus.FLEXIBLE,
}
# What closing an unemployment registration says about the person now.
STATUS_AFTER_CLOSE = {
    CloseReason.EMPLOYED: EmploymentStatus.EMPLOYED,
    CloseReason.SELF_EMPLOYED: EmploymentStatus.SELF_EMPLOYED,
    CloseReason.RETIRED: EmploymentStatus.RETIRED,
    CloseReason.ENTERED_EDUCATION: EmploymentStatus.STUDENT,
    CloseReason.ENLISTED: EmploymentStatus.EMPLOYED,
}


def _clean(instance):
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(errors=errors_from_django(exc)) from exc


def _open_of_kind(person, kind):
    return (
        Registration.objects.select_for_update()
        .filter(person=person, kind=kind)
        .exclude(status=Status.CLOSED)
    )


def _close(registration: Registration, *, on: datetime.date, reason: str, note: str, by) -> None:
    registration.status = Status.CLOSED
    registration.closed_on = on
    registration.close_reason = reason
    registration.close_note = note[:300]
    registration.closed_by = by if getattr(by, "pk", None) else None
    registration.version += 1
    registration.save()


@transaction.atomic
def registration_open(
    *,
    acting_user,
    person,
    kind: str,
    registered_on: datetime.date,
    employment_type: str = "",
    employer_name: str = "",
    employer_credit_code: str = "",
    job_title: str = "",
    reason: str = "",
    request=None,
) -> Registration:
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    if registered_on > timezone.localdate():
        raise ValidationFailed(errors={"registered_on": [str(IN_FUTURE)]})
    if _open_of_kind(person, kind).exists():
        raise ValidationFailed(errors={"kind": [str(ALREADY_OPEN)]})
    registration = Registration(
        person=person,
        kind=kind,
        unit=acting_user.unit,
        registered_on=registered_on,
        employment_type=employment_type if kind == Kind.EMPLOYMENT else "",
        employer_name=employer_name.strip(),
        employer_credit_code=employer_credit_code.strip().upper(),
        job_title=job_title.strip(),
        reason=reason.strip(),
        created_by=acting_user,
    )
    if kind == Kind.EMPLOYMENT:
        registration.employment_type = employment_type or EmploymentType.EMPLOYEE
        if registration.employment_type == EmploymentType.EMPLOYEE and not registration.employer_name:
            raise ValidationFailed(errors={"employer_name": [str(EMPLOYER_REQUIRED)]})
    _clean(registration)
    if kind == Kind.EMPLOYMENT:
        # Finding work ends unemployment registration; the reason says how.
        close_reason = (
            CloseReason.SELF_EMPLOYED
            if registration.employment_type == EmploymentType.SELF_EMPLOYED
            else CloseReason.EMPLOYED
        )
        for open_one in _open_of_kind(person, Kind.UNEMPLOYMENT):
            _close(
                open_one,
                on=max(registered_on, open_one.registered_on),
                reason=close_reason,
                note="",
                by=acting_user,
            )
        status = STATUS_FOR_TYPE[registration.employment_type]
    else:
        for open_one in _open_of_kind(person, Kind.EMPLOYMENT):
            _close(
                open_one,
                on=max(registered_on, open_one.registered_on),
                reason=CloseReason.LEFT_JOB,
                note="",
                by=acting_user,
            )
        status = EmploymentStatus.UNEMPLOYED
    registration.save()
    person_set_employment(person=person, status=status, today=registered_on, actor=acting_user)
    if kind == Kind.UNEMPLOYMENT and person.unemployed_since and person.unemployed_since > registered_on:
        type(person).objects.filter(pk=person.pk).update(unemployed_since=registered_on)
    from keygroups.services import memberships_derive

    memberships_derive(person=person, today=timezone.localdate())
    audit_change(actor=acting_user, action=Action.CREATE, instance=registration, request=request)
    return registration


def _check_close(registration: Registration, reason: str, closed_on: datetime.date) -> None:
    allowed = (
        UNEMPLOYMENT_CLOSE_REASONS if registration.kind == Kind.UNEMPLOYMENT else EMPLOYMENT_CLOSE_REASONS
    )
    if reason not in allowed:
        raise ValidationFailed(errors={"reason": [str(REASON_NOT_ALLOWED)]})
    if closed_on < registration.registered_on:
        raise ValidationFailed(errors={"closed_on": [str(BEFORE_REGISTRATION)]})
    if closed_on > timezone.localdate():
        raise ValidationFailed(errors={"closed_on": [str(IN_FUTURE)]})


def _after_close(registration: Registration, acting_user) -> None:
    person = registration.person
    if registration.kind == Kind.UNEMPLOYMENT:
        status = STATUS_AFTER_CLOSE.get(registration.close_reason)
    else:
        status = EmploymentStatus.RETIRED if registration.close_reason == CloseReason.RETIRED else None
        if registration.close_reason == CloseReason.LEFT_JOB:
            status = EmploymentStatus.UNEMPLOYED
    if status:
        person_set_employment(person=person, status=status, today=registration.closed_on, actor=acting_user)
    from keygroups.services import memberships_derive

    memberships_derive(person=person, today=timezone.localdate())


@transaction.atomic
def registration_close(
    *,
    acting_user,
    registration: Registration,
    expected_version: int,
    reason: str,
    closed_on: datetime.date,
    note: str = "",
    request=None,
) -> Registration:
    if not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    if reason in PROPOSAL_ONLY_REASONS:
        raise ValidationFailed(errors={"reason": [str(PROPOSAL_ONLY)]})
    if registration.status != Status.OPEN:
        raise ValidationFailed(errors={"__all__": [str(NOT_OPEN)]})
    _check_close(registration, reason, closed_on)
    before = snapshot(registration)
    registration.status = Status.CLOSED
    registration.closed_on = closed_on
    registration.close_reason = reason
    registration.close_note = note.strip()[:300]
    registration.closed_by = acting_user
    save_with_version(
        registration,
        expected_version=expected_version,
        fields=["status", "closed_on", "close_reason", "close_note", "closed_by"],
    )
    _after_close(registration, acting_user)
    audit_change(
        actor=acting_user, action=Action.UPDATE, instance=registration, before=before, request=request
    )
    return registration


@transaction.atomic
def registration_propose_closure(
    *,
    acting_user,
    registration: Registration,
    expected_version: int,
    reason: str,
    note: str = "",
    request=None,
) -> Registration:
    """`acting_user=None` is the nightly check acting as the system."""
    if acting_user is not None and not acting_user.has_perm("people.manage_person"):
        raise NotAllowed()
    if registration.status != Status.OPEN:
        raise ValidationFailed(errors={"__all__": [str(NOT_OPEN)]})
    _check_close(registration, reason, timezone.localdate())
    before = snapshot(registration)
    registration.status = Status.CLOSURE_PROPOSED
    registration.close_reason = reason
    registration.close_note = note.strip()[:300]
    registration.proposed_by = acting_user
    registration.proposed_at = timezone.now()
    save_with_version(
        registration,
        expected_version=expected_version,
        fields=["status", "close_reason", "close_note", "proposed_by", "proposed_at"],
    )
    audit_change(
        actor=acting_user, action=Action.UPDATE, instance=registration, before=before, request=request
    )
    return registration


@transaction.atomic
def registration_decide_closure(
    *,
    acting_user,
    registration: Registration,
    expected_version: int,
    approve: bool,
    note: str = "",
    request=None,
) -> Registration:
    if not acting_user.has_perm("registrations.decide_closure"):
        raise NotAllowed()
    if registration.status != Status.CLOSURE_PROPOSED:
        raise ValidationFailed(errors={"__all__": [str(NOT_PROPOSED)]})
    if registration.proposed_by_id == acting_user.pk:
        raise ValidationFailed(errors={"__all__": [str(OWN_PROPOSAL)]})
    before = snapshot(registration)
    if approve:
        registration.status = Status.CLOSED
        registration.closed_on = timezone.localdate()
        registration.closed_by = acting_user
    else:
        registration.status = Status.OPEN
        registration.close_reason = ""
        registration.proposed_by = None
        registration.proposed_at = None
    if note.strip():
        registration.close_note = note.strip()[:300]
    save_with_version(
        registration,
        expected_version=expected_version,
        fields=[
            "status",
            "closed_on",
            "closed_by",
            "close_reason",
            "close_note",
            "proposed_by",
            "proposed_at",
        ],
    )
    if approve:
        _after_close(registration, acting_user)
    audit_change(
        actor=acting_user, action=Action.UPDATE, instance=registration, before=before, request=request
    )
    return registration


def no_contact_closure_candidates(*, today: datetime.date):
    """Open unemployment registrations with no contact for N months (by last contact or registration)."""
    months = settings.STANDARD["NO_CONTACT_CLOSURE_MONTHS"]
    cutoff = today - relativedelta(months=months)
    cutoff_start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return (
        Registration.objects.filter(kind=Kind.UNEMPLOYMENT, status=Status.OPEN, registered_on__lte=cutoff)
        .filter(Q(person__last_contact_at__isnull=True) | Q(person__last_contact_at__lt=cutoff_start))
        .select_related("person")
        .order_by("registered_on", "id")
    )


def propose_no_contact_closures(*, today: datetime.date) -> int:
    proposed = 0
    for registration in no_contact_closure_candidates(today=today).iterator(chunk_size=500):
        registration_propose_closure(
            acting_user=None,
            registration=registration,
            expected_version=registration.version,
            reason=CloseReason.NO_CONTACT,
        )
        proposed += 1
    return proposed
