"""JSON shapes of employers (SPEC §5, core resource `employers`).

Org units and industries are named by their codes, never database ids. `key_enterprise`
says whether the employer is on the key-enterprise directory now (an open listing).
The contact phone is staff data: this API is for staff only; the public board has its own.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from employers.models import Employer
from employers.selectors import open_flag_exists
from industries.models import Industry, IndustryLevel
from people.serializers import SafeModelSerializer, UnitCodeField, version_field

TEXT_LIMIT = 2000


class IndustryCodeField(serializers.SlugRelatedField):
    """A GB/T 4754-2017 division by its two-digit code ("47")."""

    default_error_messages = {
        "does_not_exist": _("No industry division has the code “{value}”."),
        "invalid": _("Give a two-digit industry division code such as 47."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Industry.objects.filter(level=IndustryLevel.DIVISION))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) != 2 or not data.isdigit():
            self.fail("invalid")
        return super().to_internal_value(data)


class EmployerSerializer(serializers.ModelSerializer):
    industry = IndustryCodeField(read_only=True, help_text="GB/T 4754-2017 division code, e.g. 47.")
    industry_section = serializers.SlugRelatedField(
        source="industry.parent",
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Section letter, e.g. E; null when the industry is a whole section.",
    )
    unit = UnitCodeField(read_only=True, help_text="Code of the org unit the employer is located in.")
    key_enterprise = serializers.SerializerMethodField(help_text="On the key-enterprise directory now.")

    class Meta:
        model = Employer
        fields = [
            "id",
            "name_zh",
            "name_bo",
            "credit_code",
            "industry",
            "industry_section",
            "unit",
            "key_enterprise",
            "size",
            "ownership",
            "address",
            "contact_name",
            "contact_phone",
            "publish_contact_phone",
            "description",
            "channel",
            "external_id",
            "is_active",
            "created_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_key_enterprise(self, employer) -> bool:
        # Selectors annotate `is_key_enterprise`; a bare instance asks the database once.
        value = getattr(employer, "is_key_enterprise", None)
        if value is None:
            value = Employer.objects.filter(pk=employer.pk).filter(open_flag_exists()).exists()
        return bool(value)


WRITE_FIELDS = [
    "name_zh",
    "name_bo",
    "credit_code",
    "industry",
    "size",
    "ownership",
    "unit",
    "address",
    "contact_name",
    "contact_phone",
    "publish_contact_phone",
    "description",
    "channel",
    "external_id",
]


class EmployerWriteSerializer(SafeModelSerializer):
    """Input for registering or editing an employer; parsed here, decided by employers.services."""

    # Declared, not derived: the derived fields would add DRF's own uniqueness checks, and the
    # service gives the clearer answer (who holds the code).
    credit_code = serializers.CharField(max_length=40, help_text="Unified social credit code (GB 32100).")
    external_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, allow_null=True, help_text="Regional platform id."
    )
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    industry = IndustryCodeField(help_text="GB/T 4754-2017 division code, e.g. 47.")
    unit = UnitCodeField(required=False, help_text="Org unit code; defaults to your own unit.")

    class Meta:
        model = Employer
        fields = WRITE_FIELDS
        extra_kwargs = {"description": {"max_length": TEXT_LIMIT}}


class EmployerUpdateSerializer(EmployerWriteSerializer):
    """Every field is optional except `version`; only the fields sent are changed."""

    version = version_field()

    class Meta(EmployerWriteSerializer.Meta):
        fields = [*WRITE_FIELDS, "is_active", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
