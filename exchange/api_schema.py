"""Serializers that describe the exchange format in the OpenAPI schema.

The records themselves are checked by exchange.vacancy_format / person_format (one
check for JSON and spreadsheets, with per-record errors), so these only document.
"""

from rest_framework import serializers

from core.channels import IntakeChannel
from employers.models import Ownership, Size
from exchange.vacancy_format import vacancy_record
from people.choices import Education, EmploymentStatus, Proficiency, WorkMode
from people.models import Person
from vacancies.models import PayPeriod, Source, Status, WorkType


class EmployerRefSerializer(serializers.Serializer):
    credit_code = serializers.CharField(
        help_text="Unified social credit code (GB 32100); matches the employer"
    )
    name_zh = serializers.CharField(required=False, help_text="Needed only to register a new employer")
    name_bo = serializers.CharField(required=False)
    industry = serializers.CharField(required=False, help_text="GB/T 4754 code; needed for a new employer")
    unit = serializers.CharField(required=False, help_text="Org unit code; needed for a new employer")
    ownership = serializers.ChoiceField(choices=Ownership.choices, required=False)
    size = serializers.ChoiceField(choices=Size.choices, required=False)


class VacancyRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    external_id = serializers.CharField(max_length=64, allow_null=True)
    title_zh = serializers.CharField(max_length=100)
    title_bo = serializers.CharField(max_length=200, required=False)
    occupation = serializers.CharField(help_text="Occupation code, e.g. 4-03-02-01")
    employer = EmployerRefSerializer()
    unit = serializers.CharField(help_text="Org unit code of the station holding the vacancy")
    work_unit = serializers.CharField(required=False, help_text="Org unit code of the place of work")
    salary_min = serializers.IntegerField(min_value=0)
    salary_max = serializers.IntegerField(min_value=0)
    pay_period = serializers.ChoiceField(choices=PayPeriod.choices, required=False)
    headcount = serializers.IntegerField(min_value=1, required=False)
    work_type = serializers.ChoiceField(choices=WorkType.choices, required=False)
    education_min = serializers.ChoiceField(choices=Education.choices, required=False)
    age_min = serializers.IntegerField(required=False, allow_null=True)
    age_max = serializers.IntegerField(required=False, allow_null=True)
    tibetan_required = serializers.ChoiceField(choices=Proficiency.choices, required=False)
    chinese_required = serializers.ChoiceField(choices=Proficiency.choices, required=False)
    skills = serializers.CharField(required=False)
    certificates = serializers.CharField(required=False)
    physical_requirements = serializers.CharField(required=False)
    other_requirements = serializers.CharField(required=False)
    description = serializers.CharField(required=False)
    accommodation = serializers.BooleanField(required=False)
    meals = serializers.BooleanField(required=False)
    social_insurance = serializers.BooleanField(required=False)
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text="Only filled and closed are taken over on import"
    )
    source = serializers.ChoiceField(choices=Source.choices, read_only=True)
    channel = serializers.ChoiceField(choices=IntakeChannel.choices, read_only=True)
    reconfirmed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True)

    def to_representation(self, instance):
        return vacancy_record(instance)


class JobSeekerRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    external_id = serializers.CharField(max_length=64, allow_null=True)
    name_zh = serializers.CharField(required=False)
    name_bo = serializers.CharField(required=False)
    id_number = serializers.CharField(
        help_text="Full ID number: sent on import; exported only with full=true by a station head"
    )
    id_number_masked = serializers.CharField(read_only=True)
    phone = serializers.CharField(required=False, help_text="Sent on import; exported only with full=true")
    phone_masked = serializers.CharField(read_only=True)
    sex = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True)
    unit = serializers.CharField(help_text="Org unit code of the station holding the file")
    household_unit = serializers.CharField(required=False)
    residence_unit = serializers.CharField(required=False)
    education = serializers.ChoiceField(choices=Education.choices, required=False)
    major = serializers.CharField(required=False)
    graduation_date = serializers.DateField(required=False, allow_null=True)
    skills = serializers.CharField(required=False)
    tibetan_level = serializers.ChoiceField(choices=Proficiency.choices, required=False)
    chinese_level = serializers.ChoiceField(choices=Proficiency.choices, required=False)
    employment_status = serializers.ChoiceField(choices=EmploymentStatus.choices, required=False)
    salary_expectation = serializers.IntegerField(required=False, allow_null=True)
    work_mode = serializers.ChoiceField(choices=WorkMode.choices, required=False)
    willing_outside_county = serializers.BooleanField(required=False)
    preferred_language = serializers.ChoiceField(
        choices=Person._meta.get_field("preferred_language").choices, required=False
    )
    desired_occupations = serializers.ListField(child=serializers.CharField(), required=False)
    key_groups = serializers.ListField(child=serializers.CharField(), read_only=True)
    channel = serializers.ChoiceField(choices=IntakeChannel.choices, read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True)

    def to_representation(self, instance):
        return instance  # already a record (exchange.services.job_seekers_export)


class ImportRequestSerializer(serializers.Serializer):
    records = serializers.ListField(child=serializers.DictField(), help_text="Or send the list itself")
    valid_only = serializers.BooleanField(required=False, default=False)


class RecordErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in the list sent, from 0")
    field = serializers.CharField(help_text="e.g. salary_min or employer.credit_code; empty for the record")
    message = serializers.CharField()


class RecordResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    external_id = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["created", "updated", "attached", "unchanged"])
    id = serializers.IntegerField()


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["vacancies", "job_seekers"])
    committed = serializers.BooleanField()
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    attached = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = RecordErrorSerializer(many=True)
    results = RecordResultSerializer(many=True)


class RejectedImportSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    report = ImportReportSerializer()
