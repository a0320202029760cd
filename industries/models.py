"""GB/T 4754-2017 industrial classification: 20 sections (门类) and 97 divisions (大类)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import localized_name


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")


class Industry(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)  # "A", "01"
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_bo = models.CharField(_("Tibetan name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized_name(self)
