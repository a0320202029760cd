from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from occupations import selectors
from occupations.models import Occupation, OccupationLevel


class OccupationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Occupation
        fields = ["code", "name_zh", "name_bo", "level", "parent"]


def _level(request) -> int | None:
    raw = request.query_params.get("level", "")
    if not raw:
        return None
    try:
        level = int(raw)
    except ValueError:
        level = None
    if level not in OccupationLevel.values:
        raise ValidationError({"level": [_("Give a level from 1 (major group) to 4 (occupation).")]})
    return level


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="code prefix (4-03) or part of a name"),
        OpenApiParameter("level", int, enum=OccupationLevel.values),
        OpenApiParameter("parent", str, description="code of the parent group"),
    ]
)
class OccupationList(generics.ListAPIView):
    serializer_class = OccupationSerializer
    required_permission = "occupations.view"

    def get_queryset(self):
        return selectors.occupation_list(
            user=self.request.user,
            q=self.request.query_params.get("q", "")[:50],
            level=_level(self.request),
            parent_code=self.request.query_params.get("parent", "")[:12],
        )


class OccupationDetail(generics.RetrieveAPIView):
    serializer_class = OccupationSerializer
    required_permission = "occupations.view"

    def get_object(self):
        return selectors.occupation_get(user=self.request.user, code=self.kwargs["code"])
