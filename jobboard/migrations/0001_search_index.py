"""Full-text index over vacancies' segmented search text (FTS5 on SQLite, GIN on PostgreSQL)."""

from django.db import migrations

from jobboard import index


def forward(apps, schema_editor):
    index.create(schema_editor.connection)


def backward(apps, schema_editor):
    index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("vacancies", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
