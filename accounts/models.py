from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.roles import QualificationLevel, Role
from network.models import OrgUnit


class User(AbstractUser):
    """A staff account. Job seekers and employers get their own account types later."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("unit"),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=50, blank=True)
    name_bo = models.CharField(_("Tibetan name"), max_length=100, blank=True)
    phone = models.CharField(_("work phone"), max_length=20, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, default="zh-hans")
    # §4.2 staff registry
    qualification_level = models.PositiveSmallIntegerField(
        _("career guidance qualification"), choices=QualificationLevel.choices, null=True, blank=True
    )
    speaks_tibetan = models.BooleanField(_("speaks Tibetan"), default=False)
    speaks_chinese = models.BooleanField(_("speaks Chinese"), default=False)
    psychological_counsellor = models.BooleanField(_("psychological counsellor"), default=False)
    training_liaison = models.BooleanField(_("training liaison"), default=False)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    AUDIT_MASKED_FIELDS = ("phone", "password")

    class Meta:
        ordering = ["unit__path", "username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("bo") and self.name_bo:
            return self.name_bo
        return self.name_zh or self.name_bo or self.username
