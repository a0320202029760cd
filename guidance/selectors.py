"""Reads of guidance records: cases, plans, 一人一策 and programmes, always scoped."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from core.scope import get_scoped_or_404, scoped, unit_in_scope
from guidance import workflow
from guidance.models import (
    CaseState,
    CaseStep,
    EmploymentPlan,
    GuidanceCase,
    PersonalPolicyPlan,
    PlanAction,
    PlanReview,
    PlanState,
    Programme,
    Session,
)
from guidance.policy_services import without_current_plan
from guidance.rules import MANAGE, MANAGE_PROGRAMMES, VIEW, VIEW_PROGRAMMES
from people.models import Person


def _require(user, perm: str = VIEW) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


# --- cases -------------------------------------------------------------------------------------


def case_get(*, user, pk) -> GuidanceCase:
    """404 outside the user's area, so a case's existence does not leak."""
    _require(user)
    return get_scoped_or_404(GuidanceCase.objects.select_related("person__unit", "counsellor"), user, pk=pk)


def cases_of_person(*, user, person: Person) -> QuerySet:
    _require(user)
    return scoped(GuidanceCase.objects.filter(person=person), user).select_related("counsellor")


def open_case(*, user, person: Person) -> GuidanceCase | None:
    return cases_of_person(user=user, person=person).exclude(state=CaseState.CLOSED).first()


def latest_case(*, user, person: Person) -> GuidanceCase | None:
    """The open case, else the one closed last."""
    cases = cases_of_person(user=user, person=person)
    return cases.exclude(state=CaseState.CLOSED).first() or cases.order_by("-closed_on", "-pk").first()


def steps(case: GuidanceCase) -> QuerySet:
    return CaseStep.objects.filter(case=case).select_related("by").order_by("at", "id")


def allowed_moves(*, user, case: GuidanceCase) -> list[workflow.Move]:
    if not can_manage(user, case.person):
        return []
    return workflow.moves_from(case.state)


def can_manage(user, person: Person) -> bool:
    return user.has_perm(MANAGE) and unit_in_scope(user, person.unit)


# --- plans -------------------------------------------------------------------------------------


def _plans() -> QuerySet:
    return EmploymentPlan.objects.select_related(
        "case__person__unit", "case__counsellor", "created_by"
    ).prefetch_related(
        Prefetch("actions", queryset=PlanAction.objects.select_related("service_type")),
        Prefetch("reviews", queryset=PlanReview.objects.select_related("by")),
    )


def plan_get(*, user, pk) -> EmploymentPlan:
    _require(user)
    return get_scoped_or_404(_plans(), user, pk=pk)


def plans_of_case(case: GuidanceCase) -> list[EmploymentPlan]:
    return list(_plans().filter(case=case).order_by("-number"))


def plan_in_force(case: GuidanceCase) -> EmploymentPlan | None:
    return _plans().filter(case=case, state=PlanState.AGREED).first()


def plan_draft(case: GuidanceCase) -> EmploymentPlan | None:
    return _plans().filter(case=case, state=PlanState.DRAFT).first()


# --- 一人一策 ----------------------------------------------------------------------------------


def personal_policy_missing(*, user, today: datetime.date, unit_code: str = "") -> QuerySet:
    """Long-term unemployed persons in the user's area without a current 一人一策 plan."""
    _require(user)
    persons = scoped(Person.objects.select_related("unit"), user)
    if unit_code:
        persons = persons.filter(unit__path__contains=f"{unit_code}/")
    return without_current_plan(persons, today).order_by("unit__path", "unemployed_since", "pk")


def personal_policy_plans(*, user, person: Person) -> QuerySet:
    _require(user)
    return scoped(PersonalPolicyPlan.objects.filter(person=person), user).prefetch_related("policies")


# --- programmes --------------------------------------------------------------------------------


def programme_list(*, user) -> QuerySet:
    _require(user, VIEW_PROGRAMMES)
    return scoped(Programme.objects.select_related("unit"), user)


def programme_get(*, user, pk) -> Programme:
    _require(user, VIEW_PROGRAMMES)
    return get_scoped_or_404(Programme.objects.select_related("unit", "created_by"), user, pk=pk)


def session_get(*, user, pk) -> Session:
    _require(user, VIEW_PROGRAMMES)
    return get_scoped_or_404(Session.objects.select_related("programme__unit"), user, pk=pk)


def can_manage_programme(user, programme: Programme) -> bool:
    return user.has_perm(MANAGE_PROGRAMMES) and unit_in_scope(user, programme.unit)


def enrolled_persons(*, user, programme: Programme) -> QuerySet:
    """The enrolled persons the user may see (one who moved out of the area drops out of view)."""
    persons = Person.objects.filter(pk__in=programme.enrolments.values("person_id")).select_related("unit")
    return scoped(persons, user).order_by("unit__path", "name_zh", "pk")
