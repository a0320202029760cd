from django.db import migrations

from audit import dbguard


def install_guard(apps, schema_editor):
    dbguard.install(schema_editor.connection)


def uninstall_truncate_guard(apps, schema_editor):
    dbguard.uninstall_truncate_guard(schema_editor.connection)


class Migration(migrations.Migration):
    """PostgreSQL: TRUNCATE of the audit trail is refused too (a statement-level trigger)."""

    dependencies = [("audit", "0004_hash_chain_seal")]

    operations = [migrations.RunPython(install_guard, uninstall_truncate_guard)]
