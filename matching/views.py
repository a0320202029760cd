"""Staff page for matching: a vacancy's best candidates in the user's area, each with a
"Recommend" button that records the recommendation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.scope import get_scoped_or_404
from matching import services
from matching.explain import explanation
from network.models import localized_name
from people import selectors as people_selectors
from recommendations import selectors as recommendation_selectors
from recommendations.models import OPEN_STATES
from vacancies.models import Status, Vacancy

LIMITS = (10, 20, 50)


def score_percent(score: float) -> int:
    """A score as a share of the best possible (every factor fully met)."""
    best = sum(settings.MATCHING["WEIGHTS"].values()) or 1
    return max(0, min(100, round(100 * score / best)))


def _vacancy(user, pk) -> Vacancy:
    vacancies = Vacancy.objects.select_related("unit", "occupation", "employer", "work_unit")
    # A published vacancy is public: any station may look for candidates for it.
    return vacancies.filter(pk=pk, status=Status.PUBLISHED).first() or get_scoped_or_404(
        vacancies, user, pk=pk
    )


def _limit(request) -> int:
    value = request.GET.get("limit") or request.POST.get("limit") or ""
    return int(value) if value.isdigit() and int(value) in LIMITS else LIMITS[0]


@permission_required(services.VIEW, raise_exception=True)
def candidates(request, pk):
    vacancy = _vacancy(request.user, pk)
    limit = _limit(request)
    matches = services.candidates_for_vacancy(user=request.user, vacancy=vacancy, limit=limit)
    recommended = set()
    if request.user.has_perm("recommendations.view_recommendation"):
        recommended = set(
            recommendation_selectors.recommendation_list(
                user=request.user, vacancy=vacancy, state=OPEN_STATES
            ).values_list("person_id", flat=True)
        )
    rows = [
        {
            "person": result.person,
            "score_percent": score_percent(result.score),
            "score": result.score,
            "reasons": explanation(result.facts, result.factors),
            "recommended": result.person.pk in recommended,
        }
        for result in matches.results
    ]
    return render(
        request,
        "matching/candidates.html",
        {
            "vacancy": vacancy,
            "employer_name": localized_name(vacancy.employer),
            "rows": rows,
            "limit": limit,
            "limits": LIMITS,
            "can_recommend": request.user.has_perm(services.RUN) and vacancy.status == Status.PUBLISHED,
        },
    )


@require_POST
@permission_required(services.RUN, raise_exception=True)
def recommend(request, pk, person_pk):
    vacancy = _vacancy(request.user, pk)
    person = people_selectors.person_get(user=request.user, pk=person_pk)
    try:
        recommendation = services.recommend_candidate(
            acting_user=request.user, vacancy=vacancy, person=person, request=request
        )
    except DomainError as exc:
        errors = [str(m) for messages_ in exc.errors.values() for m in messages_]
        messages.error(request, " ".join(errors) or str(exc.message))
    else:
        if getattr(recommendation, "is_new", True):
            messages.success(
                request, _("Recommended %(name)s for this vacancy.") % {"name": person.display_name}
            )
        else:
            messages.warning(request, _("%(name)s was already recommended.") % {"name": person.display_name})
    url = reverse("matching:candidates", args=[vacancy.pk])
    return redirect(f"{url}?limit={_limit(request)}#person-{person.pk}")
