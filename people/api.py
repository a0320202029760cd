"""The persons API (SPEC §5): list, register, read, edit, reveal, contacts and household.

Views parse input, call people.selectors / people.services and serialise. Scope and
permissions: reads need `people.view_person`, writes `people.manage_person` (checked by
core.api.IsStaffMember through `required_permission`); a record outside the caller's
area answers 404 through the selector.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ReadWritePermission, query_choice, query_flag, query_text
from keygroups import selectors as keygroup_selectors
from keygroups.models import Membership
from network.api import query_unit
from network.models import OrgUnit
from occupations.models import Occupation
from people import selectors, services
from people.choices import EmploymentStatus
from people.models import ContactAttempt
from people.serializers import (
    ContactSerializer,
    PersonCreateSerializer,
    PersonHouseholdSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    RevealReasonSerializer,
    RevealSerializer,
)

UNKNOWN_HOUSEHOLD = _("No such household in your area.")

READ = "people.view_person"
WRITE = "people.manage_person"


class PersonPermission(ReadWritePermission):
    read_permission = READ
    write_permission = WRITE


def category_codes() -> set[str]:
    return {category.code for category in keygroup_selectors.category_list()}


def with_related(persons):
    """What PersonSerializer reads, fetched per page in a fixed number of queries."""
    open_memberships = Membership.objects.filter(ended_on__isnull=True).select_related("category")
    return persons.select_related("unit", "household_unit", "residence_unit").prefetch_related(
        Prefetch(
            "key_group_memberships",
            queryset=open_memberships.order_by("category__order"),
            to_attr="open_memberships",
        ),
        Prefetch("desired_occupations", queryset=Occupation.objects.only("id", "code")),
        Prefetch("desired_districts", queryset=OrgUnit.objects.only("id", "code")),
    )


def person_response(request, pk, status_code=status.HTTP_200_OK) -> Response:
    person = selectors.person_get(user=request.user, pk=pk)
    return Response(PersonSerializer(person).data, status=status_code)


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Name (Chinese, Tibetan, pinyin, Wylie), ID number or phone"),
        OpenApiParameter("unit", str, description="Org unit code; the unit and everything below it"),
        OpenApiParameter("employment_status", enum=EmploymentStatus.values),
        OpenApiParameter("key_group", str, description="Key-group category code (open memberships)"),
        OpenApiParameter("unreachable", bool),
        OpenApiParameter("zero_employment", bool, description="Member of a zero-employment household"),
    ]
)
class PersonList(PersonPermission, generics.ListAPIView):
    """Persons in your area (GET, filterable, paginated) or register one (POST).

    Identifiers are masked. A possible duplicate (same name and birth date) answers 400
    with code `possible_duplicate` until the request says `confirm_similar: true`.
    """

    serializer_class = PersonSerializer

    def get_queryset(self):
        request = self.request
        persons = selectors.person_list(
            user=request.user,
            q=query_text(request, "q", max_length=60),
            unit_code=query_unit(request),
            status=query_choice(request, "employment_status", EmploymentStatus.values),
            key_group=query_choice(request, "key_group", category_codes),
            unreachable=query_flag(request, "unreachable"),
            zero_employment=query_flag(request, "zero_employment"),
        )
        return with_related(persons)

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def post(self, request):
        data = PersonCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        confirm_similar = values.pop("confirm_similar")
        values.setdefault("unit", request.user.unit)
        person = services.person_register(
            acting_user=request.user, values=values, confirm_similar=confirm_similar, request=request
        )
        return person_response(request, person.pk, status.HTTP_201_CREATED)


class PersonDetail(PersonPermission, generics.RetrieveAPIView):
    """One person (GET), or change the fields sent (PATCH, `version` required; 409 if stale).

    Household membership changes through `POST /api/v1/persons/{id}/household`, and
    key groups are derived or recorded with evidence, so neither is edited here.
    """

    serializer_class = PersonSerializer

    def get_object(self):
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(request=PersonUpdateSerializer, responses={200: PersonSerializer})
    def patch(self, request, pk):
        person = self.get_object()
        data = PersonUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        services.person_update(
            acting_user=request.user,
            person=person,
            expected_version=version,
            changes=changes,
            request=request,
        )
        return person_response(request, pk)


class PersonReveal(APIView):
    """The full ID number and phone of one person, logged with the reason given."""

    required_permission = "people.reveal_identifiers"

    @extend_schema(request=RevealReasonSerializer, responses={200: RevealSerializer})
    def post(self, request, pk):
        person = selectors.person_get(user=request.user, pk=pk)
        data = RevealReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = services.person_reveal(
            acting_user=request.user, person=person, reason=data.validated_data["reason"], request=request
        )
        response = Response(RevealSerializer(values).data)
        response["Cache-Control"] = "no-store"  # full identifiers must not sit in any cache
        return response


class PersonContacts(PersonPermission, generics.ListCreateAPIView):
    """The contact log of one person, newest first; three failures in a row flag them unreachable."""

    serializer_class = ContactSerializer
    queryset = ContactAttempt.objects.none()  # for the schema; rows come from get_queryset

    def get_queryset(self):
        person = selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])
        return person.contacts.select_related("by").order_by("-at", "-id")

    def create(self, request, pk):
        person = selectors.person_get(user=request.user, pk=pk)
        data = ContactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = services.contact_record(
            acting_user=request.user, person=person, request=request, **data.validated_data
        )
        return Response(ContactSerializer(attempt).data, status=status.HTTP_201_CREATED)


class PersonHousehold(APIView):
    """Join, move to or leave (`household: null`) a household."""

    required_permission = WRITE

    @extend_schema(request=PersonHouseholdSerializer, responses={200: PersonSerializer})
    def post(self, request, pk):
        from households.api import household_in_scope

        person = selectors.person_get(user=request.user, pk=pk)
        data = PersonHouseholdSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        household = None
        if data.validated_data["household"] is not None:
            household = household_in_scope(request.user, data.validated_data["household"])
            if household is None:
                raise ValidationError({"household": [UNKNOWN_HOUSEHOLD]})
        services.person_set_household(
            acting_user=request.user,
            person=person,
            household=household,
            relation=data.validated_data.get("relation_to_head", ""),
            expected_version=data.validated_data["version"],
            request=request,
        )
        return person_response(request, pk)
