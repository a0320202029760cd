"""The assistance-files API (§5.9): list, read, and propose or decide a closure.

Reads need `assistance.view_file`; proposing `assistance.manage_file`, deciding
`assistance.decide_closure` (a station head, never on their own proposal). A file outside
the caller's area answers 404, a stale `version` 409.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from assistance import selectors, services
from assistance.models import AssistanceFile, FileStatus
from assistance.rules import MANAGE, VIEW
from assistance.serializers import (
    PROPOSE,
    AssistanceFileDetailSerializer,
    AssistanceFileSerializer,
    ClosureSerializer,
)
from core.api import ReadWritePermission, query_choice, query_flag, query_id
from keygroups.models import Category
from network.api import query_unit


class FilePermission(ReadWritePermission):
    read_permission = VIEW
    write_permission = MANAGE


def _category_codes() -> list[str]:
    return list(Category.objects.values_list("code", flat=True))


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=FileStatus.values),
        OpenApiParameter("overdue", bool, description="Only files whose first assistance is overdue"),
        OpenApiParameter("unit", str, description="Unit code of the person's file; the unit and below"),
        OpenApiParameter("category", str, description="Key-group category code of the file"),
        OpenApiParameter("person", int, description="The person's id"),
    ]
)
class AssistanceFileList(FilePermission, generics.ListAPIView):
    """Assistance files in your area: overdue first assistance first (filterable, paginated)."""

    serializer_class = AssistanceFileSerializer

    def get_queryset(self):
        request = self.request
        return selectors.file_list(
            user=request.user,
            today=timezone.localdate(),
            status=query_choice(request, "status", FileStatus.values),
            overdue=bool(query_flag(request, "overdue")),
            unit_code=query_unit(request),
            category=query_choice(request, "category", _category_codes),
            person_id=query_id(request, "person"),
        ).select_related("opened_by")


class AssistanceFileDetail(FilePermission, generics.RetrieveAPIView):
    """One file with its measures and the services given under it."""

    serializer_class = AssistanceFileDetailSerializer
    queryset = AssistanceFile.objects.none()

    def get_object(self):
        return selectors.file_get(user=self.request.user, pk=self.kwargs["pk"])


class AssistanceFileClosure(FilePermission, APIView):
    """Propose the closure of an open file with an outcome (`moved_away` needs the
    destination in `note`), or, as station head, approve or refuse a proposed one
    (a refusal needs a `note`). Answers the file as stored."""

    @extend_schema(request=ClosureSerializer, responses={200: AssistanceFileDetailSerializer})
    def post(self, request, pk):
        file = selectors.file_get(user=request.user, pk=pk)
        data = ClosureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["action"] == PROPOSE:
            services.file_propose_closure(
                acting_user=request.user,
                file=file,
                outcome=values["outcome"],
                note=values["note"],
                version=values["version"],
                request=request,
            )
        else:
            services.file_decide_closure(
                acting_user=request.user,
                file=file,
                approve=values["approve"],
                note=values["note"],
                version=values["version"],
                request=request,
            )
        fresh = selectors.file_get(user=request.user, pk=pk)
        return Response(AssistanceFileDetailSerializer(fresh).data)
