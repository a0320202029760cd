"""The employers API (SPEC §5): list, register, read and edit, scoped like the pages.

Reads need `employers.view_employer`, writes `employers.manage_employer`; an employer
outside the caller's area answers 404 through the selector.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import ReadWritePermission, query_flag
from employers import selectors, services
from employers.serializers import EmployerSerializer, EmployerUpdateSerializer, EmployerWriteSerializer
from industries import selectors as industry_selectors
from network.api import query_unit

UNKNOWN_INDUSTRY = _("Give a division code (such as 47) or a section letter (such as E).")


class EmployerPermission(ReadWritePermission):
    read_permission = "employers.view_employer"
    write_permission = "employers.manage_employer"


def query_industry(request, name: str = "industry") -> str:
    value = request.query_params.get(name, "")
    if value and not (industry_selectors.division_get(value) or industry_selectors.is_section_code(value)):
        raise ValidationError({name: [UNKNOWN_INDUSTRY]})
    return value


def employer_response(request, pk, status_code=status.HTTP_200_OK) -> Response:
    employer = selectors.employer_get(user=request.user, pk=pk)
    return Response(EmployerSerializer(employer).data, status=status_code)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q", str, description="Name (Chinese or Tibetan), credit code or its start, regional id"
        ),
        OpenApiParameter("industry", str, description="GB/T 4754 division code (47) or section letter (E)"),
        OpenApiParameter("unit", str, description="Org unit code; the unit and everything below it"),
        OpenApiParameter("key_enterprise", bool, description="On the key-enterprise directory now"),
    ]
)
class EmployerList(EmployerPermission, generics.ListAPIView):
    """Employers in your area (GET, filterable, paginated) or register one (POST).

    A credit code already registered anywhere in the city answers 400 on `credit_code`.
    """

    serializer_class = EmployerSerializer

    def get_queryset(self):
        request = self.request
        return selectors.employer_list(
            user=request.user,
            q=request.query_params.get("q", "")[:60],
            industry=query_industry(request),
            unit_code=query_unit(request),
            key_enterprise=query_flag(request, "key_enterprise"),
        ).order_by("name_zh", "id")

    @extend_schema(request=EmployerWriteSerializer, responses={201: EmployerSerializer})
    def post(self, request):
        data = EmployerWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("unit", request.user.unit)
        employer = services.employer_create(acting_user=request.user, values=values, request=request)
        return employer_response(request, employer.pk, status.HTTP_201_CREATED)


class EmployerDetail(EmployerPermission, generics.RetrieveAPIView):
    """One employer (GET), or change the fields sent (PATCH, `version` required; 409 if stale)."""

    serializer_class = EmployerSerializer

    def get_object(self):
        return selectors.employer_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=EmployerUpdateSerializer, responses={200: EmployerSerializer})
    def patch(self, request, pk):
        employer = self.get_object()
        data = EmployerUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.employer_update(
            acting_user=request.user,
            employer=employer,
            expected_version=version,
            changes=changes,
            request=request,
        )
        return employer_response(request, pk)
