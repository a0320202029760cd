"""The four-tier service network (§4.1.1) and its mobile points and roving teams (§4.1.2)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")


LEVEL_ORDER = [Level.CITY, Level.DISTRICT, Level.TOWNSHIP, Level.VILLAGE]


def localized_name(obj) -> str:
    """The name in the active language, falling back to Chinese."""
    language = get_language() or "zh-hans"
    if language.startswith("bo") and obj.name_bo:
        return obj.name_bo
    if language.startswith("en") and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name_zh


class OrgUnit(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_bo = models.CharField(_("Tibetan name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    # Materialised path of codes ("540100/540102/540102002/"): a subtree is one
    # indexed prefix match, the same on SQLite and PostgreSQL.
    path = models.CharField(max_length=80, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = ""  # a unit is scoped by its own path

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="city", parent__isnull=True) | (~Q(level="city") & Q(parent__isnull=False)),
                name="orgunit_only_city_is_root",
            ),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{6,12}$"), name="orgunit_code_digits"),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def name(self) -> str:
        return localized_name(self)

    @property
    def depth(self) -> int:
        return self.path.count("/")


class ServicePointKind(models.TextChoices):
    MOBILE_POINT = "mobile_point", _("Mobile service point")
    ROVING_TEAM = "roving_team", _("Roving service team")


class ServicePoint(models.Model):
    """A 流动服务点 or 巡回服务队 that takes the service to where workers gather."""

    kind = models.CharField(_("kind"), max_length=20, choices=ServicePointKind.choices)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="service_points", verbose_name=_("unit")
    )
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_bo = models.CharField(_("Tibetan name"), max_length=200)
    location = models.CharField(_("location"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    schedule = models.CharField(
        _("schedule"), max_length=200, help_text=_("For example: every Tuesday and Friday 10:00–16:00")
    )
    target_groups = models.CharField(_("people served"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["unit__path", "name_zh"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized_name(self)


class ServiceVisit(models.Model):
    """One scheduled stop of a mobile point or roving team."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="visits", verbose_name=_("service point")
    )
    day = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=200)

    SCOPE_UNIT_FIELD = "service_point__unit"

    class Meta:
        ordering = ["day", "starts_at"]
        verbose_name = _("scheduled visit")
        verbose_name_plural = _("scheduled visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="visit_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.place}"
