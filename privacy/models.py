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


class ExportName(models.TextChoices):
    """The exports of persons that can carry full values, each with its own filters."""

    PEOPLE_LIST = "people_list", _("Person list")
    EXCHANGE_JOB_SEEKERS = "exchange_job_seekers", _("Job seekers for the regional platform")


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")


class ExportApproval(models.Model):
    """A second person's approval of one bulk export with full values (GB/T 35273 §7.1).

    It covers one export, with the filters and at most the number of persons it was
    asked for, once, by the person who asked, within EXPORT_APPROVAL_VALID_HOURS.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    # The requester's unit: it decides who may approve (the supervisors above it).
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    subject_type = models.CharField(_("record type"), max_length=60, default="person")
    export = models.CharField(_("export"), max_length=30, choices=ExportName.choices)
    query = models.CharField(_("filters"), max_length=500, blank=True)
    record_count = models.PositiveIntegerField(_("records"))
    reason = models.CharField(_("reason"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("export approval")
        verbose_name_plural = _("export approvals")
        indexes = [models.Index(fields=["state", "requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="approved") | models.Q(expires_at__isnull=False),
                name="approved_export_has_expiry",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("decided_by")),
                name="export_not_approved_by_requester",
            ),
        ]

    def __str__(self):
        return f"{self.export} {self.record_count} ({self.state})"
