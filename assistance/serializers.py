"""JSON shapes of assistance files: a list row, the full file, and a closure step."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from assistance.models import AssistanceFile, FileMeasure, FileStatus, MeasureKind, Outcome
from people.serializers import version_field
from servicerecords.serializers import inline_choice_field

PROPOSE, DECIDE = "propose", "decide"
OUTCOME_REQUIRED = _("Give the outcome of the closure.")
APPROVE_REQUIRED = _("Say whether you approve the closure (true or false).")


class FilePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    id_number = serializers.CharField(source="id_number_masked")
    unit = serializers.CharField(source="unit.code")


def _username(user) -> str | None:
    return user.username if user is not None else None


class AssistanceFileSerializer(serializers.ModelSerializer):
    person = FilePersonSerializer(read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    status = inline_choice_field(FileStatus.choices, read_only=True)
    outcome = inline_choice_field(Outcome.choices, read_only=True, allow_blank=True)
    first_assistance_overdue = serializers.SerializerMethodField()
    opened_by = serializers.SerializerMethodField(help_text="Null when opened on entry into the key group.")

    class Meta:
        model = AssistanceFile
        fields = [
            "id",
            "person",
            "category",
            "status",
            "opened_on",
            "opened_by",
            "first_assistance_due",
            "first_assistance_on",
            "first_assistance_overdue",
            "next_follow_up_due",
            "outcome",
            "outcome_note",
            "proposed_at",
            "closed_on",
            "decision_note",
            "version",
        ]
        read_only_fields = fields

    def get_first_assistance_overdue(self, file) -> bool:
        return (
            file.status != "closed"
            and file.first_assistance_on is None
            and file.first_assistance_due < timezone.localdate()
        )

    def get_opened_by(self, file) -> str | None:
        return _username(file.opened_by)


class FileMeasureSerializer(serializers.ModelSerializer):
    kind = inline_choice_field(MeasureKind.choices, read_only=True)

    class Meta:
        model = FileMeasure
        fields = ["id", "kind", "planned_on", "started_on", "done_on", "note", "version"]
        read_only_fields = fields


class FileServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    on = serializers.DateField()
    service_type = serializers.CharField(source="service_type.code")
    staff = serializers.CharField(source="staff.username")


class AssistanceFileDetailSerializer(AssistanceFileSerializer):
    """The file with its measures and the services given under it, oldest first."""

    proposed_by = serializers.SerializerMethodField()
    closed_by = serializers.SerializerMethodField()
    measures = FileMeasureSerializer(many=True, read_only=True)
    services = serializers.SerializerMethodField()

    class Meta(AssistanceFileSerializer.Meta):
        fields = [*AssistanceFileSerializer.Meta.fields, "proposed_by", "closed_by", "measures", "services"]
        read_only_fields = fields

    def get_proposed_by(self, file) -> str | None:
        return _username(file.proposed_by)

    def get_closed_by(self, file) -> str | None:
        return _username(file.closed_by)

    def get_services(self, file) -> list[dict]:
        services = file.services.select_related("service_type", "staff").order_by("on", "id")
        return FileServiceSerializer(services, many=True).data


class ClosureSerializer(serializers.Serializer):
    """`propose` (counsellor: `outcome`, `note`) or `decide` (station head: `approve`, `note`)."""

    action = inline_choice_field([(PROPOSE, PROPOSE), (DECIDE, DECIDE)])
    outcome = inline_choice_field(Outcome.choices, required=False)
    approve = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    version = version_field()

    def validate(self, attrs):
        if attrs["action"] == PROPOSE and not attrs.get("outcome"):
            raise serializers.ValidationError({"outcome": [OUTCOME_REQUIRED]})
        if attrs["action"] == DECIDE and attrs.get("approve") is None:
            raise serializers.ValidationError({"approve": [APPROVE_REQUIRED]})
        return attrs
