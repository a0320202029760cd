"""Career guidance for workers (§6.1, §5.4.3, §7.8).

- A guidance case follows the six steps (intake → assessment → goal analysis →
  employment plan → periodic reviews → re-planning); every move is logged (`CaseStep`),
  and each step keeps its own records, append-only, so a revisited step keeps its history.
- The employment plan is versioned: an agreed version is read-only, an adjustment is a
  new version drawn up as a draft that supersedes the old one once agreed.
- 一人一策 (§5.4.3): the personal policy plan of a long-term unemployed person.
- Preventive guidance (§7.8): group programmes for a cohort built from a filter, with
  sessions and attendance.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vacancies.models import localized_title


class CaseState(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ASSESSMENT = "assessment", _("Assessment")
    GOAL_ANALYSIS = "goal_analysis", _("Goal analysis")
    PLANNING = "planning", _("Employment plan")
    REVIEW = "review", _("Periodic review")
    REPLANNING = "replanning", _("Re-planning")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    """Kept for ever: a retired outcome leaves the forms, not the data."""

    EMPLOYED = "employed", _("Employed")
    WITHDREW = "withdrew", _("Withdrew from guidance")
    MOVED_AWAY = "moved_away", _("Moved away")
    OTHER = "other", _("Other")


class GuidanceCase(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="guidance_cases", verbose_name=_("person")
    )
    state = models.CharField(_("step"), max_length=15, choices=CaseState.choices, default=CaseState.INTAKE)
    # The counsellor who leads the case; work items of the case are assigned to them.
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guidance_cases",
        verbose_name=_("counsellor"),
    )
    opened_on = models.DateField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CaseOutcome.choices, blank=True)
    outcome_note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("guidance case")
        verbose_name_plural = _("guidance cases")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~Q(state="closed"), name="one_open_guidance_case_per_person"
            ),
            models.CheckConstraint(
                condition=(Q(state="closed") & Q(closed_on__isnull=False) & ~Q(outcome=""))
                | (~Q(state="closed") & Q(closed_on__isnull=True) & Q(outcome="")),
                name="closed_case_has_date_and_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED


class CaseStep(models.Model):
    """The transition log of a case: from, to, when, who (null = the system), why."""

    case = models.ForeignKey(GuidanceCase, on_delete=models.CASCADE, related_name="steps")
    # "open", "forward", "revisit", "close", "plan_agreed", "expired"... (data, not text).
    kind = models.CharField(max_length=20)
    from_state = models.CharField(max_length=15, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=15, choices=CaseState.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.from_state}→{self.to_state}"


class _StepRecord(models.Model):
    """A record of one step, appended each time the step is done (or done again)."""

    case = models.ForeignKey(GuidanceCase, on_delete=models.CASCADE, related_name="+")
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_UNIT_FIELD = "case__person__unit"

    class Meta:
        abstract = True
        ordering = ["-on", "-id"]


class IntakeRecord(_StepRecord):
    case = models.ForeignKey(GuidanceCase, on_delete=models.CASCADE, related_name="intakes")
    notes = models.TextField(_("intake notes"))

    class Meta(_StepRecord.Meta):
        verbose_name = _("intake")

    def __str__(self):
        return f"{self.case_id} intake {self.on}"


class Assessment(_StepRecord):
    case = models.ForeignKey(GuidanceCase, on_delete=models.CASCADE, related_name="assessments")
    # A later issue adds the instruments (§7.6); until then the counsellor names the one used.
    instrument = models.CharField(_("instrument"), max_length=100)
    results = models.JSONField(_("results"), default=dict, blank=True)
    summary = models.TextField(_("summary"))

    class Meta(_StepRecord.Meta):
        verbose_name = _("assessment")

    def __str__(self):
        return f"{self.case_id} {self.instrument} {self.on}"


class GoalAnalysis(_StepRecord):
    case = models.ForeignKey(GuidanceCase, on_delete=models.CASCADE, related_name="goal_analyses")
    reasoning = models.TextField(_("counsellor's reasoning"))
    goals = models.TextField(_("goals"))

    class Meta(_StepRecord.Meta):
        verbose_name = _("goal analysis")

    def __str__(self):
        return f"{self.case_id} goals {self.on}"


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed (in force)")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")
    COMPLETED = "completed", _("Completed")
    DISCARDED = "discarded", _("Discarded draft")


# The plan in force, and the one being drawn up (an adjustment of the plan in force).
CURRENT_PLAN_STATES = (PlanState.DRAFT, PlanState.AGREED)
ENDED_PLAN_STATES = (PlanState.SUPERSEDED, PlanState.EXPIRED, PlanState.COMPLETED)


class EmploymentPlan(models.Model):
    """One version of a case's employment plan (§6.1 step 4). `number` is the plan's
    version (1, 2, …); `version` is the edit lock every editable record carries."""

    case = models.ForeignKey(GuidanceCase, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveSmallIntegerField(_("plan version"))
    # The version this one was drawn up from (an adjustment or a re-plan).
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions"
    )
    state = models.CharField(_("state"), max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    goals = models.TextField(_("goals"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    review_every_days = models.PositiveSmallIntegerField(_("review every (days)"))
    # The person agreed and signed (§6.1 "agreed with the person"); no approval beyond that.
    agreed = models.BooleanField(_("agreed and signed by the person"), default=False)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Stored when the plan is agreed and after each review (worklist.deadlines).
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "case__person__unit"

    class Meta:
        ordering = ["-number"]
        verbose_name = _("employment plan")
        verbose_name_plural = _("employment plans")
        indexes = [models.Index(fields=["state", "valid_until"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="plan_number_unique_per_case"),
            # One plan in force and one draft per case: a case never has two current plans
            # of the same kind (the draft is the adjustment of the plan in force).
            models.UniqueConstraint(
                fields=["case", "state"],
                condition=Q(state__in=["draft", "agreed"]),
                name="one_current_plan_per_case",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "discarded"]) | (Q(agreed=True) & Q(agreed_on__isnull=False)),
                name="agreed_plan_has_agreement",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="plan_valid_until_after_from"
            ),
            models.CheckConstraint(condition=Q(review_every_days__gte=1), name="plan_review_rhythm_positive"),
        ]

    def __str__(self):
        return f"{self.case_id} v{self.number} {self.state}"

    @property
    def is_editable(self) -> bool:
        return self.state == PlanState.DRAFT


class PlanAction(models.Model):
    plan = models.ForeignKey(EmploymentPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due"))
    service_type = models.ForeignKey(
        "servicerecords.ServiceType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    done_on = models.DateField(_("done"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    SCOPE_UNIT_FIELD = "plan__case__person__unit"

    class Meta:
        ordering = ["order", "due_on", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self):
        return self.description


class ReviewDecision(models.TextChoices):
    CONTINUE = "continue", _("Continue the plan")
    ADJUST = "adjust", _("Adjust the plan (new version)")
    REPLAN = "replan", _("Re-plan (analyse again)")


class PlanReview(models.Model):
    plan = models.ForeignKey(EmploymentPlan, on_delete=models.CASCADE, related_name="reviews")
    on = models.DateField(_("review date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("notes"))
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecision.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_UNIT_FIELD = "plan__case__person__unit"

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")

    def __str__(self):
        return f"{self.plan_id} {self.on} {self.decision}"


class PersonalPolicyPlan(models.Model):
    """一人一策 (§5.4.3). Append-only: a revision is a new row with the next `number`."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="personal_policy_plans"
    )
    number = models.PositiveSmallIntegerField(_("plan version"))
    created_on = models.DateField(_("drawn up on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    situation = models.TextField(_("situation analysis"))
    measures = models.TextField(_("measures"))
    policies = models.ManyToManyField(
        "policies.Policy", blank=True, related_name="+", verbose_name=_("policies applied")
    )
    review_on = models.DateField(_("review on"))
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-number"]
        verbose_name = _("personal policy plan (一人一策)")
        verbose_name_plural = _("personal policy plans (一人一策)")
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="personal_policy_number_unique"),
            models.CheckConstraint(
                condition=Q(review_on__gte=models.F("created_on")), name="personal_policy_review_after"
            ),
        ]

    def __str__(self):
        return f"{self.person_id} v{self.number}"


# --- preventive guidance (§7.8) ---------------------------------------------------------------


class Programme(models.Model):
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_bo = models.CharField(_("Tibetan title"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    audience_note = models.CharField(_("audience"), max_length=300, blank=True)
    # The unit that runs the programme; its cohort comes from this unit's subtree.
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("run by")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    # The cohort filter, saved so the cohort can be rebuilt (guidance.cohort.CohortFilter).
    cohort_filter = models.JSONField(_("cohort filter"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "unit"

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("preventive guidance programme")
        verbose_name_plural = _("preventive guidance programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programme_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title_zh

    @property
    def title(self) -> str:
        return localized_title(self)


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    enrolled_on = models.DateField(_("enrolled"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    SCOPE_UNIT_FIELD = "programme__unit"

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="enrolled_once_per_programme")
        ]

    def __str__(self):
        return f"{self.programme_id} {self.person_id}"


class Session(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    SCOPE_UNIT_FIELD = "programme__unit"

    class Meta:
        ordering = ["on", "starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.programme_id} {self.on} {self.starts_at}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(_("attended"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    SCOPE_UNIT_FIELD = "session__programme__unit"

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_attendance_per_session_person")
        ]

    def __str__(self):
        return f"{self.session_id} {self.person_id} {self.attended}"
