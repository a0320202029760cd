"""JSON shapes of work items, the bulk reassignment and the transfer."""

from django.utils import timezone
from rest_framework import serializers

from people.serializers import version_field
from worklist.models import WorkItem
from worklist.selectors import item_state

REASSIGN_MAX = 500


class ItemPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    id_number = serializers.CharField(source="id_number_masked", help_text="Masked.")


class WorkItemSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", help_text="In the request's language.")
    person = ItemPersonSerializer(read_only=True, allow_null=True)
    unit = serializers.CharField(source="unit.code")
    assignee = serializers.SerializerMethodField(help_text="Null while nobody has taken the item.")
    state = serializers.SerializerMethodField(help_text="overdue, today, upcoming or later; computed now.")
    days_overdue = serializers.SerializerMethodField()

    class Meta:
        model = WorkItem
        fields = [
            "id",
            "kind",
            "kind_label",
            "person",
            "unit",
            "assignee",
            "source_type",
            "source_id",
            "due_on",
            "state",
            "days_overdue",
            "reminded_at",
            "escalated_at",
            "version",
        ]
        read_only_fields = fields

    def get_assignee(self, item) -> dict | None:
        if item.assignee_id is None:
            return None
        return {
            "id": item.assignee_id,
            "username": item.assignee.username,
            "name": item.assignee.display_name,
        }

    def get_state(self, item) -> str:
        return item_state(item, timezone.localdate())

    def get_days_overdue(self, item) -> int:
        return max(0, (timezone.localdate() - item.due_on).days)


class ItemVersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=2**62)
    version = version_field()


class ReassignSerializer(serializers.Serializer):
    items = ItemVersionSerializer(many=True, allow_empty=False, max_length=REASSIGN_MAX)
    assignee = serializers.IntegerField(
        min_value=1,
        max_value=2**62,
        allow_null=True,
        help_text="A staff id; null puts the items back in the pool.",
    )


class ReassignResultSerializer(serializers.Serializer):
    moved = serializers.ListField(child=serializers.IntegerField())
    stale = serializers.ListField(
        child=serializers.IntegerField(), help_text="Changed since read: left as they are."
    )
    closed = serializers.ListField(child=serializers.IntegerField(), help_text="Already done or closed.")
    refused = serializers.ListField(
        child=serializers.IntegerField(), help_text="Not found in your area, or outside the assignee's."
    )


class TransferRequestSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=12, help_text="Code of the receiving township or village unit.")
    reason = serializers.CharField(max_length=300)
    version = version_field()
    move_residence = serializers.BooleanField(default=False)


class TransferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.IntegerField(source="person_id")
    from_unit = serializers.CharField(source="from_unit.code")
    to_unit = serializers.CharField(source="to_unit.code")
    residence_moved = serializers.BooleanField()
    reason = serializers.CharField()
    items_moved = serializers.IntegerField()
    at = serializers.DateTimeField()
    person_version = serializers.IntegerField(source="person.version")
