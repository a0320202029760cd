"""The data-subject requests API (GB/T 35273 §8): list and record, read one, move one.

Reads need `subjectrights.view_request`, writes `subjectrights.record_request`; completing
a deletion or account cancellation `subjectrights.complete_deletion`. A request or person
outside the caller's area answers 404, a move the workflow does not allow 400
(`invalid_transition`), a stale `version` 409 (`concurrent_edit`).
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ReadWritePermission, query_choice, query_flag, query_id
from network.api import query_unit
from people.selectors import person_get
from subjectrights import selectors, services
from subjectrights.models import RequestKind, State, SubjectRequest
from subjectrights.rules import RECORD, VIEW
from subjectrights.serializers import (
    RequestCreateSerializer,
    RequestTransitionSerializer,
    SubjectRequestDetailSerializer,
    SubjectRequestSerializer,
)


class RequestPermission(ReadWritePermission):
    read_permission = VIEW
    write_permission = RECORD


def _detail(request, pk) -> Response:
    fresh = selectors.request_get(user=request.user, pk=pk)
    return Response(SubjectRequestDetailSerializer(fresh).data)


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, enum=State.values),
        OpenApiParameter("kind", str, enum=RequestKind.values),
        OpenApiParameter("overdue", bool, description="Only open requests past their due date"),
        OpenApiParameter("unit", str, description="Unit code of the person's file; the unit and below"),
        OpenApiParameter("person", int, description="The person's id"),
    ]
)
class SubjectRequestList(RequestPermission, generics.ListCreateAPIView):
    """Data-subject requests in your area, open ones first by due date (filterable,
    paginated); POST records a new one and answers it with its stored deadline."""

    serializer_class = SubjectRequestSerializer

    def get_queryset(self):
        request = self.request
        return selectors.request_list(
            user=request.user,
            today=timezone.localdate(),
            state=query_choice(request, "state", State.values),
            kind=query_choice(request, "kind", RequestKind.values),
            overdue_only=bool(query_flag(request, "overdue")),
            unit_code=query_unit(request),
            person_id=query_id(request, "person"),
        )

    @extend_schema(request=RequestCreateSerializer, responses={201: SubjectRequestDetailSerializer})
    def post(self, request, *args, **kwargs):
        data = RequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = person_get(user=request.user, pk=values.pop("person"))
        created = services.request_receive(acting_user=request.user, person=person, request=request, **values)
        response = _detail(request, created.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class SubjectRequestDetail(RequestPermission, generics.RetrieveAPIView):
    """One request with what was asked, the identity check, the answer and its step log."""

    serializer_class = SubjectRequestDetailSerializer
    queryset = SubjectRequest.objects.none()

    def get_object(self):
        return selectors.request_get(user=self.request.user, pk=self.kwargs["pk"])


class SubjectRequestTransition(RequestPermission, APIView):
    """Verify the identity (`method`), complete (`outcome`; access and copy requests need
    the copy produced first, deletion and cancellation anonymise the person), refuse
    (`reason`, `note`) or record a withdrawal. Answers the request as stored."""

    @extend_schema(request=RequestTransitionSerializer, responses={200: SubjectRequestDetailSerializer})
    def post(self, request, pk):
        subject_request = selectors.request_get(user=request.user, pk=pk)
        data = RequestTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_transition(
            acting_user=request.user, subject_request=subject_request, request=request, **data.validated_data
        )
        return _detail(request, pk)
