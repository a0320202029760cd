"""The personal-data access log: every full view, export or print (SPEC §7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    VIEW = "view", _("Full view")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")


class PersonalDataAccess(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AccessKind.choices)
    subject_type = models.CharField(_("record type"), max_length=60)
    # One id for a single record; blank with a count for an export of a list.
    subject_id = models.CharField(_("record id"), max_length=40, blank=True, db_index=True)
    record_count = models.PositiveIntegerField(_("records"), default=1)
    fields = models.CharField(_("fields"), max_length=200)
    reason = models.CharField(_("reason"), max_length=300)
    query = models.CharField(_("filters"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data accesses")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.kind} {self.subject_type}:{self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("The access log is append-only.")
