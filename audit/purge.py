"""Retention of the audit trail: entries older than AUDIT_RETENTION_MONTHS may go
(manage.py purge_audit; dry run unless --wet-run). GB/T 22239-2019 8.1.4.3 asks for at
least six months, so nothing younger than AUDIT_RETENTION_MIN_MONTHS goes whatever the
setting says.

Only a prefix of the chain is removed (the oldest entries, up to the first one still to be
kept), after a checkpoint records the last removed seq and its hash: verify_audit then
checks the rest of the chain from there.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from audit import chain, dbguard
from audit.models import Action, AuditCheckpoint, AuditEntry


@dataclass
class PurgePlan:
    older_than: datetime.datetime
    count: int
    last_seq: int | None
    wet_run: bool = False


def retention_months() -> int:
    return max(settings.AUDIT_RETENTION_MONTHS, settings.AUDIT_RETENTION_MIN_MONTHS)


def cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - relativedelta(months=retention_months())


def _plan(older_than: datetime.datetime) -> PurgePlan:
    # Stop at the first entry to keep, even if some later one is older (a clock set back):
    # the chain must stay one unbroken run from the checkpoint on.
    first_kept = (
        AuditEntry.objects.filter(at__gte=older_than).order_by("seq").values_list("seq", flat=True).first()
    )
    old = AuditEntry.objects.filter(at__lt=older_than)
    if first_kept is not None:
        old = old.filter(seq__lt=first_kept)
    last_seq = old.order_by("-seq").values_list("seq", flat=True).first()
    count = AuditEntry.objects.filter(seq__lte=last_seq).count() if last_seq is not None else 0
    return PurgePlan(older_than=older_than, count=count, last_seq=last_seq)


def purge_audit(*, acting_user=None, username: str = "", wet_run: bool = False, now=None) -> PurgePlan:
    older_than = cutoff(now)
    if not wet_run:
        return _plan(older_than)
    with transaction.atomic():
        # Hold the head as appenders do: the chain does not move while its start is cut.
        chain.locked_head()
        plan = _plan(older_than)
        plan.wet_run = True
        if not plan.count:
            return plan
        last = AuditEntry.objects.get(seq=plan.last_seq)
        name = getattr(acting_user, "username", "") or username
        AuditCheckpoint.objects.create(
            seq=last.seq,
            entry_hash=last.entry_hash,
            purged=plan.count,
            older_than=older_than,
            actor_username=name,
        )
        with dbguard.deletes_allowed(connection):
            models.QuerySet.delete(AuditEntry.objects.filter(seq__lte=plan.last_seq))
        chain.append(
            actor=acting_user if getattr(acting_user, "pk", None) else None,
            actor_username=name[:150],
            action=Action.AUDIT_PURGE,
            note=f"purged {plan.count} entries up to seq {plan.last_seq}"
            f" (older than {chain.utc_iso(older_than)})",
        )
    return plan
