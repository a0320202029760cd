"""Walk the audit chain and say where it was tampered with (manage.py verify_audit)."""

import datetime
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from audit import chain
from audit.models import AuditChainHead, AuditCheckpoint, AuditEntry, AuditVerification

CHUNK = 2000


@dataclass
class Verification:
    ok: bool = True
    checked: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    # Informational lines (where the chain starts) and problems (tampering found).
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def problem(self, message: str):
        self.ok = False
        self.problems.append(message)


def _when(entry) -> str:
    return chain.utc_iso(entry.at)


def verify_chain() -> Verification:
    result = Verification()
    checkpoint = AuditCheckpoint.objects.order_by("-seq").first()
    expected_seq, expected_prev = 1, chain.GENESIS
    if checkpoint:
        expected_seq, expected_prev = checkpoint.seq + 1, checkpoint.entry_hash
        result.notes.append(
            _("chain starts at seq %(seq)s after purge checkpoint %(hash)s")
            % {"seq": expected_seq, "hash": checkpoint.entry_hash}
        )
    key = chain.chain_key()
    # The head is read first: entries appended while the walk runs are left for next time.
    head = AuditChainHead.objects.filter(pk=chain.HEAD_PK).first()
    entries = AuditEntry.objects.order_by("seq")
    if head is not None:
        entries = entries.filter(seq__lte=head.seq)
    for entry in entries.iterator(chunk_size=CHUNK):
        result.checked += 1
        if result.first_seq is None:
            result.first_seq = entry.seq
        result.last_seq = entry.seq
        linked = True
        if entry.seq < expected_seq:
            result.problem(
                _("entry seq %(seq)s (id %(id)s) lies before the purge checkpoint or repeats a number")
                % {"seq": entry.seq, "id": entry.pk}
            )
            linked = False
        elif entry.seq > expected_seq:
            result.problem(
                _("entries seq %(first)s..%(last)s deleted") % {"first": expected_seq, "last": entry.seq - 1}
            )
            linked = False
        if chain.entry_hash(entry, key) != entry.entry_hash:
            result.problem(
                _("entry seq %(seq)s (id %(id)s, time %(at)s) was edited")
                % {"seq": entry.seq, "id": entry.pk, "at": _when(entry)}
            )
        elif linked and entry.prev_hash != expected_prev:
            result.problem(
                _("entry seq %(seq)s (id %(id)s, time %(at)s) does not follow the entry before it")
                % {"seq": entry.seq, "id": entry.pk, "at": _when(entry)}
            )
        expected_seq, expected_prev = entry.seq + 1, entry.entry_hash
    _check_head(result, head, expected_seq - 1, expected_prev)
    return result


def _check_head(result: Verification, head, last_seq: int, last_hash: str):
    """The head names the last entry ever sealed: entries missing at the end show here."""
    if head is None:
        if result.checked:
            result.problem(_("the chain head is missing"))
        return
    if head.seq == 0:
        return
    if head.seq > last_seq:
        result.problem(
            _("entries seq %(first)s..%(last)s deleted") % {"first": last_seq + 1, "last": head.seq}
        )
    elif head.seq < last_seq or head.entry_hash != last_hash:
        result.problem(
            _("the chain head (seq %(seq)s) does not match the last entry (seq %(last)s)")
            % {"seq": head.seq, "last": last_seq}
        )


def verify_lines(lines) -> Verification:
    """Check an exported JSON-lines file (audit page, format=jsonl): each line's hash, and
    the links between consecutive lines. Gaps are expected where the export was filtered."""
    result = Verification()
    key = chain.chain_key()
    previous = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            entry = _ExportedEntry(row)
        except (ValueError, KeyError, TypeError):
            result.problem(_("line %(n)s is not an exported audit entry") % {"n": number})
            continue
        result.checked += 1
        result.first_seq = result.first_seq or entry.seq
        result.last_seq = entry.seq
        if chain.entry_hash(entry, key) != row["entry_hash"]:
            result.problem(
                _("entry seq %(seq)s (line %(n)s, time %(at)s) was edited")
                % {"seq": entry.seq, "n": number, "at": row["at"]}
            )
        elif previous and previous[0] + 1 == entry.seq and previous[1] != entry.prev_hash:
            result.problem(_("entry seq %(seq)s does not follow the entry before it") % {"seq": entry.seq})
        previous = (entry.seq, row["entry_hash"])
    return result


class _ExportedEntry:
    """An exported line shaped like an entry for chain.content (times already UTC ISO)."""

    def __init__(self, row: dict):
        self.seq = int(row["seq"])
        self.at = datetime.datetime.fromisoformat(row["at"])
        self.actor_id = row["actor"]
        self.actor_username = row["actor_username"]
        self.action = row["action"]
        self.object_type = row["object_type"]
        self.object_id = row["object_id"]
        self.object_repr = row["object_repr"]
        self.changes = row["changes"]
        self.ip_address = row["ip"]
        self.note = row["note"]
        self.prev_hash = row["prev_hash"]


def record(result: Verification) -> AuditVerification:
    return AuditVerification.objects.create(
        ok=result.ok,
        checked=result.checked,
        first_seq=result.first_seq,
        last_seq=result.last_seq,
        problems=result.problems,
    )


def last_verification() -> AuditVerification | None:
    return AuditVerification.objects.order_by("-at", "-id").first()
