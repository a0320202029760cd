"""The retention job's records: who was marked for anonymisation, and each run's report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RetentionNotice(models.Model):
    """A person marked as inactive; anonymised once `due_on` has passed and still inactive.

    Closed by exactly one of: `cancelled_on` (activity came back), `done_on` (anonymised).
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="retention_notices", verbose_name=_("person")
    )
    marked_on = models.DateField(_("marked"))
    due_on = models.DateField(_("anonymised from"))
    cancelled_on = models.DateField(_("cancelled"), null=True, blank=True)
    done_on = models.DateField(_("anonymised"), null=True, blank=True)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("retention notice")
        verbose_name_plural = _("retention notices")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(cancelled_on__isnull=True, done_on__isnull=True),
                name="one_pending_retention_notice",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True) | Q(done_on__isnull=True),
                name="retention_notice_cancelled_or_done",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} due {self.due_on}"

    @property
    def is_pending(self) -> bool:
        return self.cancelled_on is None and self.done_on is None


class RetentionRun(models.Model):
    """One run of `anonymise_inactive`: a dry run's report, or what a wet run did."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    # {"mark": n, "cancel": n, "anonymise": n, "pending": n, "by_district": {code: {...}}}
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # Null when the schedule ran it.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{'dry' if self.dry_run else 'wet'} run {self.started_at:%Y-%m-%d %H:%M}"
