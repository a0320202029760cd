"""Writing the audit trail. Services call `audit_change`; auth hooks call `audit_event`.

These two are the only writers: each entry is sealed onto the hash chain (audit.chain)."""

import datetime
import decimal

from django.db.models import Model

from audit import chain
from audit.models import Action, AuditEntry
from core import clientip

MASK = "******"


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def snapshot(instance: Model) -> dict:
    """Field values of a record, with personal fields masked, ready for JSON."""
    masked = set(getattr(instance, "AUDIT_MASKED_FIELDS", ()))
    values = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if field.name in masked:
            value = MASK if value else ""
        values[field.name] = _plain(value)
    return values


def diff(before: dict, after: dict) -> dict:
    keys = sorted(set(before) | set(after))
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in keys
        if before.get(key) != after.get(key) and key != "version"
    }


def client_ip(request) -> str | None:
    # Proxy-aware, trusted as far as settings allow (core.clientip).
    if request is None:
        return None
    return clientip.client_ip(request)


def audit_change(
    *, actor, action: str, instance: Model, before: dict | None = None, request=None, note: str = ""
) -> AuditEntry:
    after = {} if action == Action.DELETE else snapshot(instance)
    return chain.append(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=diff(before or {}, after),
        ip_address=client_ip(request),
        note=note[:300],
    )


def audit_event(*, action: str, username: str, actor=None, request=None, note: str = "") -> AuditEntry:
    return chain.append(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=(username or "")[:150],
        action=action,
        ip_address=client_ip(request),
        note=note[:300],
    )
