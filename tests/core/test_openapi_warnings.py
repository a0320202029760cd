"""The OpenAPI document builds without warnings (clients generate code from it)."""

from django.core.management import call_command


def test_schema_generation_has_no_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/persons/" in target.read_text(encoding="utf-8")
