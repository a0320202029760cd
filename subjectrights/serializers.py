"""JSON shapes of data-subject requests: a list row, the full request with its steps, the
body that records one, and a transition."""

from django.utils import timezone
from rest_framework import serializers

from core.masking import masked_name
from people.serializers import TEXT_LIMIT, version_field
from servicerecords.serializers import inline_choice_field
from subjectrights.forms import IN_FUTURE
from subjectrights.models import (
    RefusalReason,
    RequestChannel,
    RequestKind,
    State,
    Step,
    SubjectRequest,
    VerificationMethod,
)
from subjectrights.services import NOTE_MAX, TEXT_MAX
from subjectrights.workflow import ACTIONS

MAX_ID = 2**63 - 1


class RequestPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField(help_text="Masked: first character or syllable only.")
    id_number = serializers.CharField(source="id_number_masked")
    unit = serializers.CharField(source="unit.code")

    def get_name(self, person) -> str:
        return masked_name(person)


def _username(user) -> str | None:
    return user.username if user is not None else None


class SubjectRequestSerializer(serializers.ModelSerializer):
    person = RequestPersonSerializer(read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True, help_text="Where it was received.")
    kind = inline_choice_field(RequestKind.choices, read_only=True)
    channel = inline_choice_field(RequestChannel.choices, read_only=True)
    state = inline_choice_field(State.choices, read_only=True)
    verification_method = inline_choice_field(VerificationMethod.choices, read_only=True, allow_blank=True)
    refusal_reason = inline_choice_field(RefusalReason.choices, read_only=True, allow_blank=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = SubjectRequest
        fields = [
            "id",
            "person",
            "unit",
            "kind",
            "channel",
            "received_on",
            "due_on",
            "overdue",
            "state",
            "verification_method",
            "verified_at",
            "refusal_reason",
            "completed_on",
            "version",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.is_open and obj.due_on < timezone.localdate()


class StepSerializer(serializers.ModelSerializer):
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = Step
        fields = ["action", "from_state", "to_state", "at", "by", "note"]
        read_only_fields = fields


class SubjectRequestDetailSerializer(SubjectRequestSerializer):
    """The request with what was asked, the answer and every step, oldest first."""

    received_by = serializers.SerializerMethodField()
    verified_by = serializers.SerializerMethodField()
    handled_by = serializers.SerializerMethodField()
    changed_fields = serializers.ListField(child=serializers.CharField(), read_only=True)
    steps = StepSerializer(many=True, read_only=True)

    class Meta(SubjectRequestSerializer.Meta):
        fields = [
            *SubjectRequestSerializer.Meta.fields,
            "details",
            "received_by",
            "verified_by",
            "handled_by",
            "outcome",
            "changed_fields",
            "steps",
        ]
        read_only_fields = fields

    def get_received_by(self, obj) -> str | None:
        return _username(obj.received_by)

    def get_verified_by(self, obj) -> str | None:
        return _username(obj.verified_by)

    def get_handled_by(self, obj) -> str | None:
        return _username(obj.handled_by)


class RequestCreateSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The person's id.")
    kind = inline_choice_field(RequestKind.choices)
    channel = inline_choice_field(RequestChannel.choices)
    received_on = serializers.DateField()
    details = serializers.CharField(max_length=min(TEXT_LIMIT, TEXT_MAX))

    def validate_received_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(IN_FUTURE)
        return value


class RequestTransitionSerializer(serializers.Serializer):
    """`verify` needs `method`; `complete` needs `outcome`; `refuse` needs `reason` and
    `note`; `withdraw` takes an optional `note`. Requirements are checked by the service."""

    action = inline_choice_field([(name, name) for name in ACTIONS])
    version = version_field()
    method = inline_choice_field(VerificationMethod.choices, required=False, default="")
    reason = inline_choice_field(RefusalReason.choices, required=False, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX, default="")
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX, default="")
