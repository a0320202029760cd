from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    LOGIN = "login", _("Signed in")
    LOGOUT = "logout", _("Signed out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Locked out")
    VIEW_PERSONAL = "view_personal", _("Viewed personal data")
    EXPORT = "export", _("Exported")
    AUDIT_PURGE = "audit_purge", _("Audit trail purged")


class AuditQuerySet(models.QuerySet):
    """No bulk rewriting or removal through the ORM; the purge has its own way (audit.purge)."""

    def update(self, **kwargs):
        raise RuntimeError("Audit entries are append-only.")

    def delete(self):
        raise RuntimeError("Audit entries are append-only; old ones go only through purge_audit.")

    def bulk_create(self, *args, **kwargs):
        raise RuntimeError("Audit entries are written one by one through audit.services (the hash chain).")

    def bulk_update(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """Append-only record of who did what to which record, with before and after values.

    Entries form a hash chain (audit.chain): each one's entry_hash covers its content and
    the previous entry's hash, so an edited, inserted or removed entry shows in verify_audit.
    The database itself refuses UPDATE and DELETE (audit.dbguard), except the retention purge.
    """

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # No database constraint and no cascade: removing an account must not rewrite (or be
    # blocked by) history; the id stays as written and is part of the entry's hash.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text so the entry still names the actor if the account is removed.
    actor_username = models.CharField(_("account"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("record type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64)
    entry_hash = models.CharField(_("entry hash"), max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        # Append-only: an entry, once written, is never rewritten; and it is written only by
        # audit.chain.append, which seals it into the chain.
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        if not self.entry_hash:
            raise RuntimeError("Audit entries are written through audit.services (the hash chain).")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only.")


class AuditChainHead(models.Model):
    """The one row every append locks (select_for_update): the last entry's seq and hash.

    Two writers cannot both read the same head, so the chain never forks; and a removed
    tail of the trail shows as a head that no entry matches.
    """

    seq = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"head seq {self.seq}"


class AuditCheckpoint(models.Model):
    """Written by the retention purge before it deletes: where the remaining chain starts."""

    seq = models.PositiveBigIntegerField(_("last purged sequence number"), unique=True)
    entry_hash = models.CharField(_("last purged entry's hash"), max_length=64)
    purged = models.PositiveIntegerField(_("entries purged"))
    older_than = models.DateTimeField(_("purged entries older than"))
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor_username = models.CharField(_("account"), max_length=150, blank=True)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit purge checkpoint")
        verbose_name_plural = _("audit purge checkpoints")

    def __str__(self):
        return f"checkpoint seq {self.seq} ({self.purged} purged)"


class AuditVerification(models.Model):
    """The outcome of one verify_audit run, shown to the audit administrator."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    ok = models.BooleanField(_("chain intact"))
    checked = models.PositiveBigIntegerField(_("entries checked"))
    first_seq = models.PositiveBigIntegerField(null=True, blank=True)
    last_seq = models.PositiveBigIntegerField(null=True, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit chain verification")
        verbose_name_plural = _("audit chain verifications")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'BROKEN'}"
