"""The households API (SPEC §5): list, create, read and edit; members join through
`POST /api/v1/persons/{id}/household` (people/api.py).

Zero-employment fields are derived by households.services and are read-only here.
"""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from core.api import ReadWritePermission, query_flag
from households import selectors, services
from households.models import Household
from households.serializers import HouseholdSerializer, HouseholdUpdateSerializer, HouseholdWriteSerializer
from network.api import query_unit
from people.models import Person


def household_in_scope(user, pk) -> Household | None:
    """For a person joining a household: None when it does not exist or is outside the area."""
    try:
        return selectors.household_get(user=user, pk=pk)
    except Http404:
        return None


def _response(request, pk, status_code=status.HTTP_200_OK) -> Response:
    household = selectors.household_get(user=request.user, pk=pk)
    return Response(HouseholdSerializer(household).data, status=status_code)


class HouseholdPermission(ReadWritePermission):
    # Households are part of the workers' register: the same powers as for persons.
    read_permission = "people.view_person"
    write_permission = "people.manage_person"


@extend_schema(
    parameters=[
        OpenApiParameter("unit", str, description="Org unit code; the unit and everything below it"),
        OpenApiParameter("zero_employment", bool),
    ]
)
class HouseholdList(HouseholdPermission, generics.ListAPIView):
    """Households in your area (GET, filterable, paginated) or create one (POST)."""

    serializer_class = HouseholdSerializer

    def get_queryset(self):
        households = selectors.household_list(
            user=self.request.user,
            unit_code=query_unit(self.request),
            zero_employment=query_flag(self.request, "zero_employment"),
        )
        # Only what HouseholdMemberSerializer shows, one query per page.
        members = Person.objects.only(
            "id", "household_id", "name_zh", "name_bo", "relation_to_head", "employment_status"
        ).order_by("birth_date", "id")
        return households.prefetch_related(Prefetch("members", queryset=members))

    @extend_schema(request=HouseholdWriteSerializer, responses={201: HouseholdSerializer})
    def post(self, request):
        data = HouseholdWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = values.pop("unit", request.user.unit)
        household = services.household_create(acting_user=request.user, unit=unit, request=request, **values)
        return _response(request, household.pk, status.HTTP_201_CREATED)


class HouseholdDetail(HouseholdPermission, generics.RetrieveAPIView):
    """One household with its members (GET), or change the fields sent (PATCH, `version` required)."""

    serializer_class = HouseholdSerializer

    def get_object(self):
        return selectors.household_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=HouseholdUpdateSerializer, responses={200: HouseholdSerializer})
    def patch(self, request, pk):
        household = self.get_object()
        data = HouseholdUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.household_update(
            acting_user=request.user,
            household=household,
            expected_version=version,
            request=request,
            **changes,
        )
        return _response(request, pk)
