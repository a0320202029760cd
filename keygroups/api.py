"""The key-group catalogue (SPEC §3) for API clients: codes, names and how membership is decided."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from core.api import query_flag
from keygroups import selectors
from keygroups.models import Category


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Category
        fields = [
            "code",
            "name_zh",
            "name_bo",
            "name_en",
            "parent",
            "rule",
            "evidence_hint",
            "active",
            "order",
        ]
        read_only_fields = fields


@extend_schema(parameters=[OpenApiParameter("active", bool)])
class CategoryList(generics.ListAPIView):
    """The key-group categories; `key_groups` on a person lists these codes."""

    serializer_class = CategorySerializer
    queryset = Category.objects.none()  # for the schema; rows come from get_queryset
    required_permission = "keygroups.view_categories"

    def get_queryset(self):
        # The catalogue is reference data shared by the whole city: no org scope applies.
        # Tree order: each parent followed by its children.
        active = query_flag(self.request, "active")
        return [c for c in selectors.category_list() if active is None or c.is_active == active]
