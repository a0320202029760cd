"""Re-encrypting stored values under the current key, and recomputing blind indexes.

Used by `rotate_encryption_keys`. Values are read raw (as stored tokens, never
through the field's decryption) and written raw, so a value is encrypted exactly
once and a value that cannot be opened is reported and left as it is.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.db.models import Model, TextField, Value
from django.db.models.functions import Cast

from privacy import crypto
from privacy.fields import EncryptedTextField


@dataclass
class Tally:
    label: str
    changed: int = 0
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)


def encrypted_fields() -> dict[type[Model], list[EncryptedTextField]]:
    """Every model with an encrypted column, with those columns (own table only)."""
    found = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found[model] = fields
    return found


def _raw(name: str) -> Cast:
    # Cast to a plain TextField so the encrypted field's from_db_value does not run.
    return Cast(name, output_field=TextField())


def _each_batch(model, columns: dict[str, str], batch_size: int, handle) -> None:
    """Call handle([(pk, {alias: raw value}), ...]) per batch in pk order, each batch
    read (rows locked where the database can) and rewritten in one transaction."""
    last_pk = None
    while True:
        with transaction.atomic():
            rows = model._base_manager.order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            rows = rows.select_for_update().annotate(**{alias: _raw(name) for alias, name in columns.items()})
            batch = list(rows.values_list("pk", *columns)[:batch_size])
            if not batch:
                return
            handle([(row[0], dict(zip(columns, row[1:], strict=True))) for row in batch])
        last_pk = batch[-1][0]


def _write_raw(model, pk, values: dict[str, str]) -> None:
    # A Value with a plain TextField output skips the encrypted field's get_prep_value.
    model._base_manager.filter(pk=pk).update(
        **{name: Value(token, output_field=TextField()) for name, token in values.items()}
    )


def _reencrypt(token: str, context: str, ring: crypto.Keyring) -> str:
    plain = crypto.decrypt(token, context=context, keyring=ring)
    new = crypto.encrypt(plain, context=context, keyring=ring)
    # Never write a value we could not read back.
    if crypto.decrypt(new, context=context, keyring=ring) != plain:
        raise crypto.DecryptionError("re-encrypted value does not read back")
    return new


def rotate_model(
    model, fields: list[EncryptedTextField], *, ring: crypto.Keyring, batch_size: int, dry_run: bool
) -> Tally:
    tally = Tally(label=model._meta.label)
    by_alias = {f"raw_{f.attname}": f for f in fields}

    def handle(batch):
        for pk, raw in batch:
            updates = {}
            for alias, token in raw.items():
                if token in (None, ""):
                    continue
                enc_field = by_alias[alias]
                try:
                    if crypto.is_current(token, keyring=ring):
                        # Still prove it opens, so a bad value is reported, not silently kept.
                        crypto.decrypt(token, context=enc_field.crypto_context, keyring=ring)
                        tally.unchanged += 1
                        continue
                    new = _reencrypt(token, enc_field.crypto_context, ring)
                except crypto.DecryptionError as exc:
                    tally.failures.append(f"{model._meta.label} pk={pk} {enc_field.attname}: {exc}")
                    continue
                updates[enc_field.attname] = new
                tally.changed += 1
            if updates and not dry_run:
                _write_raw(model, pk, updates)

    _each_batch(model, {alias: f.attname for alias, f in by_alias.items()}, batch_size, handle)
    return tally


def reindex_persons(*, ring: crypto.Keyring, batch_size: int, dry_run: bool) -> Tally:
    """Recompute people.Person's blind indexes after BLIND_INDEX_KEY changed."""
    from people import derived

    person = apps.get_model("people", "Person")
    tally = Tally(label=f"{person._meta.label} blind indexes")
    id_context = person._meta.get_field("id_number").crypto_context
    phone_context = person._meta.get_field("phone").crypto_context
    columns = {
        "raw_id": "id_number",
        "raw_phone": "phone",
        "id_index": "id_number_index",
        "phone_idx": "phone_index",
    }

    def handle(batch):
        for pk, row in batch:
            try:
                id_number = crypto.decrypt(row["raw_id"], context=id_context, keyring=ring)
                phone = row["raw_phone"] and crypto.decrypt(
                    row["raw_phone"], context=phone_context, keyring=ring
                )
            except crypto.DecryptionError as exc:
                tally.failures.append(f"{person._meta.label} pk={pk}: {exc}")
                continue
            # The same helpers the search box uses, so a full-ID or phone search finds the row.
            wanted = {
                "id_number_index": derived.id_lookup_key(id_number),
                "phone_index": derived.phone_lookup_key(phone) if phone else "",
            }
            if wanted == {"id_number_index": row["id_index"], "phone_index": row["phone_idx"] or ""}:
                tally.unchanged += 1
                continue
            tally.changed += 1
            if not dry_run:
                person._base_manager.filter(pk=pk).update(**wanted)

    _each_batch(person, columns, batch_size, handle)
    return tally
