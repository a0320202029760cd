"""Employers (用人单位), their contacts and accounts, and the key-enterprise directory (§5.11)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.channels import IntakeChannel
from network.models import localized_name


class Size(models.TextChoices):
    MICRO = "micro", _("Micro (under 10 staff)")
    SMALL = "small", _("Small (10–99 staff)")
    MEDIUM = "medium", _("Medium (100–999 staff)")
    LARGE = "large", _("Large (1,000 staff or more)")


class Ownership(models.TextChoices):
    STATE = "state", _("State-owned")
    COLLECTIVE = "collective", _("Collective")
    PRIVATE = "private", _("Private")
    FOREIGN = "foreign", _("Foreign or Hong Kong/Macao/Taiwan invested")
    INDIVIDUAL = "individual", _("Individual business")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    COOPERATIVE = "cooperative", _("Farmers' or herders' cooperative")


class Employer(models.Model):
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_bo = models.CharField(_("Tibetan name"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    industry = models.ForeignKey(
        "industries.Industry", on_delete=models.PROTECT, related_name="employers", verbose_name=_("industry")
    )
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, default=Size.SMALL)
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="employers", verbose_name=_("located in")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # The public board shows the phone only when the employer chose to publish it.
    publish_contact_phone = models.BooleanField(
        _("show the contact phone on the public job board"), default=False
    )
    description = models.TextField(_("about the employer"), blank=True)
    channel = models.CharField(_("received through"), max_length=25, choices=IntakeChannel.choices)
    # Id on the regional platform, for idempotent exchange.
    external_id = models.CharField(
        _("regional platform id"), max_length=64, null=True, blank=True, unique=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"

    class Meta:
        ordering = ["name_zh", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-Z]{18}$"), name="employer_credit_code_form"
            )
        ]

    def __str__(self):
        return self.name_zh

    @property
    def name(self) -> str:
        return localized_name(self)


class KeyEnterpriseFlag(models.Model):
    """A township puts an employer on the key-enterprise directory, with reason and date."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="key_flags")
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("flagged by unit")
    )
    reason = models.CharField(_("reason"), max_length=300)
    flagged_on = models.DateField(_("flagged on"))
    ended_on = models.DateField(_("removed on"), null=True, blank=True)
    end_reason = models.CharField(_("why removed"), max_length=300, blank=True)
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    SCOPE_UNIT_FIELD = "employer__unit"

    class Meta:
        ordering = ["-flagged_on", "-id"]
        verbose_name = _("key-enterprise listing")
        verbose_name_plural = _("key-enterprise directory")
        constraints = [
            models.UniqueConstraint(
                fields=["employer"], condition=Q(ended_on__isnull=True), name="one_open_key_enterprise_flag"
            )
        ]

    def __str__(self):
        return f"{self.employer_id} {self.flagged_on}"


class EmployerAccount(models.Model):
    """Links a sign-in account (role "employer") to the employer it acts for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_account"
    )
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="accounts")
    is_manager = models.BooleanField(_("may manage the employer's accounts"), default=False)

    class Meta:
        verbose_name = _("employer account")
        verbose_name_plural = _("employer accounts")

    def __str__(self):
        return f"{self.user_id} → {self.employer_id}"
