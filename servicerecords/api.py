"""The service-records API (§7.10): a person's services (read, record) and the area's list.

Reads need `servicerecords.view_servicerecord`, recording `servicerecords.record_service`;
a person or record outside the caller's area answers 404.
"""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import ReadWritePermission, query_choice, query_id
from network.api import query_unit
from people.selectors import person_get
from servicerecords import selectors, services
from servicerecords.models import Channel, ServiceRecord
from servicerecords.rules import RECORD, VIEW
from servicerecords.serializers import ServiceRecordCreateSerializer, ServiceRecordSerializer

NOT_A_DATE = _("Give a date as YYYY-MM-DD.")


class ServicePermission(ReadWritePermission):
    read_permission = VIEW
    write_permission = RECORD


def _query_date(request, name: str):
    value = request.query_params.get(name, "")
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError({name: [NOT_A_DATE]}) from exc


class PersonServices(ServicePermission, generics.ListCreateAPIView):
    """The services given to one person, newest first (GET), or record one (POST).

    A service that counts as assistance, given while the person has an open assistance
    file, is filed under it (`assistance_file`) and meets first assistance or a follow-up.
    """

    serializer_class = ServiceRecordSerializer
    queryset = ServiceRecord.objects.none()  # for the schema; rows come from get_queryset

    def get_queryset(self):
        person = person_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.service_list(user=self.request.user, person_id=person.pk)

    @extend_schema(request=ServiceRecordCreateSerializer, responses={201: ServiceRecordSerializer})
    def post(self, request, pk):
        person = person_get(user=request.user, pk=pk)
        data = ServiceRecordCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.service_record(
            acting_user=request.user, person=person, values=dict(data.validated_data), request=request
        )
        fresh = selectors.service_get(user=request.user, pk=record.pk)
        return Response(ServiceRecordSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("service_type", str, description="Service type code"),
        OpenApiParameter("channel", str, enum=Channel.values),
        OpenApiParameter("unit", str, description="Code of the unit that gave the service; it and below"),
        OpenApiParameter("from", str, description="First day (YYYY-MM-DD), inclusive"),
        OpenApiParameter("to", str, description="Last day (YYYY-MM-DD), inclusive"),
        OpenApiParameter("person", int, description="The person's id"),
    ]
)
class ServiceRecordList(ServicePermission, generics.ListAPIView):
    """Services given in your area, newest first (filterable, paginated)."""

    serializer_class = ServiceRecordSerializer

    def get_queryset(self):
        request = self.request
        return selectors.service_list(
            user=request.user,
            service_type=query_choice(request, "service_type", selectors.type_codes),
            channel=query_choice(request, "channel", Channel.values),
            unit_code=query_unit(request),
            date_from=_query_date(request, "from"),
            date_to=_query_date(request, "to"),
            person_id=query_id(request, "person"),
        )
