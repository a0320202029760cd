"""Work items (§5.9, §6.1): one row per obligation and due date, whoever owns the obligation.

Each domain keeps its own due date on its own record (the file's first-assistance date,
the plan's next review, the recommendation's answer date...). The work item mirrors it
so that a counsellor's "work today" is one indexed query: due, overdue and upcoming are
computed from `due_on` and `done_on` in that query, never stored as a flag that goes stale.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    FIRST_ASSISTANCE = "first_assistance", _("First assistance")
    FOLLOW_UP = "follow_up", _("Follow-up visit")
    MONTHLY_UPDATE = "monthly_update", _("Monthly information update")
    PLAN_REVIEW = "plan_review", _("Employment plan review")
    REPLAN = "replan", _("Plan expired: analyse again and re-plan")
    PERSONAL_POLICY = "personal_policy", _("One-person-one-policy plan (一人一策)")
    RECOMMENDATION_STEP = "recommendation_step", _("Recommendation waiting for an answer")
    HIRE_FOLLOW_UP = "hire_follow_up", _("Follow-up after a hire")
    ZERO_EMPLOYMENT = "zero_employment", _("Zero-employment household to clear")
    FILE_CLOSURE = "file_closure", _("Assistance file closure to decide")
    SUBJECT_REQUEST = "subject_request", _("Data-subject request to answer")
    EXPORT_APPROVAL = "export_approval", _("Bulk export waiting for approval")


class WorkItem(models.Model):
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("person"),
    )
    # The unit whose worklist holds the item (the person's unit; for a household item, the
    # household's unit). It follows the person on transfer.
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("assigned to"),
    )
    # The record that owns the obligation ("assistance.assistancefile", 17).
    source_type = models.CharField(max_length=60)
    source_id = models.PositiveBigIntegerField()
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    # Closed without being done (the obligation went away: file closed, person moved away).
    cancelled_on = models.DateField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        indexes = [
            models.Index(
                fields=["unit", "due_on"],
                condition=Q(done_on__isnull=True, cancelled_on__isnull=True),
                name="open_items_by_unit",
            ),
            models.Index(
                fields=["assignee", "due_on"],
                condition=Q(done_on__isnull=True, cancelled_on__isnull=True),
                name="open_items_by_assignee",
            ),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            # One open item per obligation of a record.
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=Q(done_on__isnull=True, cancelled_on__isnull=True),
                name="one_open_item_per_obligation",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(cancelled_on__isnull=True),
                name="item_done_or_cancelled",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.source_type}:{self.source_id} due {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None and self.cancelled_on is None
