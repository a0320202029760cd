"""Matching API (SPEC §5): a person's recommended vacancies and a vacancy's candidates.

Both compute fresh results (nothing is stored) and follow the org scoping: a person
or vacancy outside the caller's area answers 404, and candidates come only from the
caller's area. Each result has `score`, `factors` (name -> weighted contribution),
`reasons` (one sentence per factor) and `explanation` (the sentences joined), in the
request's language.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ReadWritePermission
from core.scope import get_scoped_or_404
from matching import services
from matching.engine.types import FACTORS
from matching.explain import explanation, explanation_text
from people.models import Person
from vacancies.models import Status, Vacancy

MAX_LIMIT = 50
BAD_LIMIT = _("Give a whole number from 1 to %(max)d.")


def query_limit(request, default: int) -> int:
    value = request.query_params.get("limit", "")
    if not value:
        return default
    if not (value.isdigit() and 1 <= int(value) <= MAX_LIMIT):
        raise ValidationError({"limit": [BAD_LIMIT % {"max": MAX_LIMIT}]})
    return int(value)


class MatchPermission(ReadWritePermission):
    read_permission = services.VIEW
    write_permission = services.RUN


class ReasonSerializer(serializers.Serializer):
    factor = serializers.ChoiceField(choices=FACTORS)
    contribution = serializers.FloatField()
    text = serializers.CharField()


class VacancySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    employer = serializers.CharField(source="employer.name")
    occupation = serializers.CharField(source="occupation.code")
    work_unit = serializers.CharField(source="work_unit.code")
    salary_min = serializers.IntegerField()
    salary_max = serializers.IntegerField()
    pay_period = serializers.CharField()
    headcount = serializers.IntegerField()


class PersonSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    id_number = serializers.CharField(source="id_number_masked")
    unit = serializers.CharField(source="unit.code")
    employment_status = serializers.CharField()


class _ResultSerializer(serializers.Serializer):
    score = serializers.FloatField()
    factors = serializers.DictField(child=serializers.FloatField())
    reasons = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()

    def get_reasons(self, result) -> list[dict]:
        return ReasonSerializer(explanation(result.facts, result.factors), many=True).data

    def get_explanation(self, result) -> str:
        return explanation_text(result.facts, result.factors)


class VacancyResultSerializer(_ResultSerializer):
    vacancy = VacancySummarySerializer()


class CandidateResultSerializer(_ResultSerializer):
    person = PersonSummarySerializer()


class RecommendationsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    target = serializers.IntegerField(help_text="The monthly target (1:5)")
    feasible = serializers.IntegerField(help_text="Open vacancies that pass every hard requirement")
    shortfall = serializers.CharField(help_text="Why fewer than the target are feasible, or empty")
    results = VacancyResultSerializer(many=True)


class CandidatesSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = CandidateResultSerializer(many=True)


LIMIT = OpenApiParameter("limit", int, description=f"How many results, 1–{MAX_LIMIT}")


class PersonRecommendations(MatchPermission, APIView):
    """The person's best open vacancies now, with factor contributions and reasons."""

    @extend_schema(parameters=[LIMIT], responses=RecommendationsSerializer)
    def get(self, request, pk):
        limit = query_limit(request, services.target_per_month())
        person = get_scoped_or_404(Person.objects.select_related("unit"), request.user, pk=pk)
        matches = services.recommend_for_person(user=request.user, person=person, limit=limit)
        return Response(
            RecommendationsSerializer(
                {
                    "count": len(matches.results),
                    "target": matches.target,
                    "feasible": matches.feasible or 0,
                    "shortfall": matches.shortfall,
                    "results": matches.results,
                }
            ).data
        )


class VacancyCandidates(MatchPermission, APIView):
    """The best job seekers in your area for a published vacancy or one your area holds (masked)."""

    @extend_schema(parameters=[LIMIT], responses=CandidatesSerializer)
    def get(self, request, pk):
        limit = query_limit(request, 20)
        vacancies = Vacancy.objects.select_related("unit", "occupation", "employer")
        # A published vacancy is public: any station may look for candidates for it.
        vacancy = vacancies.filter(pk=pk, status=Status.PUBLISHED).first() or get_scoped_or_404(
            vacancies, request.user, pk=pk
        )
        matches = services.candidates_for_vacancy(user=request.user, vacancy=vacancy, limit=limit)
        return Response(
            CandidatesSerializer({"count": len(matches.results), "results": matches.results}).data
        )
