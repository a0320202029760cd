"""The work-items API (SPEC §5): the list (scoped; `mine`, `state`, `kind`, `unit`), the
bulk reassignment (station heads) and the transfer of a person's file.

A stale version is reported per item in the reassignment's answer, never overwritten;
the transfer answers 409 `concurrent_edit` on a stale person version.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import query_choice, query_flag
from network.api import query_unit
from network.models import OrgUnit
from people import selectors as people_selectors
from people.services import person_transfer
from worklist import selectors, services
from worklist.models import Kind
from worklist.rules import REASSIGN, VIEW
from worklist.serializers import (
    ReassignResultSerializer,
    ReassignSerializer,
    TransferRequestSerializer,
    TransferSerializer,
    WorkItemSerializer,
)

UNKNOWN_ASSIGNEE = _("Choose a counsellor or station head of your own unit.")
UNKNOWN_UNIT = _("No org unit has this code.")


@extend_schema(
    parameters=[
        OpenApiParameter("mine", bool, description="Only mine: assigned to me, or unassigned in my area"),
        OpenApiParameter("state", str, enum=list(selectors.STATES), description="Computed from the due date"),
        OpenApiParameter("kind", str, enum=Kind.values),
        OpenApiParameter("unit", str, description="Unit code; the unit and below"),
    ]
)
class WorkItemList(generics.ListAPIView):
    """Open work items in your area, by due date. Counsellors see their own list."""

    serializer_class = WorkItemSerializer
    required_permission = VIEW

    def get_queryset(self):
        request = self.request
        return selectors.item_list(
            user=request.user,
            today=timezone.localdate(),
            mine_only=bool(query_flag(request, "mine")),
            state=query_choice(request, "state", selectors.STATES),
            kind=query_choice(request, "kind", Kind.values),
            unit_code=query_unit(request),
        )


class WorkItemReassign(APIView):
    """Give work items to a counsellor of your unit (or back to the pool with `assignee`
    null). Each item carries the `version` you read; the answer says which moved, which
    were stale, closed or refused."""

    required_permission = REASSIGN

    @extend_schema(request=ReassignSerializer, responses={200: ReassignResultSerializer})
    def post(self, request):
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        assignee = None
        if values["assignee"] is not None:
            assignee = selectors.assignable_staff(user=request.user).filter(pk=values["assignee"]).first()
            if assignee is None:
                raise ValidationError({"assignee": [UNKNOWN_ASSIGNEE]})
        result = services.work_items_reassign(
            acting_user=request.user,
            items=[(item["id"], item["version"]) for item in values["items"]],
            assignee=assignee,
            request=request,
        )
        return Response(ReassignResultSerializer(result).data)


class PersonTransfer(APIView):
    """Move a person's file to another township or village unit; open work items follow."""

    required_permission = "people.manage_person"

    @extend_schema(request=TransferRequestSerializer, responses={201: TransferSerializer})
    def post(self, request, pk):
        person = people_selectors.person_get(user=request.user, pk=pk)
        data = TransferRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = OrgUnit.objects.filter(code=values["unit"]).first()
        if unit is None:
            raise ValidationError({"unit": [UNKNOWN_UNIT]})
        transfer = person_transfer(
            acting_user=request.user,
            person=person,
            unit=unit,
            reason=values["reason"],
            version=values["version"],
            move_residence=values["move_residence"],
            request=request,
        )
        return Response(TransferSerializer(transfer).data, status=201)
