"""The 2022 national occupational classification (国家职业分类大典), as a tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import validate_name_text
from network.models import localized_name


class OccupationLevel(models.IntegerChoices):
    MAJOR = 1, _("Major group")
    MEDIUM = 2, _("Medium group")
    SMALL = 3, _("Small group")
    OCCUPATION = 4, _("Occupation")


class Occupation(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)  # "4-03-02-01"
    gbm = models.CharField(_("GB/T 6565 code"), max_length=8, blank=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100, validators=[validate_name_text])
    name_bo = models.CharField(_("Tibetan name"), max_length=200, blank=True, validators=[validate_name_text])
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=OccupationLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # Set when an administrator corrects the names in the app: reloading the reference
    # files then leaves this row's names alone (services.occupations_load).
    names_corrected_at = models.DateTimeField(_("names corrected"), null=True, blank=True)
    names_corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("names corrected by"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized_name(self)
