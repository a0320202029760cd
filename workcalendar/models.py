from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

REGION_PATTERN = r"^(CN|[0-9]{6}([0-9]{3}){0,2})$"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Day off")
    WORKDAY = "workday", _("Make-up working day")


class RegionalDay(models.Model):
    """One official day off or make-up working day, for the nation ("CN") or a region code.

    Seeded from data/lhasa_holidays.csv; administrators enter each year's notices.
    """

    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    region = models.CharField(
        _("region"),
        max_length=12,
        help_text=_("CN for the national schedule, or a division code"),
        validators=[
            RegexValidator(REGION_PATTERN, message=_("Give CN or a division code of 6, 9 or 12 digits."))
        ],
    )
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["day", "region"]
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        constraints = [
            models.UniqueConstraint(fields=["day", "region"], name="regionalday_one_rule_per_day_region"),
            models.CheckConstraint(
                condition=models.Q(region="CN") | models.Q(region__regex=r"^[0-9]{6}([0-9]{3}){0,2}$"),
                name="regionalday_region_code",
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.region} {self.get_kind_display()} {self.name}"
