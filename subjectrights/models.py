"""Data-subject requests (GB/T 35273-2020 §8; SPEC §7): access, correction, deletion, a copy
of one's data, account cancellation. Each is tracked against its deadline from receipt."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to my data")
    CORRECTION = "correction", _("Correction of my data")
    DELETION = "deletion", _("Deletion of my data")
    COPY = "copy", _("A copy of my data")
    ACCOUNT_CANCELLATION = "account_cancellation", _("Cancellation of my account")


# core.channels.IntakeChannel names where job information comes from (job fairs, employer
# self-service); a request from a person arrives by one of these.
class RequestChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    LETTER = "letter", _("Letter")


class VerificationMethod(models.TextChoices):
    ID_CARD_SEEN = "id_card_seen", _("Resident ID card seen")
    FACE_TO_FACE = "face_to_face", _("Known face to face")
    PHONE_CALLBACK = "phone_callback", _("Called back on the phone number on file")
    ONLINE_REAL_NAME = "online_real_name", _("Online real-name authentication")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Identity verified")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATES = frozenset({State.RECEIVED, State.VERIFIED})


class RefusalReason(models.TextChoices):
    """The grounds GB/T 35273 §8.6 allows for not answering a request."""

    IDENTITY_UNCONFIRMED = "identity_unconfirmed", _("The person's identity could not be confirmed")
    LEGAL_OBLIGATION = "legal_obligation", _("The law requires the records to be kept")
    PUBLIC_INTEREST = "public_interest", _("Public security, public health or a criminal investigation")
    UNFOUNDED = "unfounded", _("Manifestly unfounded or excessive (repeated) request")
    OTHERS_RIGHTS = "others_rights", _("Answering would harm the rights of others")
    OTHER = "other", _("Other reason (explained in the note)")


class SubjectRequest(models.Model):
    # PROTECT: a person's row is anonymised, never deleted, and the request outlives that
    # as the evidence that the request was answered.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="subject_requests", verbose_name=_("person")
    )
    # The person's unit when the request came in. Scope follows the person (like the work
    # item, which moves with them on transfer), so the receiving unit's staff can answer it.
    unit = models.ForeignKey(
        "network.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("received at")
    )
    kind = models.CharField(_("request"), max_length=25, choices=RequestKind.choices)
    channel = models.CharField(_("received through"), max_length=12, choices=RequestChannel.choices)
    received_on = models.DateField(_("received on"))
    # Stored at receipt (received_on + DATA_SUBJECT_REQUEST_DAYS calendar days), never recomputed.
    due_on = models.DateField(_("answer due"))
    details = models.TextField(_("what the person asked"), max_length=2000)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RECEIVED)
    verification_method = models.CharField(
        _("identity verified by"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)

    refusal_reason = models.CharField(
        _("reason for refusal"), max_length=25, choices=RefusalReason.choices, blank=True
    )
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    # For a correction: the person's fields changed between receipt and completion (names
    # only; the values are in the audit trail, masked where personal).
    changed_fields = models.JSONField(_("fields corrected"), default=list, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    completed_on = models.DateField(_("answered on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="subject_request_due_after_receipt"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["verified", "completed"])
                | (~Q(verification_method="") & Q(verified_at__isnull=False)),
                name="subject_request_completed_was_verified",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(refusal_reason=""),
                name="subject_request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["received", "verified"]) | Q(completed_on__isnull=False),
                name="subject_request_answered_has_date",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Step(models.Model):
    """Every state change of a request: from, to, when, who and why."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField(_("action"), max_length=12)
    from_state = models.CharField(max_length=10, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=State.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    SCOPE_UNIT_FIELD = "request__person__unit"

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("data-subject request step")
        verbose_name_plural = _("data-subject request steps")

    def __str__(self):
        return f"{self.request_id} {self.from_state}→{self.to_state}"
