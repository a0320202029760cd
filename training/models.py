"""Qualified training providers and their courses (§7.5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.channels import IntakeChannel
from network.models import localized_name


class Qualification(models.TextChoices):
    VOCATIONAL_SCHOOL = "vocational_school", _("Vocational school")
    TRAINING_INSTITUTION = "training_institution", _("Licensed training institution")
    ENTERPRISE = "enterprise", _("Enterprise training centre")
    PUBLIC_CENTRE = "public_centre", _("Public training centre")


class Provider(models.Model):
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_bo = models.CharField(_("Tibetan name"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    licence_number = models.CharField(_("school-running licence number"), max_length=50)
    qualification = models.CharField(_("qualification"), max_length=25, choices=Qualification.choices)
    licence_expires_on = models.DateField(_("licence valid until"))
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")
        constraints = [
            # The services check the GB 32100 check character; the database keeps the form.
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-Z]{18}$"), name="provider_credit_code_form"
            )
        ]

    def __str__(self):
        return self.name_zh

    @property
    def name(self) -> str:
        return localized_name(self)


class CourseLanguage(models.TextChoices):
    CHINESE = "zh", _("Chinese")
    TIBETAN = "bo", _("Tibetan")
    BILINGUAL = "both", _("Chinese and Tibetan")


class Course(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="courses")
    title_zh = models.CharField(_("Chinese title"), max_length=100)
    title_bo = models.CharField(_("Tibetan title"), max_length=200, blank=True)
    occupation = models.ForeignKey(
        "occupations.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    subsidy = models.PositiveIntegerField(_("subsidy per trainee (yuan)"), default=0)
    language = models.CharField(_("language"), max_length=4, choices=CourseLanguage.choices)
    capacity = models.PositiveIntegerField(_("places"), default=30)
    is_published = models.BooleanField(_("published"), default=False)
    channel = models.CharField(_("received through"), max_length=25, choices=IntakeChannel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="course_dates"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_capacity"),
        ]

    def __str__(self):
        return self.title_zh

    @property
    def title(self) -> str:
        """The title in the active language, falling back to Chinese."""
        language = get_language() or "zh-hans"
        if language.startswith("bo") and self.title_bo:
            return self.title_bo
        return self.title_zh
