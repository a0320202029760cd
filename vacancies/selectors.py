"""Reads of vacancies. Staff reads go through the shared scope; the public board reads only
published vacancies (`published_vacancies`)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from core.scope import get_scoped_or_404, scoped
from employers.models import Employer
from network.models import OrgUnit
from textsearch import segment_query
from vacancies import vetting, workflow
from vacancies.models import Status, Vacancy

VIEW = "vacancies.view_vacancy"
LIST_RELATED = ("employer", "occupation", "unit", "work_unit")


def _require(user, perm: str = VIEW) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def keyword_filter(q: str) -> Q:
    """Every query word must be among the vacancy's segmented words (Chinese by rjieba,
    Tibetan by syllable); staff lists match by substring, the public board uses full-text."""
    words = segment_query(q[:100])
    match = Q()
    for word in words[:10]:
        match &= Q(search_text__contains=word)
    return match


def vacancy_list(
    *,
    user,
    q: str = "",
    status: str = "",
    employer_id: int | None = None,
    occupation_code: str = "",
    unit_code: str = "",
    work_type: str = "",
) -> QuerySet:
    _require(user)
    vacancies = scoped(Vacancy.objects.select_related(*LIST_RELATED), user)
    if q.strip():
        vacancies = vacancies.filter(keyword_filter(q))
    if status:
        vacancies = vacancies.filter(status=status)
    if employer_id:
        vacancies = vacancies.filter(employer_id=employer_id)
    if occupation_code:
        # A code prefix ("4-03") selects the whole branch of the classification.
        vacancies = vacancies.filter(occupation__code__startswith=occupation_code)
    if unit_code:
        vacancies = vacancies.filter(unit__path__contains=f"{unit_code}/")
    if work_type:
        vacancies = vacancies.filter(work_type=work_type)
    return vacancies


def vacancy_get(*, user, pk) -> Vacancy:
    _require(user)
    related = (*LIST_RELATED, "created_by", "reviewed_by", "submitted_by")
    return get_scoped_or_404(Vacancy.objects.select_related(*related), user, pk=pk)


def review_queue(*, user) -> QuerySet:
    """Vacancies waiting for a station head's review, oldest first."""
    _require(user, workflow.REVIEW)
    waiting = Vacancy.objects.filter(status=Status.UNDER_REVIEW).select_related(*LIST_RELATED)
    return scoped(waiting, user).order_by("updated_at", "id")


def published_vacancies() -> QuerySet:
    """The public job board's vacancies: published only, no scope (no login)."""
    published = Vacancy.objects.filter(status=Status.PUBLISHED)
    return published.select_related("employer", "occupation", "work_unit")


def transitions(vacancy: Vacancy) -> QuerySet:
    return vacancy.transitions.select_related("by").order_by("at", "id")


def problems(vacancy: Vacancy) -> list[vetting.Problem]:
    """What vetting says now; shown while the vacancy is not yet final."""
    if vacancy.status in workflow.FINAL_STATES:
        return []
    return vetting.vet(vacancy)


def allowed_actions(*, user, vacancy: Vacancy) -> list[workflow.Action]:
    """The buttons to show: allowed from the current status and held by this user.
    A reviewer does not see "approve" on their own vacancy."""
    actions = []
    for action in workflow.actions_from(vacancy.status):
        if not user.has_perm(action.permission):
            continue
        if action.name == "approve" and user.pk in {vacancy.created_by_id, vacancy.submitted_by_id}:
            continue
        actions.append(action)
    return actions


def employer_choices(*, user) -> QuerySet:
    """Active employers a user may enter vacancies for: those located in their area."""
    return scoped(Employer.objects.filter(is_active=True), user).order_by("name_zh", "id")


def employer_in_scope(*, user, pk) -> Employer | None:
    try:
        return scoped(Employer.objects.all(), user).get(pk=pk)
    except (Employer.DoesNotExist, ValueError, TypeError):
        return None


def work_unit_choices() -> QuerySet:
    """Where the work is may be anywhere in the city, not only in the user's area."""
    return OrgUnit.objects.filter(is_active=True).order_by("path")
