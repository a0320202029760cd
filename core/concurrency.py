"""Optimistic locking: every editable record carries `version`; a save names the version it read."""

from django.db.models import F, Model

from core.errors import ConcurrentEdit


def save_with_version(instance: Model, *, expected_version: int, fields: list[str]) -> None:
    """Write `fields` only if nobody saved the row since `expected_version` was read.

    A conditional UPDATE is atomic in both SQLite and PostgreSQL, so two writers that
    read the same version cannot both succeed.
    """
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise ConcurrentEdit()
    instance.version = expected_version + 1
