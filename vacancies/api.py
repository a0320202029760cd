"""The vacancies API (SPEC §5): list, enter, read, edit, and move through the lifecycle.

Reads need `vacancies.view_vacancy`, writes `vacancies.manage_vacancy`; the transition
endpoint checks the permission of the action asked for (reviewing needs
`vacancies.review_vacancy`). A vacancy outside the caller's area answers 404.
"""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ReadWritePermission, query_choice, query_id
from network.api import query_unit
from vacancies import selectors, services
from vacancies.models import Status, WorkType
from vacancies.serializers import (
    TransitionSerializer,
    VacancySerializer,
    VacancyUpdateSerializer,
    VacancyWriteSerializer,
)

OCCUPATION_CODE = re.compile(r"^\d(-\d{2}){0,3}$")
BAD_OCCUPATION = _("Give an occupation code such as 4-03 or 4-03-02-01.")
BAD_EMPLOYER = _("Give the employer's id (a number).")


def query_occupation(request) -> str:
    code = request.query_params.get("occupation", "")
    if code and not OCCUPATION_CODE.match(code):
        raise ValidationError({"occupation": [BAD_OCCUPATION]})
    return code


class VacancyPermission(ReadWritePermission):
    read_permission = "vacancies.view_vacancy"
    write_permission = "vacancies.manage_vacancy"


def vacancy_response(request, pk, status_code=status.HTTP_200_OK) -> Response:
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    return Response(VacancySerializer(vacancy).data, status=status_code)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q", str, description="Words of the title, description, skills, employer or occupation"
        ),
        OpenApiParameter("status", enum=Status.values),
        OpenApiParameter("employer", int),
        OpenApiParameter("occupation", str, description="Occupation code or prefix, e.g. 4-03"),
        OpenApiParameter("unit", str, description="Holding unit code; the unit and everything below it"),
        OpenApiParameter("work_type", enum=WorkType.values),
    ]
)
class VacancyList(VacancyPermission, generics.ListAPIView):
    """Vacancies in your area (GET, filterable, paginated) or enter one as a draft (POST)."""

    serializer_class = VacancySerializer

    def get_queryset(self):
        request = self.request
        return selectors.vacancy_list(
            user=request.user,
            q=request.query_params.get("q", "")[:60],
            status=query_choice(request, "status", Status.values),
            employer_id=query_id(request, "employer", message=BAD_EMPLOYER),
            occupation_code=query_occupation(request),
            unit_code=query_unit(request),
            work_type=query_choice(request, "work_type", WorkType.values),
        )

    @extend_schema(request=VacancyWriteSerializer, responses={201: VacancySerializer})
    def post(self, request):
        data = VacancyWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        vacancy = services.vacancy_create(
            acting_user=request.user, values=dict(data.validated_data), request=request
        )
        return vacancy_response(request, vacancy.pk, status.HTTP_201_CREATED)


class VacancyDetail(VacancyPermission, generics.RetrieveAPIView):
    """One vacancy (GET), or change the fields sent (PATCH, `version` required; 409 if stale).

    Changing a published or suspended vacancy sends it back to review (status `under_review`).
    """

    serializer_class = VacancySerializer

    def get_object(self):
        return selectors.vacancy_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=VacancyUpdateSerializer, responses={200: VacancySerializer})
    def patch(self, request, pk):
        vacancy = self.get_object()
        data = VacancyUpdateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.vacancy_update(
            acting_user=request.user,
            vacancy=vacancy,
            expected_version=version,
            changes=changes,
            request=request,
        )
        return vacancy_response(request, pk)


class VacancyTransition(APIView):
    """Move a vacancy through its lifecycle: submit, approve, reject (note required), suspend
    (note required), reconfirm, fill or close. Approval is refused with the vetting problems
    per field while any remains; a stale `version` answers 409."""

    required_permission = "vacancies.view_vacancy"

    @extend_schema(request=TransitionSerializer, responses={200: VacancySerializer})
    def post(self, request, pk):
        vacancy = selectors.vacancy_get(user=request.user, pk=pk)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.vacancy_transition(
            acting_user=request.user,
            vacancy=vacancy,
            action=data.validated_data["action"],
            expected_version=data.validated_data["version"],
            note=data.validated_data["note"],
            request=request,
        )
        return vacancy_response(request, pk)
