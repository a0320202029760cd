"""Every service given to a person, one record each (全程记录, §7.10)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import localized_name


class ServiceType(models.Model):
    """The configurable, bilingual catalogue (data/service_types.csv; admins add more)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_bo = models.CharField(_("Tibetan name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # Counts as assistance for a key-group file (first assistance, follow-ups, coverage).
    is_assistance = models.BooleanField(_("counts as assistance"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized_name(self)


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person at the station")
    PHONE = "phone", _("Phone")
    HOME_VISIT = "home_visit", _("Home visit")
    ROVING_TEAM = "roving_team", _("Roving service team")
    ONLINE = "online", _("Online / WeChat")


class Language(models.TextChoices):
    CHINESE = "zh-hans", _("Chinese")
    TIBETAN = "bo", _("Tibetan")
    BOTH = "both", _("Chinese and Tibetan")


class ServiceRecord(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="service_records", verbose_name=_("person")
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    on = models.DateField(_("date"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff")
    )
    # The unit that gave the service (the staff member's), kept when the person moves.
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    language = models.CharField(_("language used"), max_length=8, choices=Language.choices)
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    # The assistance file this service was given under, if any (set by assistance services).
    assistance_file = models.ForeignKey(
        "assistance.AssistanceFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("assistance file"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        indexes = [models.Index(fields=["person", "-on"]), models.Index(fields=["unit", "on"])]

    def __str__(self):
        return f"{self.person_id} {self.service_type_id} {self.on}"
