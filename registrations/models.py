"""Employment and unemployment registration (就业登记/失业登记, §5.7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment registration")
    UNEMPLOYMENT = "unemployment", _("Unemployment registration")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSURE_PROPOSED = "closure_proposed", _("Closure proposed")
    CLOSED = "closed", _("Closed")


class EmploymentType(models.TextChoices):
    EMPLOYEE = "employee", _("Employed by an employer")
    SELF_EMPLOYED = "self_employed", _("Self-employed / own business")
    FLEXIBLE = "flexible", _("Flexible employment")
    PUBLIC_POST = "public_post", _("Public-welfare post")


class CloseReason(models.TextChoices):
    """Kept for ever: a retired reason leaves the forms but stays readable."""

    EMPLOYED = "employed", _("Found employment")
    SELF_EMPLOYED = "self_employed", _("Started own business")
    RETIRED = "retired", _("Reached retirement")
    NO_CONTACT = "no_contact_6_months", _("No contact for 6 months")
    ENTERED_EDUCATION = "entered_education", _("Entered full-time education")
    ENLISTED = "enlisted", _("Enlisted in the army")
    MOVED_AWAY = "moved_away", _("Moved out of the area")
    DECEASED = "deceased", _("Deceased")
    LEFT_JOB = "left_job", _("Left the job")
    OTHER = "other", _("Other")


UNEMPLOYMENT_CLOSE_REASONS = [
    CloseReason.EMPLOYED,
    CloseReason.SELF_EMPLOYED,
    CloseReason.RETIRED,
    CloseReason.NO_CONTACT,
    CloseReason.ENTERED_EDUCATION,
    CloseReason.ENLISTED,
    CloseReason.MOVED_AWAY,
    CloseReason.DECEASED,
    CloseReason.OTHER,
]
EMPLOYMENT_CLOSE_REASONS = [
    CloseReason.LEFT_JOB,
    CloseReason.RETIRED,
    CloseReason.MOVED_AWAY,
    CloseReason.OTHER,
]
# Closing for this reason is only ever proposed; the station head decides.
PROPOSAL_ONLY_REASONS = frozenset({CloseReason.NO_CONTACT})


class Registration(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("registered at")
    )
    registered_on = models.DateField(_("registered on"))
    # Employment registration: who employs them and how.
    employment_type = models.CharField(
        _("employment type"), max_length=15, choices=EmploymentType.choices, blank=True
    )
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    employer_credit_code = models.CharField(_("employer credit code"), max_length=18, blank=True)
    job_title = models.CharField(_("job"), max_length=100, blank=True)
    # Unemployment registration: why they are out of work.
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=25, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=~Q(status="closed"),
                name="one_open_registration_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) & ~Q(close_reason="")
                | ~Q(status="closed") & Q(closed_on__isnull=True),
                name="closed_registration_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="closure_proposed") | ~Q(close_reason=""),
                name="proposal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.registered_on}"
