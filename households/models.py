"""Households and their zero-employment episodes (零就业家庭, SPEC §3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedTextField


class Allowance(models.TextChoices):
    NONE = "none", _("None")
    DIBAO = "dibao", _("Minimum living allowance (低保)")
    TEKUN = "tekun", _("Extreme-poverty support (特困)")
    LOW_INCOME = "low_income", _("Low-income household")


class Household(models.Model):
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="households", verbose_name=_("unit")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    has_business_income = models.BooleanField(_("has business income"), default=False)
    # Encrypted: allowance status is sensitive (SPEC §7). Values are Allowance codes.
    allowance_status = EncryptedTextField(_("allowance status"), blank=True, default=Allowance.NONE)
    land_lost = models.BooleanField(_("land-lost farmer or herder household"), default=False)
    relocated = models.BooleanField(_("relocated household (易地搬迁)"), default=False)

    # The current (or last) zero-employment episode, copied from ZeroEmploymentEpisode
    # so lists filter on one table.
    zero_employment = models.BooleanField(_("zero-employment household"), default=False, editable=False)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True, editable=False)
    clearance_due = models.DateField(_("clearance due"), null=True, blank=True, editable=False)
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"
    AUDIT_MASKED_FIELDS = ("allowance_status",)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["zero_employment", "clearance_due"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(zero_employment=False)
                | Q(recognised_on__isnull=False, clearance_due__isnull=False),
                name="zero_employment_has_dates",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.address}".strip()


class ClearReason(models.TextChoices):
    EMPLOYED = "employed", _("A member found work")
    NO_LONGER_ELIGIBLE = "no_longer_eligible", _("No longer meets the definition")


class ZeroEmploymentEpisode(models.Model):
    """One recognition and its clearance; the history is kept for reporting."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="episodes")
    recognised_on = models.DateField(_("recognised on"))
    clearance_due = models.DateField(_("clearance due"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    clear_reason = models.CharField(_("reason"), max_length=20, choices=ClearReason.choices, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    SCOPE_UNIT_FIELD = "household__unit"

    class Meta:
        ordering = ["-recognised_on", "-id"]
        verbose_name = _("zero-employment episode")
        verbose_name_plural = _("zero-employment episodes")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(cleared_on__isnull=True),
                name="one_open_zero_employment_episode",
            ),
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True, clear_reason="")
                | Q(cleared_on__isnull=False) & ~Q(clear_reason=""),
                name="cleared_episode_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.household_id} {self.recognised_on}"
