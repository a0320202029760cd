"""JSON shapes of households (SPEC §5, core resource `households`).

`allowance_status` (低保/特困/low income) is sensitive personal data (SPEC §7) and is
stored encrypted. The API accepts it on create and edit, because the key-group rules
need it, but never returns it: it is write-only in every response, for every role.
Staff who need to see it read it on the household page.
"""

from rest_framework import serializers

from households.models import Allowance, Household
from people.models import Person
from people.serializers import (
    SafeChoiceField,
    SafeModelSerializer,
    UnitCodeField,
    read_only_choice,
    version_field,
)


class HouseholdMemberSerializer(serializers.ModelSerializer):
    relation_to_head = read_only_choice(Person, "relation_to_head")

    class Meta:
        model = Person
        fields = ["id", "name_zh", "name_bo", "relation_to_head", "employment_status"]
        read_only_fields = fields


class HouseholdSerializer(serializers.ModelSerializer):
    unit = UnitCodeField(read_only=True)
    members = HouseholdMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "unit",
            "address",
            "members",
            "has_business_income",
            "land_lost",
            "relocated",
            "zero_employment",
            "recognised_on",
            "clearance_due",
            "cleared_on",
            "created_at",
            "version",
        ]
        read_only_fields = fields


WRITE_FIELDS = ["unit", "address", "has_business_income", "allowance_status", "land_lost", "relocated"]


class HouseholdWriteSerializer(SafeModelSerializer):
    unit = UnitCodeField(required=False, help_text="Org unit code; defaults to your own unit.")
    allowance_status = SafeChoiceField(
        choices=Allowance.choices, write_only=True, required=False, help_text="Write-only (sensitive)."
    )

    class Meta:
        model = Household
        fields = WRITE_FIELDS


class HouseholdUpdateSerializer(HouseholdWriteSerializer):
    """Every field is optional except `version`; only the fields sent are changed."""

    version = version_field()

    class Meta(HouseholdWriteSerializer.Meta):
        fields = WRITE_FIELDS + ["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
