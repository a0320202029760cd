"""Reads of employment and unemployment registrations, scoped through the person's unit."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from core.scope import get_scoped_or_404, scoped
from registrations.models import Registration, Status


def _require(user, perm: str = "people.view_person") -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def registration_list_for_person(*, user, person) -> QuerySet:
    _require(user)
    return scoped(
        Registration.objects.filter(person=person).select_related("unit", "proposed_by", "closed_by"), user
    )


def registration_get(*, user, pk) -> Registration:
    _require(user)
    return get_scoped_or_404(Registration.objects.select_related("person", "person__unit"), user, pk=pk)


def proposal_list(*, user, unit_code: str = "") -> QuerySet:
    """Closure proposals waiting for a station head's decision, oldest first."""
    _require(user)
    proposals = scoped(
        Registration.objects.filter(status=Status.CLOSURE_PROPOSED).select_related(
            "person", "person__unit", "proposed_by"
        ),
        user,
    )
    if unit_code:
        proposals = proposals.filter(person__unit__path__contains=f"{unit_code}/")
    return proposals.order_by("proposed_at", "id")


def registration_actions(*, user, registration: Registration) -> dict:
    """Which buttons the file page offers; the services check again on submit."""
    manage = user.has_perm("people.manage_person")
    is_open = registration.status == Status.OPEN
    return {
        "close": manage and is_open,
        "propose": manage and is_open,
        "decide": registration.status == Status.CLOSURE_PROPOSED
        and user.has_perm("registrations.decide_closure")
        and registration.proposed_by_id != user.pk,
    }
