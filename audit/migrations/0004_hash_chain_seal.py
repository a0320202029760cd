from django.db import migrations, models

from audit import dbguard


def install_guard(apps, schema_editor):
    dbguard.install(schema_editor.connection)


def uninstall_guard(apps, schema_editor):
    dbguard.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    """Every entry numbered: seq becomes required and unique; then the append-only triggers."""

    dependencies = [("audit", "0003_hash_chain_backfill")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="sequence number"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("login", "Signed in"),
                    ("logout", "Signed out"),
                    ("login_failed", "Failed sign-in"),
                    ("locked_out", "Locked out"),
                    ("view_personal", "Viewed personal data"),
                    ("export", "Exported"),
                    ("audit_purge", "Audit trail purged"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(install_guard, uninstall_guard),
    ]
