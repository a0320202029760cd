from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from core.api import query_choice
from network import selectors
from network.models import Level, OrgUnit, ServicePoint, ServicePointKind


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "code",
            "name_zh",
            "name_bo",
            "name_en",
            "level",
            "parent",
            "is_active",
            "address",
            "latitude",
            "longitude",
            "version",
        ]


class ServicePointSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ServicePoint
        fields = [
            "id",
            "kind",
            "unit",
            "name_zh",
            "name_bo",
            "location",
            "latitude",
            "longitude",
            "schedule",
            "target_groups",
            "is_active",
            "version",
        ]


UNKNOWN_UNIT = _("No org unit has this code.")


def query_unit(request, name: str = "unit") -> str:
    """An org-unit code filter: unknown codes are a 400 naming the parameter."""
    code = request.query_params.get(name, "")
    if code and not (code.isdigit() and len(code) <= 12 and OrgUnit.objects.filter(code=code).exists()):
        raise ValidationError({name: [UNKNOWN_UNIT]})
    return code


@extend_schema(
    parameters=[
        OpenApiParameter("level", enum=Level.values),
        OpenApiParameter("parent", str),
        OpenApiParameter("q", str),
    ]
)
class OrgUnitList(generics.ListAPIView):
    serializer_class = OrgUnitSerializer
    required_permission = "network.view_orgunit"

    def get_queryset(self):
        return selectors.orgunit_list(
            user=self.request.user,
            level=query_choice(self.request, "level", Level.values),
            parent_code=self.request.query_params.get("parent", "")[:12],
            q=self.request.query_params.get("q", "")[:50],
        )


class OrgUnitDetail(generics.RetrieveAPIView):
    serializer_class = OrgUnitSerializer
    required_permission = "network.view_orgunit"

    def get_object(self):
        return selectors.orgunit_get(user=self.request.user, code=self.kwargs["code"])


@extend_schema(
    parameters=[
        OpenApiParameter("kind", enum=ServicePointKind.values),
        OpenApiParameter("unit", str),
        OpenApiParameter("q", str),
    ]
)
class ServicePointList(generics.ListAPIView):
    serializer_class = ServicePointSerializer
    required_permission = "network.view_servicepoint"

    def get_queryset(self):
        return selectors.service_point_list(
            user=self.request.user,
            kind=query_choice(self.request, "kind", ServicePointKind.values),
            unit_code=self.request.query_params.get("unit", "")[:12],
            q=self.request.query_params.get("q", "")[:50],
        )


class ServicePointDetail(generics.RetrieveAPIView):
    serializer_class = ServicePointSerializer
    required_permission = "network.view_servicepoint"

    def get_object(self):
        return selectors.service_point_get(user=self.request.user, pk=self.kwargs["pk"])
