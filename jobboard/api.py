"""The public API of the job board (SPEC §5): no sign-in, published records only.

Every field is named here on purpose: internal fields (who created or reviewed a
vacancy, review notes, the holding station, search text, external ids) never leave,
and the employer's phone only when the employer chose to publish it.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from core.api import Pagination
from jobboard import search
from jobboard.forms import VacancySearchForm
from training import selectors as training_selectors
from vacancies.models import Vacancy, WorkType

THROTTLE_SCOPE = "public"


class PublicRateThrottle(ScopedRateThrottle):
    # DRF copies the rates into a class attribute at import; read them per request so a
    # changed REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (or a test's override) applies.
    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()


class PublicPagination(Pagination):
    max_page_size = 100


class PublicView:
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicRateThrottle]
    throttle_scope = THROTTLE_SCOPE
    pagination_class = PublicPagination


class RequirementsSerializer(serializers.Serializer):
    education_min = serializers.CharField()
    age_min = serializers.IntegerField(allow_null=True)
    age_max = serializers.IntegerField(allow_null=True)
    tibetan_required = serializers.CharField()
    chinese_required = serializers.CharField()
    skills = serializers.CharField()
    certificates = serializers.CharField()
    physical_requirements = serializers.CharField()
    other_requirements = serializers.CharField()


class BenefitsSerializer(serializers.Serializer):
    accommodation = serializers.BooleanField()
    meals = serializers.BooleanField()
    social_insurance = serializers.BooleanField()


class PublicVacancySerializer(serializers.ModelSerializer):
    occupation = serializers.CharField(source="occupation.code")
    occupation_name_zh = serializers.CharField(source="occupation.name_zh")
    occupation_name_bo = serializers.CharField(source="occupation.name_bo")
    employer_name_zh = serializers.CharField(source="employer.name_zh")
    employer_name_bo = serializers.CharField(source="employer.name_bo")
    work_unit = serializers.CharField(source="work_unit.code")
    work_unit_name_zh = serializers.CharField(source="work_unit.name_zh")
    work_unit_name_bo = serializers.CharField(source="work_unit.name_bo")
    requirements = serializers.SerializerMethodField()
    benefits = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "title_zh",
            "title_bo",
            "occupation",
            "occupation_name_zh",
            "occupation_name_bo",
            "employer_name_zh",
            "employer_name_bo",
            "work_unit",
            "work_unit_name_zh",
            "work_unit_name_bo",
            "salary_min",
            "salary_max",
            "pay_period",
            "headcount",
            "work_type",
            "description",
            "requirements",
            "benefits",
            "published_at",
            "reconfirmed_at",
            "contact_phone",
        ]
        read_only_fields = fields

    @extend_schema_field(RequirementsSerializer)
    def get_requirements(self, vacancy) -> dict:
        return RequirementsSerializer(vacancy).data

    @extend_schema_field(BenefitsSerializer)
    def get_benefits(self, vacancy) -> dict:
        return BenefitsSerializer(vacancy).data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_contact_phone(self, vacancy) -> str | None:
        # Published only by the employer's own choice (Employer.publish_contact_phone).
        employer = vacancy.employer
        return employer.contact_phone or None if employer.publish_contact_phone else None


class PublicCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title_zh = serializers.CharField()
    title_bo = serializers.CharField()
    provider_name_zh = serializers.CharField(source="provider.name_zh")
    provider_name_bo = serializers.CharField(source="provider.name_bo")
    provider_qualification = serializers.CharField(source="provider.qualification")
    occupation = serializers.CharField(source="occupation.code")
    occupation_name_zh = serializers.CharField(source="occupation.name_zh")
    occupation_name_bo = serializers.CharField(source="occupation.name_bo")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    place = serializers.CharField()
    subsidy = serializers.IntegerField()
    language = serializers.CharField()
    capacity = serializers.IntegerField()


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Keywords in Chinese, Tibetan or Latin letters (≤ 100)"),
        OpenApiParameter("occupation", str, description="Occupation code at any level, e.g. 4 or 4-03"),
        OpenApiParameter("district", str, description="Code of a district or county, e.g. 540102"),
        OpenApiParameter("salary_min", int, description="Vacancies that may pay at least this much"),
        OpenApiParameter("work_type", enum=WorkType.values),
    ]
)
class PublicVacancyList(PublicView, generics.ListAPIView):
    """Published vacancies, newest first; every keyword must match."""

    serializer_class = PublicVacancySerializer

    def get_queryset(self):
        form = VacancySearchForm(self.request.query_params, with_choices=False)
        if not form.is_valid():
            raise ValidationError(
                {name: [e["message"] for e in errors] for name, errors in form.errors.get_json_data().items()}
            )
        return search.search_published(**form.cleaned_data)


class PublicVacancyDetail(PublicView, generics.RetrieveAPIView):
    """One published vacancy."""

    serializer_class = PublicVacancySerializer

    def get_object(self):
        vacancy = search.published_get(self.kwargs["pk"])
        if vacancy is None:
            raise NotFound
        return vacancy


class PublicCourseList(PublicView, generics.ListAPIView):
    """Courses open to the public: published, not yet ended, by an active provider with a valid licence."""

    serializer_class = PublicCourseSerializer

    def get_queryset(self):
        return training_selectors.recommendable_courses(today=timezone.localdate())
