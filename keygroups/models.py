"""Key groups (重点群体, SPEC §3): a configurable catalogue and dated, evidenced memberships."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network.models import localized_name


class Rule(models.TextChoices):
    """How membership is derived from the person's data; MANUAL needs staff and evidence."""

    MANUAL = "manual", _("Recorded by staff with evidence")
    REGISTERED_UNEMPLOYED = "registered_unemployed", _("Open unemployment registration")
    ZERO_EMPLOYMENT_MEMBER = "zero_employment_member", _("Member of a zero-employment household")
    NEAR_RETIREMENT = "near_retirement", _("Unemployed within N years of retirement age")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Unemployed continuously for N months or more")
    DISABLED = "disabled", _("Has a disability grade")
    ALLOWANCE_HOUSEHOLD = "allowance_household", _("Household receives minimum living allowance")
    LAND_LOST = "land_lost", _("Household lost its land")
    RELOCATED = "relocated", _("Relocated household")
    RECENT_GRADUATE = "recent_graduate", _("Unemployed college graduate within N years of graduating")
    ANY_CHILD = "any_child", _("Member of any sub-category")


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_bo = models.CharField(_("Tibetan name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    rule = models.CharField(
        _("how membership is decided"), max_length=30, choices=Rule.choices, default=Rule.MANUAL
    )
    evidence_hint = models.CharField(_("evidence needed"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("key-group category")
        verbose_name_plural = _("key-group categories")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized_name(self)


class Source(models.TextChoices):
    DERIVED = "derived", _("Derived from data")
    MANUAL = "manual", _("Recorded by staff")


class Membership(models.Model):
    """One dated period in a category. Ending sets `ended_on`; rows are never deleted."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="key_group_memberships"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="memberships")
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("key-group membership")
        verbose_name_plural = _("key-group memberships")
        indexes = [models.Index(fields=["category", "ended_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category"], condition=Q(ended_on__isnull=True), name="one_open_membership"
            ),
            models.CheckConstraint(
                condition=Q(source="derived") | ~Q(evidence=""), name="manual_membership_has_evidence"
            ),
        ]

    def __str__(self):
        return f"{self.person_id} {self.category_id} {self.started_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
