"""Employment policies that counsellors push to people (§5.4.3 post-employment policies)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vacancies.models import localized_title


class PolicyKind(models.TextChoices):
    EMPLOYMENT_SUBSIDY = "employment_subsidy", _("Employment subsidy")
    SOCIAL_INSURANCE_SUBSIDY = "social_insurance_subsidy", _("Social-insurance subsidy")
    TRAINING_SUBSIDY = "training_subsidy", _("Training subsidy")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship support")
    PUBLIC_WELFARE_POST = "public_welfare_post", _("Public-welfare post")
    OTHER = "other", _("Other")


class Policy(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=PolicyKind.choices)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_bo = models.CharField(_("Tibetan title"), max_length=400, blank=True)
    summary_zh = models.TextField(_("Chinese summary"), blank=True)
    summary_bo = models.TextField(_("Tibetan summary"), blank=True)
    # Pushed automatically to a person hired through a recommendation.
    after_hire = models.BooleanField(_("push after a hire"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return localized_title(self)
