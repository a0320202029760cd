"""JSON shapes of vacancies (SPEC §5 core resource `vacancies`).

Org units and occupations are named by their codes (`540102002`, `4-03-02-01`), the
employer by its id. Parsing happens here; vacancies.services decides.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from employers.models import Employer
from occupations.models import Occupation, OccupationLevel
from people.serializers import MAX_SALARY, SafeChoiceField, SafeModelSerializer, UnitCodeField, version_field
from vacancies import selectors, workflow
from vacancies.models import Vacancy
from vacancies.services import VACANCY_FIELDS

NO_EMPLOYER = _("No such employer in your area.")
EMPLOYER_ID = _("Give the employer's id (a number).")
NO_OCCUPATION = _("No detailed occupation has this code; give a code such as 4-03-02-01.")
OCCUPATION_CODE = _("Give an occupation code such as 4-03-02-01.")
MAX_HEADCOUNT = 10_000
TEXT_LIMIT = 2000


class EmployerField(serializers.PrimaryKeyRelatedField):
    """An employer by id, among those in the caller's area; others do not exist for them."""

    default_error_messages = {
        "does_not_exist": NO_EMPLOYER,
        "incorrect_type": EMPLOYER_ID,
    }

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Employer.objects.none()
        return selectors.employer_choices(user=request.user)

    def to_internal_value(self, data):
        text = str(data) if isinstance(data, int | str) and not isinstance(data, bool) else ""
        if not (text.isdigit() and len(text) <= 12):
            self.fail("incorrect_type")
        return super().to_internal_value(int(data))


class OccupationCodeField(serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": NO_OCCUPATION, "invalid": OCCUPATION_CODE}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Occupation.objects.filter(level=OccupationLevel.OCCUPATION))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 12:
            self.fail("invalid")
        return super().to_internal_value(data)


class VacancySerializer(serializers.ModelSerializer):
    """A vacancy as staff read it."""

    occupation = OccupationCodeField(read_only=True, help_text="Occupation code (2022 classification).")
    unit = UnitCodeField(read_only=True, help_text="Code of the station that holds the vacancy.")
    work_unit = UnitCodeField(read_only=True, help_text="Code of the unit where the work is.")
    employer_name = serializers.CharField(source="employer.name_zh", read_only=True)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "title_zh",
            "title_bo",
            "employer",
            "employer_name",
            "occupation",
            "unit",
            "work_unit",
            "description",
            "headcount",
            "salary_min",
            "salary_max",
            "pay_period",
            "work_type",
            "education_min",
            "age_min",
            "age_max",
            "age_reason",
            "tibetan_required",
            "chinese_required",
            "skills",
            "certificates",
            "experience_years_min",
            "physical_requirements",
            "other_requirements",
            "accommodation",
            "meals",
            "social_insurance",
            "source",
            "channel",
            "external_id",
            "status",
            "review_note",
            "published_at",
            "reconfirmed_at",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class VacancyWriteSerializer(SafeModelSerializer):
    employer = EmployerField(help_text="Employer id; the employer must be in your area.")
    occupation = OccupationCodeField(
        help_text="Occupation code such as 4-03-02-01 (the most detailed level)."
    )
    unit = UnitCodeField(required=False, help_text="Holding station; defaults to your own unit.")
    work_unit = UnitCodeField(help_text="Where the work is: any org unit code.")

    class Meta:
        model = Vacancy
        fields = VACANCY_FIELDS
        extra_kwargs = {
            "salary_min": {"max_value": MAX_SALARY},
            "salary_max": {"max_value": MAX_SALARY},
            "headcount": {"max_value": MAX_HEADCOUNT, "min_value": 1},
            "age_min": {"max_value": 100},
            "age_max": {"max_value": 100},
            "description": {"max_length": 5000},
            **{name: {"max_length": TEXT_LIMIT} for name in ("skills", "certificates", "other_requirements")},
            # The services keep external ids unique and name the field; no second check here.
            "external_id": {"validators": [], "allow_null": True},
        }


class VacancyUpdateSerializer(VacancyWriteSerializer):
    """Every field is optional except `version`; only the fields sent are changed."""

    version = version_field()

    class Meta(VacancyWriteSerializer.Meta):
        fields = VACANCY_FIELDS + ["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class TransitionSerializer(serializers.Serializer):
    action = SafeChoiceField(choices=workflow.PUBLIC_ACTIONS, help_text="What to do.")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    version = version_field()
