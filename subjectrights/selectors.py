"""Reading data-subject requests. Every query goes through core.scope."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from audit.models import Action as AuditAction
from audit.models import AuditEntry
from core.scope import get_scoped_or_404, scoped
from subjectrights.models import OPEN_STATES, Step, SubjectRequest
from subjectrights.rules import VIEW


def _require(user, permission: str = VIEW) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def overdue(today: datetime.date) -> Q:
    return Q(state__in=OPEN_STATES, due_on__lt=today)


def _base() -> QuerySet:
    return SubjectRequest.objects.select_related("person__unit", "unit")


def request_list(
    *,
    user,
    today: datetime.date,
    state: str = "",
    kind: str = "",
    overdue_only: bool = False,
    unit_code: str = "",
    person_id: int | None = None,
) -> QuerySet:
    """Requests in the user's area: open ones first, the earliest deadline first."""
    _require(user)
    requests = scoped(_base(), user)
    if state:
        requests = requests.filter(state=state)
    if kind:
        requests = requests.filter(kind=kind)
    if overdue_only:
        requests = requests.filter(overdue(today))
    if unit_code:
        requests = requests.filter(person__unit__path__contains=f"{unit_code}/")
    if person_id is not None:
        requests = requests.filter(person_id=person_id)
    return requests.order_by("completed_on", "due_on", "id")


def request_get(*, user, pk) -> SubjectRequest:
    _require(user)
    related = _base().select_related("received_by", "verified_by", "handled_by")
    return get_scoped_or_404(related, user, pk=pk)


def person_requests(*, user, person) -> list[SubjectRequest]:
    if not user.has_perm(VIEW):
        return []
    return list(scoped(SubjectRequest.objects.filter(person=person), user).order_by("-received_on", "-id"))


def steps(subject_request: SubjectRequest) -> QuerySet:
    return Step.objects.filter(request=subject_request).select_related("by")


def person_changes_since(person, since: datetime.datetime) -> list[str]:
    """Names of the person's fields changed since `since`, from the audit trail (the edits
    a counsellor made through the person form to answer a correction)."""
    entries = AuditEntry.objects.filter(
        object_type=person._meta.label_lower,
        object_id=str(person.pk),
        action=AuditAction.UPDATE,
        at__gte=since,
    ).values_list("changes", flat=True)
    names: set[str] = set()
    for changes in entries:
        names.update((changes or {}).keys())
    # Only what a person edits: not timestamps, search keys, blind indexes or masked copies.
    editable = {f.name for f in person._meta.get_fields() if getattr(f, "editable", False) and f.concrete}
    return sorted(names & editable)


def annotate_state(subject_request: SubjectRequest, today: datetime.date) -> SubjectRequest:
    """Display flags, computed from the stored due date, never stored."""
    subject_request.overdue = subject_request.is_open and subject_request.due_on < today
    subject_request.days_left = (subject_request.due_on - today).days if subject_request.is_open else None
    return subject_request
