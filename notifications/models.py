"""The push record (§5.4.1) and in-app notices to accounts.

Every push of a job or training item to a person is one `Push` row: item, channel,
time and delivery status. The 1:4 ratio (SPEC §3) is counted from these rows, so one
item goes to one person on one channel at most once (`dedupe_key`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    VACANCY = "vacancy", _("Vacancy")
    COURSE = "course", _("Training course")
    POLICY = "policy", _("Policy")


class Channel(models.TextChoices):
    DATABASE = "database", _("In-app record")
    CONSOLE = "console", _("Console (test)")
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")


class PushStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    # Claimed by one delivery run; the send happens outside the row lock (see tasks.py).
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class CancelReason(models.TextChoices):
    BY_STAFF = "by_staff", _("Cancelled by staff")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent to this channel withdrawn")


# Statuses after which nothing is sent any more.
FINAL_STATUSES = frozenset({PushStatus.SENT, PushStatus.FAILED, PushStatus.CANCELLED})


def dedupe_key(*, person_id: int, item_type: str, item_id: int, channel: str) -> str:
    return f"{person_id}:{item_type}:{item_id}:{channel}"


class Push(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="pushes", verbose_name=_("person")
    )
    item_type = models.CharField(_("item"), max_length=10, choices=ItemType.choices)
    item_id = models.PositiveBigIntegerField(_("item number"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    # Public address of the item (the WeChat template message links to it).
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(
        _("delivery status"), max_length=10, choices=PushStatus.choices, default=PushStatus.PENDING
    )
    cancel_reason = models.CharField(
        _("why cancelled"), max_length=20, choices=CancelReason.choices, blank=True, default=""
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("pushed"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Null: pushed by the system, not by a member of staff.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    dedupe_key = models.CharField(max_length=120, unique=True, editable=False)

    SCOPE_UNIT_FIELD = "person__unit"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        indexes = [
            models.Index(fields=["person", "created_at"]),
            # The monthly ratio counts sent pushes by person and month.
            models.Index(fields=["person", "status", "sent_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sent_push_has_sent_at"
            ),
        ]

    def __str__(self):
        return self.dedupe_key


class Notice(models.Model):
    """An in-app message to a staff or employer account, rendered in the account's language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self):
        return f"{self.user_id} {self.kind}"
