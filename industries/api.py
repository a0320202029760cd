"""GB/T 4754-2017 sections and divisions, for clients that fill an employer's `industry`."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from core.api import query_choice
from industries.models import Industry, IndustryLevel


class IndustrySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Industry
        fields = ["code", "level", "parent", "name_zh", "name_bo", "name_en"]


@extend_schema(parameters=[OpenApiParameter("level", enum=IndustryLevel.values)])
class IndustryList(generics.ListAPIView):
    """The 20 sections and 97 divisions (filter with `level`)."""

    serializer_class = IndustrySerializer
    required_permission = "industries.view"

    def get_queryset(self):
        industries = Industry.objects.select_related("parent").order_by("level", "code")
        level = query_choice(self.request, "level", IndustryLevel.values)
        return industries.filter(level=level) if level else industries
