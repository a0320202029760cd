"""JSON shapes of the workers' register (SPEC §5, core resource `persons`).

Reading: the ID number and phone appear only masked (`id_number_masked`,
`phone_masked`); the full values and `disability_details` are never serialised. The
one way to the full identifiers is `POST /api/v1/persons/{id}/reveal`, which goes
through `people.services.person_reveal` and the personal-data access log.

Writing: `id_number`, `phone` and `disability_details` are write-only. Org units,
occupations and desired districts are named by their codes, never database ids.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from network.models import OrgUnit
from occupations.models import Occupation
from people import selectors
from people.choices import Relation
from people.models import ContactAttempt, Person

UNKNOWN_UNIT = _("No org unit has the code “%(code)s”.")
UNIT_CODE_INVALID = _("Give an org unit code such as 540102002.")
UNKNOWN_CODES = _("Unknown codes: %(codes)s.")
NOT_A_CHOICE = _("Not one of the allowed values.")
RELATION_REQUIRED = _("Choose the relation to the head of household.")
CONTACT_IN_FUTURE = _("A contact cannot be recorded in the future.")
CONTACT_TOO_OLD = _("Give a time after 1950.")

MAX_VERSION = 2_147_483_647
MAX_CODES = 50
MAX_SALARY = 1_000_000  # yuan a month
TEXT_LIMIT = 2000


class UnitCodeField(serializers.SlugRelatedField):
    """An org unit by its GB/T 2260 / NBS code; an unknown code names the field."""

    default_error_messages = {"invalid": UNIT_CODE_INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", OrgUnit.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.isdigit() or len(data) > 12:
            self.fail("invalid")
        try:
            return self.get_queryset().get(code=data)
        except OrgUnit.DoesNotExist as exc:
            raise serializers.ValidationError(
                str(UNKNOWN_UNIT % {"code": data}), code="does_not_exist"
            ) from exc


class CodeListField(serializers.ListField):
    """A list of codes resolved to records in one query; unknown codes are named."""

    def __init__(self, *, model, **kwargs):
        self.model = model
        kwargs.setdefault("child", serializers.CharField(max_length=20))
        kwargs.setdefault("max_length", MAX_CODES)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        codes = list(dict.fromkeys(super().to_internal_value(data)))
        found = {obj.code: obj for obj in self.model.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise serializers.ValidationError(str(UNKNOWN_CODES % {"codes": ", ".join(missing)}))
        return [found[code] for code in codes]


class SafeChoiceField(serializers.ChoiceField):
    # DRF's message repeats the input; a lone surrogate in it would break the JSON reply.
    default_error_messages = {"invalid_choice": NOT_A_CHOICE}


def read_only_choice(model, name: str) -> SafeChoiceField:
    """A read-only choice that may be empty. DRF drops `allow_blank` from read-only fields, so
    the schema's enum would not admit the "" the API sends for a value not given."""
    field = model._meta.get_field(name)
    return SafeChoiceField(choices=field.choices, allow_blank=field.blank, read_only=True)


class SafeDateTimeField(serializers.DateTimeField):
    def enforce_timezone(self, value):
        # DRF overflows on naive times at the edges of the calendar (e.g. 0001-01-01).
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class SafeModelSerializer(serializers.ModelSerializer):
    serializer_choice_field = SafeChoiceField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: SafeDateTimeField,
    }


def version_field(**kwargs):
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text="Required: the `version` you read. A stale one answers 409 concurrent_edit.",
        **kwargs,
    )


class PersonSerializer(serializers.ModelSerializer):
    """A person as every caller reads them: identifiers masked, never in full."""

    unit = UnitCodeField(read_only=True, help_text="Code of the unit that holds the file.")
    household_unit = UnitCodeField(read_only=True)
    residence_unit = UnitCodeField(read_only=True)
    key_groups = serializers.SerializerMethodField(help_text="Codes of open key-group memberships.")
    desired_occupations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    desired_districts = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    unreachable = serializers.BooleanField(source="is_unreachable", read_only=True)
    relation_to_head = read_only_choice(Person, "relation_to_head")

    class Meta:
        model = Person
        fields = [
            "id",
            "name_zh",
            "name_bo",
            "id_number_masked",
            "phone_masked",
            "birth_date",
            "sex",
            "unit",
            "residence_unit",
            "household_unit",
            "address",
            "household",
            "relation_to_head",
            "key_groups",
            "education",
            "major",
            "graduation_date",
            "skills",
            "certificates",
            "tibetan_level",
            "chinese_level",
            "work_history",
            "experience_years",
            "disability",
            "desired_occupations",
            "desired_districts",
            "salary_expectation",
            "work_mode",
            "willing_outside_county",
            "employment_status",
            "unemployed_since",
            "able_and_willing",
            "preferred_language",
            "contact_channel",
            "unreachable",
            "failed_contacts",
            "last_contact_at",
            "info_updated_on",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_key_groups(self, person) -> list[str]:
        # Lists prefetch the open memberships (people/api.py); a single record reads them here.
        memberships = getattr(person, "open_memberships", None)
        if memberships is None:
            memberships = selectors.open_key_groups(person)
        return [m.category.code for m in memberships]


# Fields a client may send; `version` and `confirm_similar` are added per operation.
WRITE_FIELDS = [
    "name_zh",
    "name_bo",
    "id_number",
    "phone",
    "unit",
    "residence_unit",
    "household_unit",
    "address",
    "education",
    "major",
    "graduation_date",
    "skills",
    "certificates",
    "tibetan_level",
    "chinese_level",
    "work_history",
    "experience_years",
    "disability",
    "disability_details",
    "desired_occupations",
    "desired_districts",
    "salary_expectation",
    "work_mode",
    "willing_outside_county",
    "employment_status",
    "unemployed_since",
    "able_and_willing",
    "preferred_language",
    "contact_channel",
]


class PersonWriteSerializer(SafeModelSerializer):
    """Input for registering or editing a person; parsed here, decided by people.services."""

    id_number = serializers.CharField(
        write_only=True, max_length=30, help_text="18-character resident ID number (GB 11643)."
    )
    phone = serializers.CharField(write_only=True, max_length=30, allow_blank=True, required=False)
    disability_details = serializers.CharField(
        write_only=True, max_length=TEXT_LIMIT, allow_blank=True, required=False
    )
    unit = UnitCodeField(required=False, help_text="Unit that holds the file; defaults to your own unit.")
    residence_unit = UnitCodeField()
    household_unit = UnitCodeField()
    desired_occupations = CodeListField(model=Occupation, help_text="Occupation codes such as 4-03-02-01.")
    desired_districts = CodeListField(model=OrgUnit, help_text="Org unit codes.")

    class Meta:
        model = Person
        fields = WRITE_FIELDS
        extra_kwargs = {
            **{name: {"max_length": TEXT_LIMIT} for name in ("skills", "certificates", "work_history")},
            # The same bound on SQLite and PostgreSQL, whose integer columns differ.
            "salary_expectation": {"max_value": MAX_SALARY},
        }


class PersonCreateSerializer(PersonWriteSerializer):
    confirm_similar = serializers.BooleanField(
        default=False,
        help_text="Register even though files with the same name and birth date exist.",
    )

    class Meta(PersonWriteSerializer.Meta):
        fields = WRITE_FIELDS + ["confirm_similar"]


class PersonUpdateSerializer(PersonWriteSerializer):
    """Every field is optional except `version`; only the fields sent are changed."""

    version = version_field()

    class Meta(PersonWriteSerializer.Meta):
        fields = WRITE_FIELDS + ["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class RevealReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Why the full values are needed (logged).")


class RevealSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)


class ContactSerializer(SafeModelSerializer):
    at = SafeDateTimeField(default=timezone.now, help_text="When; defaults to now.")
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ContactAttempt
        fields = ["id", "at", "channel", "outcome", "note", "info_updated", "by"]
        extra_kwargs = {"note": {"max_length": TEXT_LIMIT}}

    def validate_at(self, value):
        if value > timezone.now() + datetime.timedelta(minutes=5):  # small allowance for clock drift
            raise serializers.ValidationError(CONTACT_IN_FUTURE)
        if value.year < 1950:
            raise serializers.ValidationError(CONTACT_TOO_OLD)
        return value


class PersonHouseholdSerializer(serializers.Serializer):
    household = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, allow_null=True, help_text="Household id, or null to leave."
    )
    relation_to_head = SafeChoiceField(choices=Relation.choices, required=False, allow_blank=True)
    version = version_field()

    def validate(self, attrs):
        if attrs["household"] is not None and not attrs.get("relation_to_head"):
            raise serializers.ValidationError({"relation_to_head": [RELATION_REQUIRED]})
        return attrs
