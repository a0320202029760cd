"""Reads of recommendations: lists, one recommendation, its steps, what may be done next,
and the two worklists (answers overdue, hires to follow up). All scoped to the user's area."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet

from core.scope import get_scoped_or_404, scoped, unit_in_scope
from recommendations import workflow
from recommendations.models import WAITING_STATES, Recommendation, State
from recommendations.rules import ACT, VIEW
from vacancies.models import Status as VacancyStatus

# How far ahead the follow-up list looks, so a visit can be planned (not a number from the standard).
FOLLOW_UP_LOOKAHEAD_DAYS = 7
RELATED = ("person__unit", "vacancy__employer", "vacancy__work_unit")


def _require(user, perm: str = VIEW) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _visible(user) -> QuerySet:
    _require(user)
    return scoped(Recommendation.objects.select_related(*RELATED), user)


def recommendation_list(
    *,
    user,
    person=None,
    vacancy=None,
    state: str | Iterable[str] | None = None,
    unit_code: str = "",
) -> QuerySet:
    recommendations = _visible(user)
    if person is not None:
        recommendations = recommendations.filter(person=person)
    if vacancy is not None:
        recommendations = recommendations.filter(vacancy=vacancy)
    if state:
        states = [state] if isinstance(state, str) else list(state)
        recommendations = recommendations.filter(state__in=states)
    if unit_code:
        recommendations = recommendations.filter(person__unit__path__contains=f"{unit_code}/")
    return recommendations


def recommendation_get(*, user, pk) -> Recommendation:
    """404 outside the user's area, so a recommendation's existence does not leak."""
    return get_scoped_or_404(_visible(user), user, pk=pk)


def steps(recommendation: Recommendation) -> QuerySet:
    return recommendation.steps.select_related("by").order_by("at", "id")


def allowed_actions(*, user, recommendation: Recommendation) -> list[workflow.Action]:
    """The steps the user may record now; referral only while the vacancy is published."""
    if not user.has_perm(ACT) or not unit_in_scope(user, recommendation.person.unit):
        return []
    actions = workflow.actions_from(recommendation.state)
    if recommendation.vacancy.status != VacancyStatus.PUBLISHED:
        actions = [action for action in actions if action.name != "refer"]
    return actions


def overdue(*, user, today: datetime.date) -> QuerySet:
    """Open recommendations waiting past their deadline, or that expired for lack of an
    employer's answer; oldest first (expired ones, then by deadline)."""
    late = Q(state__in=WAITING_STATES, step_deadline__lt=today) | Q(state=State.NO_RESPONSE)
    return _visible(user).filter(late).order_by(F("step_deadline").asc(nulls_first=True), "updated_at", "pk")


def follow_ups_due(*, user, today: datetime.date) -> QuerySet:
    """Hires whose follow-up falls due within the coming week (or is late) and is not recorded."""
    horizon = today + datetime.timedelta(days=FOLLOW_UP_LOOKAHEAD_DAYS)
    return (
        _visible(user)
        .filter(state=State.HIRED, follow_up_on__lte=horizon, followed_up_on__isnull=True)
        .order_by("follow_up_on", "pk")
    )
