import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """The chain's columns and tables; seq stays nullable until 0003 has numbered the rows."""

    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("entry_hash", models.CharField(blank=True, max_length=64)),
            ],
            options={"verbose_name": "audit chain head"},
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(unique=True, verbose_name="last purged sequence number")),
                ("entry_hash", models.CharField(max_length=64, verbose_name="last purged entry's hash")),
                ("purged", models.PositiveIntegerField(verbose_name="entries purged")),
                ("older_than", models.DateTimeField(verbose_name="purged entries older than")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
                ("actor_username", models.CharField(blank=True, max_length=150, verbose_name="account")),
            ],
            options={
                "verbose_name": "audit purge checkpoint",
                "verbose_name_plural": "audit purge checkpoints",
                "ordering": ["-seq"],
            },
        ),
        migrations.CreateModel(
            name="AuditVerification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="time")),
                ("ok", models.BooleanField(verbose_name="chain intact")),
                ("checked", models.PositiveBigIntegerField(verbose_name="entries checked")),
                ("first_seq", models.PositiveBigIntegerField(blank=True, null=True)),
                ("last_seq", models.PositiveBigIntegerField(blank=True, null=True)),
                ("problems", models.JSONField(blank=True, default=list, verbose_name="problems")),
            ],
            options={
                "verbose_name": "audit chain verification",
                "verbose_name_plural": "audit chain verifications",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["-seq"], "verbose_name": "audit entry", "verbose_name_plural": "audit entries"},
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="sequence number"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="previous entry's hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(default="", max_length=64, verbose_name="entry hash"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True, verbose_name="time"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
    ]
