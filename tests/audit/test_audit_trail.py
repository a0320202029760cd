import pytest
from django.test import Client

from accounts.services import staff_update
from audit.models import Action, AuditEntry
from audit.services import audit_event
from network.models import OrgUnit
from network.services import orgunit_update


def test_update_records_who_what_before_and_after(personas):
    unit = OrgUnit.objects.get(code="540102002")
    orgunit_update(
        acting_user=personas["sysadmin"],
        unit=unit,
        expected_version=unit.version,
        address="拉萨市城关区八廓街1号",
    )
    entry = AuditEntry.objects.get(
        object_type="network.orgunit", object_id=str(unit.pk), action=Action.UPDATE
    )
    assert entry.actor == personas["sysadmin"]
    assert entry.changes["address"] == {"before": "", "after": "拉萨市城关区八廓街1号"}
    assert "version" not in entry.changes


def test_personal_fields_are_masked(personas):
    user = personas["counsellor_jiri"]
    staff_update(
        acting_user=personas["sysadmin"], user=user, expected_version=user.version, phone="13812345678"
    )
    entry = AuditEntry.objects.filter(object_type="accounts.user", action=Action.UPDATE).latest("id")
    assert entry.changes["phone"]["after"] == "******"
    assert "13812345678" not in str(entry.changes)


def test_entries_are_append_only(personas):
    entry = audit_event(action=Action.LOGIN, username="x")
    entry.note = "tampered"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.parametrize(
    "persona", ["sysadmin", "secadmin", "city", "counsellor_chengguan", "district_chengguan"]
)
def test_only_the_audit_administrator_reads_the_trail(personas, page_client, persona):
    assert page_client(personas[persona]).get("/audit/").status_code == 403


def test_audit_administrator_filters_and_exports(personas, page_client):
    client = Client()
    client.post("/accounts/login/", {"username": "city", "password": "wrong"})
    auditor = page_client(personas["auditadmin"])
    response = auditor.get("/audit/", {"action": "login_failed"})
    assert response.status_code == 200
    assert "city" in response.content.decode()
    export = auditor.get("/audit/", {"action": "login_failed", "format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action=Action.EXPORT, actor_username="auditadmin").exists()
