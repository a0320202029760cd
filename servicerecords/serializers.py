"""JSON shapes of service records: a record as read, and the body that records one."""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.serializers import TEXT_LIMIT, SafeChoiceField
from servicerecords.models import Channel, Language, ServiceRecord, ServiceType

TOO_OLD = _("Give a date from 1950 on.")


def inline_choice_field(choices, **kwargs) -> SafeChoiceField:
    """A choice field whose values the schema lists in its description. A named enum
    component would collide with other apps' sets of the same field name ("status",
    "outcome", "channel", "language"), which settings.SPECTACULAR_SETTINGS'
    ENUM_NAME_OVERRIDES would have to resolve; the values are validated all the same."""
    values = [value for value, _label in choices]

    @extend_schema_field({"type": "string", "description": "One of: " + ", ".join(values)})
    class InlineChoiceField(SafeChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


class ServiceRecordSerializer(serializers.ModelSerializer):
    """A service as recorded; `assistance_file` is the file it was given under, if any."""

    person = serializers.IntegerField(source="person_id", read_only=True)
    service_type = serializers.CharField(source="service_type.code", read_only=True)
    service_type_name = serializers.CharField(source="service_type.name", read_only=True)
    staff = serializers.CharField(source="staff.username", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="The unit that gave it.")
    assistance_file = serializers.IntegerField(source="assistance_file_id", read_only=True, allow_null=True)
    channel = inline_choice_field(Channel.choices, read_only=True)
    language = inline_choice_field(Language.choices, read_only=True)

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "person",
            "service_type",
            "service_type_name",
            "on",
            "staff",
            "unit",
            "channel",
            "language",
            "notes",
            "outcome",
            "assistance_file",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class ServiceRecordCreateSerializer(serializers.Serializer):
    service_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceType.objects.all(),
        help_text="A code of the catalogue (GET /services/types/ on the pages lists them).",
    )
    on = serializers.DateField(help_text="The day the service was given; today or earlier.")
    channel = inline_choice_field(Channel.choices)
    language = inline_choice_field(Language.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_LIMIT, default="")
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def validate_on(self, value: datetime.date) -> datetime.date:
        if value.year < 1950:
            raise serializers.ValidationError(TOO_OLD)
        return value
