"""The audit trail's hash chain (SPEC §7; GB/T 22239-2019 level 3, 8.1.4.3: audit records
protected from deletion, modification and overwriting).

entry_hash = HMAC-SHA256(key, canonical JSON of the entry's content and prev_hash). The key
is settings.AUDIT_CHAIN_KEY (or, when unset, derived from SECRET_KEY), so someone who can
write to the database but does not hold the key cannot recompute a consistent chain.

The canonical form is a contract: the backfill migration and every verification depend on
it. Change it only with a new chain (and a checkpoint), never in place.
"""

import datetime
import hashlib
import hmac
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
HEAD_PK = 1


def chain_key() -> bytes:
    key = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if key:
        return key.encode()
    return hashlib.sha256(b"lhasa-audit-chain:" + settings.SECRET_KEY.encode()).digest()


def _canonical_number(value):
    # PostgreSQL's jsonb reads 1e16 back as 10000000000000000: an integral float and the
    # int must hash the same.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canonical_number(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical_number(v) for v in value]
    return value


def plain_json(value):
    """What a JSONField gives back after storing `value`: the form that is hashed and stored."""
    return _canonical_number(json.loads(json.dumps(value, cls=DjangoJSONEncoder)))


def utc_iso(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def content(entry) -> dict:
    """The hashed fields of an entry (a model instance or anything with the same attributes)."""
    return {
        "seq": entry.seq,
        "at": utc_iso(entry.at),
        "actor": entry.actor_id,
        "actor_username": entry.actor_username,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": _canonical_number(entry.changes),
        "ip": entry.ip_address or None,
        "note": entry.note,
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry, key: bytes | None = None) -> str:
    message = json.dumps(content(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key or chain_key(), message.encode(), hashlib.sha256).hexdigest()


def locked_head() -> AuditChainHead:
    """The chain head, locked until the surrounding transaction ends (serialises appenders).

    Made on first need (a fresh or flushed database) from the last entry, if any.
    """
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:
        last = AuditEntry.objects.order_by("-seq").only("seq", "entry_hash").first()
        AuditChainHead.objects.get_or_create(
            pk=HEAD_PK,
            defaults={"seq": last.seq if last else 0, "entry_hash": last.entry_hash if last else ""},
        )
        head = AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
    return head


@transaction.atomic
def append(**fields) -> AuditEntry:
    """Seal one entry onto the end of the chain. The lock on the head is held until the
    caller's transaction commits, so the entry and the change it records commit together."""
    head = locked_head()
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        prev_hash=head.entry_hash or GENESIS,
        **fields,
    )
    entry.changes = plain_json(entry.changes or {})
    # Hash the address as the database will store it (IPv6 compressed, blank as NULL).
    entry.ip_address = AuditEntry._meta.get_field("ip_address").get_prep_value(entry.ip_address) or None
    entry.entry_hash = entry_hash(entry)
    entry.save()
    AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=entry.seq, entry_hash=entry.entry_hash)
    return entry
