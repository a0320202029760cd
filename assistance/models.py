"""The assistance file of a key-group person (帮扶档案, §5.9) and its measures (§5.9.3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FileStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSING = "closing", _("Closure proposed")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    """Kept for ever: a retired outcome leaves the forms, not the data."""

    EMPLOYED = "employed", _("Employed")
    LEFT_GROUP = "left_group", _("No longer in a key group")
    # Out of Lhasa; a move within Lhasa is a transfer and the file stays open.
    MOVED_AWAY = "moved_away", _("Moved out of Lhasa")
    LOST_CONTACT = "lost_contact", _("Lost contact")


class MeasureKind(models.TextChoices):
    JOB_RECOMMENDATION = "job_recommendation", _("Job recommendation")
    TRAINING = "training", _("Training")
    PUBLIC_WELFARE_POST = "public_welfare_post", _("Public-welfare post (公益性岗位)")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship support")
    SUBSIDY = "subsidy", _("Subsidies")
    COUNSELLING = "counselling", _("Counselling")


class CategoryAssistance(models.Model):
    """What a key-group category gets: its measures and the rhythm of follow-up visits.
    Seeded from data/assistance_measures.csv; the system administrator edits it."""

    category = models.OneToOneField(
        "keygroups.Category", on_delete=models.CASCADE, related_name="assistance", verbose_name=_("key group")
    )
    measures = models.JSONField(_("measures"), default=list)  # MeasureKind values
    follow_up_days = models.PositiveSmallIntegerField(_("follow-up visit every (days)"), default=30)

    class Meta:
        verbose_name = _("assistance by key group")
        verbose_name_plural = _("assistance by key group")

    def __str__(self):
        return str(self.category)


class AssistanceFile(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="assistance_files", verbose_name=_("person")
    )
    # The key group whose entry opened the file (the first one, if several).
    category = models.ForeignKey(
        "keygroups.Category", on_delete=models.PROTECT, related_name="+", verbose_name=_("key group")
    )
    opened_on = models.DateField(_("opened"))
    # Null: opened by the system when the person entered the key group.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_assistance_due = models.DateField(_("first assistance due"))
    first_assistance_on = models.DateField(_("first assistance given"), null=True, blank=True)
    next_follow_up_due = models.DateField(_("next follow-up due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FileStatus.choices, default=FileStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    # The station head's note on the last decision (why a closure was refused, say).
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("assistance file")
        verbose_name_plural = _("assistance files")
        indexes = [models.Index(fields=["status", "first_assistance_due"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status="closed"), name="one_open_assistance_file"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="closed_file_has_date_and_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="closing") | ~Q(outcome=""), name="closing_file_has_outcome"
            ),
        ]

    def __str__(self):
        return f"{self.person_id} {self.opened_on}"


class FileMeasure(models.Model):
    file = models.ForeignKey(AssistanceFile, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("measure"), max_length=25, choices=MeasureKind.choices)
    planned_on = models.DateField(_("planned"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "file__person__unit"

    class Meta:
        ordering = ["kind"]
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        constraints = [
            models.UniqueConstraint(fields=["file", "kind"], name="one_measure_of_a_kind_per_file")
        ]

    def __str__(self):
        return f"{self.file_id} {self.kind}"
