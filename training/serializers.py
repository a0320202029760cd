"""JSON shapes of training providers and courses (§7.5).

Units and occupations are named by their codes, never database ids; a course names its
provider by id. Input is parsed here and decided by training.services.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from occupations.models import Occupation, OccupationLevel
from people.serializers import SafeModelSerializer, UnitCodeField, version_field
from training.models import Course, Provider
from training.validation import MAX_CAPACITY, MAX_SUBSIDY, NOT_AN_OCCUPATION

UNKNOWN_OCCUPATION = _("No occupation has the code “%(code)s”.")
OCCUPATION_CODE_INVALID = _("Give an occupation code such as 4-03-02-01.")
MAX_ID = 2**63 - 1


class OccupationCodeField(serializers.SlugRelatedField):
    """An occupation by its 2022 code. Whether it is a level-4 occupation the service decides."""

    default_error_messages = {"invalid": OCCUPATION_CODE_INVALID}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Occupation.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 12:
            self.fail("invalid")
        try:
            return self.get_queryset().get(code=data)
        except Occupation.DoesNotExist as exc:
            raise serializers.ValidationError(str(UNKNOWN_OCCUPATION % {"code": data})) from exc


class ProviderSerializer(serializers.ModelSerializer):
    unit = UnitCodeField(read_only=True, help_text="Code of the unit the provider is registered with.")
    licence_valid = serializers.SerializerMethodField(help_text="Whether the licence is valid today.")

    class Meta:
        model = Provider
        fields = [
            "id",
            "name_zh",
            "name_bo",
            "credit_code",
            "licence_number",
            "qualification",
            "licence_expires_on",
            "licence_valid",
            "unit",
            "address",
            "contact_phone",
            "is_active",
            "version",
        ]
        read_only_fields = fields

    def get_licence_valid(self, provider) -> bool:
        return provider.licence_expires_on >= self.context["today"]


PROVIDER_WRITE_FIELDS = [
    "name_zh",
    "name_bo",
    "credit_code",
    "licence_number",
    "qualification",
    "licence_expires_on",
    "unit",
    "address",
    "contact_phone",
    "is_active",
]


class ProviderWriteSerializer(SafeModelSerializer):
    # Checked against GB 32100 (and for uniqueness) by the service, with a clear message.
    credit_code = serializers.CharField(max_length=30, help_text="18-character unified social credit code.")
    unit = UnitCodeField(required=False, help_text="Org unit code; defaults to your own unit.")

    class Meta:
        model = Provider
        fields = PROVIDER_WRITE_FIELDS


class ProviderUpdateSerializer(ProviderWriteSerializer):
    """Every field is optional except `version`; only the fields sent are changed."""

    version = version_field()

    class Meta(ProviderWriteSerializer.Meta):
        fields = PROVIDER_WRITE_FIELDS + ["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class ProviderBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["id", "name_zh", "name_bo", "credit_code"]
        read_only_fields = fields


class CourseSerializer(serializers.ModelSerializer):
    provider = ProviderBriefSerializer(read_only=True)
    occupation = OccupationCodeField(read_only=True)
    unit = UnitCodeField(read_only=True, help_text="Code of the unit that runs the course.")
    recommendable = serializers.SerializerMethodField(
        help_text="Published, not ended, and the provider active with a valid licence today."
    )

    class Meta:
        model = Course
        fields = [
            "id",
            "provider",
            "title_zh",
            "title_bo",
            "occupation",
            "language",
            "starts_on",
            "ends_on",
            "place",
            "unit",
            "capacity",
            "subsidy",
            "channel",
            "is_published",
            "recommendable",
            "version",
        ]
        read_only_fields = fields

    def get_recommendable(self, course) -> bool:
        today = self.context["today"]
        provider = course.provider
        return bool(
            course.is_published
            and course.ends_on >= today
            and provider.is_active
            and provider.licence_expires_on >= today
        )


COURSE_WRITE_FIELDS = [
    "provider",
    "title_zh",
    "title_bo",
    "occupation",
    "language",
    "starts_on",
    "ends_on",
    "place",
    "unit",
    "capacity",
    "subsidy",
    "channel",
]


class CourseWriteSerializer(SafeModelSerializer):
    provider = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Provider id.")
    occupation = OccupationCodeField(help_text="Level-4 occupation code such as 4-03-02-01.")
    unit = UnitCodeField(required=False, help_text="Org unit code; defaults to your own unit.")
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, required=False)
    subsidy = serializers.IntegerField(min_value=0, max_value=MAX_SUBSIDY, required=False)

    class Meta:
        model = Course
        fields = COURSE_WRITE_FIELDS

    def validate_occupation(self, value):
        if value.level != OccupationLevel.OCCUPATION:
            raise serializers.ValidationError(str(NOT_AN_OCCUPATION))
        return value


class CourseUpdateSerializer(CourseWriteSerializer):
    """Every field is optional except `version`. `is_published` publishes or withdraws the
    course, after any other changes sent with it."""

    version = version_field()
    is_published = serializers.BooleanField(required=False)

    class Meta(CourseWriteSerializer.Meta):
        fields = COURSE_WRITE_FIELDS + ["is_published", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
