"""Vacancies (岗位): requirements, vetting, publication and validity (§5.3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.channels import IntakeChannel
from people.choices import Education, Proficiency


def localized_title(obj) -> str:
    """The title in the active language, falling back to Chinese."""
    if (get_language() or "").startswith("bo") and obj.title_bo:
        return obj.title_bo
    return obj.title_zh


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_REVIEW = "under_review", _("Under review")
    PUBLISHED = "published", _("Published")
    SUSPENDED = "suspended", _("Suspended")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class Source(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    EMPLOYER = "employer", _("Employer self-service")
    JOB_FAIR = "job_fair", _("Job fair")
    REGIONAL_PLATFORM = "regional_platform", _("Regional platform import")


class WorkType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    FLEXIBLE = "flexible", _("Flexible work")


class PayPeriod(models.TextChoices):
    MONTH = "month", _("per month")
    DAY = "day", _("per day")
    HOUR = "hour", _("per hour")
    PIECE = "piece", _("per piece")


class Vacancy(models.Model):
    employer = models.ForeignKey(
        "employers.Employer", on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    title_zh = models.CharField(_("Chinese title"), max_length=100)
    title_bo = models.CharField(_("Tibetan title"), max_length=200, blank=True)
    occupation = models.ForeignKey(
        "occupations.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    description = models.TextField(_("job description"), blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), default=1)
    salary_min = models.PositiveIntegerField(_("lowest pay (yuan)"))
    salary_max = models.PositiveIntegerField(_("highest pay (yuan)"))
    pay_period = models.CharField(
        _("pay period"), max_length=6, choices=PayPeriod.choices, default=PayPeriod.MONTH
    )
    # `unit` is the station that holds the vacancy (and scopes it); `work_unit` is where the work is.
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("held by")
    )
    work_unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("place of work")
    )
    work_type = models.CharField(
        _("kind of work"), max_length=10, choices=WorkType.choices, default=WorkType.FULL_TIME
    )

    # Requirements.
    education_min = models.CharField(
        _("minimum education"), max_length=12, choices=Education.choices, default=Education.NONE
    )
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    # Vetting refuses an age range narrower than working age unless the job needs it (§5.3.2).
    age_reason = models.CharField(_("why the age range is needed"), max_length=300, blank=True)
    tibetan_required = models.CharField(
        _("Tibetan needed"), max_length=8, choices=Proficiency.choices, default=Proficiency.NONE
    )
    chinese_required = models.CharField(
        _("Chinese needed"), max_length=8, choices=Proficiency.choices, default=Proficiency.NONE
    )
    skills = models.TextField(_("skills"), blank=True)
    certificates = models.TextField(_("certificates"), blank=True)
    experience_years_min = models.PositiveSmallIntegerField(_("years of experience wanted"), default=0)
    physical_requirements = models.CharField(_("physical conditions"), max_length=300, blank=True)
    other_requirements = models.TextField(_("other requirements"), blank=True)

    # Benefits.
    accommodation = models.BooleanField(_("accommodation provided"), default=False)
    meals = models.BooleanField(_("meals provided"), default=False)
    social_insurance = models.BooleanField(_("social insurance"), default=False)

    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.STAFF)
    channel = models.CharField(_("received through"), max_length=25, choices=IntakeChannel.choices)
    external_id = models.CharField(
        _("regional platform id"), max_length=64, null=True, blank=True, unique=True
    )

    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    review_note = models.TextField(_("review note"), blank=True)
    # Who last put this version forward for review (submitted it, or changed it while under
    # review or after publication); neither they nor the creator may approve it.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    reconfirmed_at = models.DateTimeField(_("reconfirmed"), null=True, blank=True)
    # Segmented words of titles, description, employer and occupation
    # (textsearch.segment_document), kept current by the vacancy services.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [
            models.Index(fields=["status", "reconfirmed_at"]),
            models.Index(fields=["status", "work_unit"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_max__gte=models.F("salary_min")), name="vacancy_salary_range"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_max__gte=models.F("age_min")),
                name="vacancy_age_range",
            ),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="vacancy_headcount_positive"),
            # Only a vacancy that passed review can be public.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False, reviewed_by__isnull=False),
                name="published_vacancy_was_reviewed",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return localized_title(self)


class Transition(models.Model):
    """Every status change: from, to, when, who (null = the system) and why."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=15, choices=Status.choices)
    to_status = models.CharField(max_length=15, choices=Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.vacancy_id} {self.from_status}→{self.to_status}"
