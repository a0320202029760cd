"""The 2022 national occupational classification (国家职业分类大典), as a tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import localized_name


class OccupationLevel(models.IntegerChoices):
    MAJOR = 1, _("Major group")
    MEDIUM = 2, _("Medium group")
    SMALL = 3, _("Small group")
    OCCUPATION = 4, _("Occupation")


class Occupation(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)  # "4-03-02-01"
    gbm = models.CharField(_("GB/T 6565 code"), max_length=8, blank=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_bo = models.CharField(_("Tibetan name"), max_length=200, blank=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=OccupationLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized_name(self)
