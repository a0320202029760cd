from django.db import migrations

from audit import chain

BATCH = 2000


def backfill(apps, schema_editor):
    """Number and seal the entries written before the chain, in id order (their write order)."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    key = chain.chain_key()
    seq, prev = 0, chain.GENESIS
    pending = []
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=BATCH):
        seq += 1
        entry.seq = seq
        entry.prev_hash = prev
        entry.changes = chain.plain_json(entry.changes or {})
        entry.entry_hash = chain.entry_hash(entry, key)
        prev = entry.entry_hash
        pending.append(entry)
        if len(pending) >= BATCH:
            AuditEntry.objects.bulk_update(pending, ["seq", "prev_hash", "changes", "entry_hash"])
            pending = []
    if pending:
        AuditEntry.objects.bulk_update(pending, ["seq", "prev_hash", "changes", "entry_hash"])
    AuditChainHead.objects.update_or_create(pk=chain.HEAD_PK, defaults={"seq": seq, "entry_hash": prev if seq else ""})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain_fields")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
