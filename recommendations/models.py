"""Recommendation tracking (推荐跟踪, §4.4.1): one row per person and vacancy, from the
match to the hire, with every step logged (who, which side, when, why)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    MATCHED = "matched", _("Matched")
    SHOWN = "shown", _("Shown to the seeker")
    INTERESTED = "interested", _("Seeker interested")
    DECLINED = "declined", _("Seeker declined")
    REFERRED = "referred", _("Referred to the employer")
    INTERVIEW = "interview", _("Interview")
    REJECTED = "rejected", _("Employer rejected")
    NO_RESPONSE = "no_response", _("No response from the employer")
    HIRED = "hired", _("Hired")
    NOT_HIRED = "not_hired", _("Not hired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_STATES = frozenset({State.DECLINED, State.REJECTED, State.HIRED, State.NOT_HIRED, State.WITHDRAWN})
OPEN_STATES = frozenset(set(State) - FINAL_STATES)
# Steps that wait for an answer and expire at `step_deadline`.
WAITING_STATES = frozenset({State.SHOWN, State.REFERRED, State.INTERVIEW})


class Origin(models.TextChoices):
    BATCH = "batch", _("Nightly matching")
    ON_DEMAND = "on_demand", _("Matching run by a counsellor")
    CANDIDATES = "candidates", _("Chosen from a vacancy's candidates")


class Side(models.TextChoices):
    COUNSELLOR = "counsellor", _("Counsellor")
    SEEKER = "seeker", _("Job seeker")
    EMPLOYER = "employer", _("Employer")
    SYSTEM = "system", _("System")


class DeclineReason(models.TextChoices):
    """The seeker's side. Kept for ever: a retired reason leaves the forms, not the data."""

    NOT_THIS_JOB = "not_this_job", _("Not interested in this kind of work")
    PAY = "pay", _("Pay too low")
    DISTANCE = "distance", _("Too far away")
    HOURS = "hours", _("Working hours do not suit")
    CONDITIONS = "conditions", _("Working conditions")
    FOUND_JOB = "found_job", _("Found a job elsewhere")
    NOT_SEEKING = "not_seeking", _("No longer looking for work")
    NO_RESPONSE = "no_response", _("Did not answer in time (automatic)")
    OTHER = "other", _("Other")


class RejectReason(models.TextChoices):
    """The employer's side."""

    FILLED = "filled", _("Position already filled")
    QUALIFICATIONS = "qualifications", _("Qualifications do not fit")
    EXPERIENCE = "experience", _("Not enough experience")
    LANGUAGE = "language", _("Language")
    NO_SHOW = "no_show", _("Did not come to the interview")
    UNREACHABLE = "unreachable", _("Could not reach the seeker")
    OTHER = "other", _("Other")


class WithdrawReason(models.TextChoices):
    HIRED_ELSEWHERE = "hired_elsewhere", _("Hired elsewhere (automatic)")
    VACANCY_CLOSED = "vacancy_closed", _("Vacancy no longer open")
    NOT_SEEKING = "not_seeking", _("Person no longer looking for work")
    MISTAKE = "mistake", _("Recorded by mistake")


class MatchRun(models.Model):
    """One matching run: the nightly batch (one row per district partition) or on demand."""

    class Kind(models.TextChoices):
        BATCH = "batch", _("Nightly batch")
        PERSON = "person", _("One person")
        VACANCY = "vacancy", _("One vacancy")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The nightly batch shares one label across its partitions ("2026-11-28").
    batch_label = models.CharField(max_length=20, blank=True, db_index=True)
    district = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seekers = models.PositiveIntegerField(_("seekers"), default=0)
    vacancies = models.PositiveIntegerField(_("vacancies"), default=0)
    created = models.PositiveIntegerField(_("recommendations made"), default=0)
    short = models.PositiveIntegerField(_("seekers with fewer than the target"), default=0)
    stats = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self):
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M}"


class Recommendation(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("person")
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("vacancy"),
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.MATCHED)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    run = models.ForeignKey(MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    # The engine's verdict when matched: total, weighted contribution per factor
    # (matching.engine.FACTORS) and the raw facts behind the explanation sentences.
    score = models.FloatField(_("score"))
    factors = models.JSONField(_("factor contributions"), default=dict)
    facts = models.JSONField(default=dict)

    matched_at = models.DateTimeField(_("matched"), auto_now_add=True)
    # Set on the first step past "matched"; the 1:5 ratio counts these (§5.3).
    shown_at = models.DateTimeField(_("shown"), null=True, blank=True)
    referred_at = models.DateTimeField(_("referred"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # When the current waiting step expires (set on entering it, never on other edits).
    step_deadline = models.DateField(_("answer due"), null=True, blank=True, db_index=True)

    decline_reason = models.CharField(
        _("seeker's reason"), max_length=15, choices=DeclineReason.choices, blank=True
    )
    reject_reason = models.CharField(
        _("employer's reason"), max_length=15, choices=RejectReason.choices, blank=True
    )
    withdraw_reason = models.CharField(
        _("reason withdrawn"), max_length=16, choices=WithdrawReason.choices, blank=True
    )
    interview_on = models.DateField(_("interview date"), null=True, blank=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    # After a hire: when the counsellor checks how the job is going (§5.4.3).
    follow_up_on = models.DateField(_("follow-up due"), null=True, blank=True)
    # Set when the counsellor records that follow-up; it then leaves the follow-up worklist.
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-matched_at", "-id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [
            models.Index(fields=["person", "state"]),
            models.Index(fields=["vacancy", "state"]),
            models.Index(fields=["state", "step_deadline"]),
            models.Index(fields=["person", "shown_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "vacancy"],
                condition=~Q(state__in=["declined", "rejected", "hired", "not_hired", "withdrawn"]),
                name="one_open_recommendation_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(state="hired") | Q(hired_on__isnull=False), name="hired_recommendation_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""), name="declined_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(reject_reason=""), name="rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | ~Q(withdraw_reason=""), name="withdrawn_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["matched", "withdrawn"]) | Q(shown_at__isnull=False),
                name="past_matched_was_shown",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["referred", "interview", "no_response", "hired", "not_hired"])
                | Q(referred_at__isnull=False),
                name="employer_steps_were_referred",
            ),
        ]

    def __str__(self):
        return f"{self.person_id}→{self.vacancy_id} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Step(models.Model):
    """The transition log: from, to, when, who (null = the system), which side acted, why."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, choices=State.choices)
    to_state = models.CharField(max_length=12, choices=State.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    side = models.CharField(max_length=12, choices=Side.choices)
    reason = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.recommendation_id} {self.from_state}→{self.to_state}"
