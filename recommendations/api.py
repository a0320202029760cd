"""The recommendations API (SPEC §5, 推荐跟踪): list, read, and take a step.

Reads need `recommendations.view_recommendation`, steps
`recommendations.act_on_recommendation`. A recommendation outside the caller's area
answers 404; an action the state does not allow answers 400 (`invalid_transition`), a
stale `version` 409 (`concurrent_edit`).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ReadWritePermission, query_choice, query_id
from network.api import query_unit
from recommendations import selectors, services
from recommendations.forms import FOLLOW_UP
from recommendations.models import State
from recommendations.rules import ACT, VIEW
from recommendations.serializers import (
    ActionSerializer,
    RecommendationDetailSerializer,
    RecommendationSerializer,
)


class RecommendationPermission(ReadWritePermission):
    read_permission = VIEW
    write_permission = ACT


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, enum=State.values, description="Current state"),
        OpenApiParameter("person", int, description="The person's id"),
        OpenApiParameter("vacancy", int, description="The vacancy's id"),
        OpenApiParameter("unit", str, description="Unit code of the person's file; the unit and below"),
    ]
)
class RecommendationList(RecommendationPermission, generics.ListAPIView):
    """Recommendations in your area, newest first (filterable, paginated)."""

    serializer_class = RecommendationSerializer

    def get_queryset(self):
        request = self.request
        recommendations = selectors.recommendation_list(
            user=request.user,
            state=query_choice(request, "state", State.values) or None,
            unit_code=query_unit(request),
        )
        person = query_id(request, "person")
        if person is not None:
            recommendations = recommendations.filter(person_id=person)
        vacancy = query_id(request, "vacancy")
        if vacancy is not None:
            recommendations = recommendations.filter(vacancy_id=vacancy)
        return recommendations.select_related("vacancy__occupation")


class RecommendationDetail(RecommendationPermission, generics.RetrieveAPIView):
    """One recommendation with its reasons, steps and the actions you may take now."""

    serializer_class = RecommendationDetailSerializer

    def get_object(self):
        return selectors.recommendation_get(user=self.request.user, pk=self.kwargs["pk"])


class RecommendationActions(RecommendationPermission, APIView):
    """Record a step: show, interested, decline (reason), refer, interview (date), reject
    (reason), hire (date; `confirm` when it changes the person's file), not_hired,
    withdraw (reason), or follow_up after a hire. Answers the recommendation as stored."""

    @extend_schema(request=ActionSerializer, responses={200: RecommendationDetailSerializer})
    def post(self, request, pk):
        recommendation = selectors.recommendation_get(user=request.user, pk=pk)
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["action"] == FOLLOW_UP:
            services.recommendation_record_follow_up(
                acting_user=request.user,
                recommendation=recommendation,
                version=values["version"],
                on=values["on"],
                note=values["note"],
                request=request,
            )
        else:
            services.recommendation_act(
                acting_user=request.user,
                recommendation=recommendation,
                action=values["action"],
                version=values["version"],
                reason=values["reason"],
                note=values["note"],
                on=values["on"],
                confirm=values["confirm"],
                request=request,
            )
        fresh = selectors.recommendation_get(user=request.user, pk=pk)
        return Response(RecommendationDetailSerializer(fresh, context={"request": request}).data)
