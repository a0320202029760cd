"""The personal-data access log page: the audit administrator's, with filters and export."""

import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from audit.models import Action, AuditEntry
from people.services import person_reveal
from privacy.models import AccessKind
from privacy.selectors import access_list
from privacy.services import access_log
from tests.factories import person

URL = "/privacy/access/"


@pytest.fixture
def logged(personas):
    """Two reveals on two days by two counsellors, and one list export."""
    barkhor = person(user=personas["counsellor_chengguan"], sequence=1)
    linzhou = person(
        user=personas["counsellor_linzhou"],
        unit_code="540121100",
        sequence=2,
        name_zh="次仁",
        name_bo="ཚེ་རིང་།",
    )
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):
        person_reveal(acting_user=personas["counsellor_chengguan"], person=barkhor, reason="电话回访核实身份")
    with time_machine.travel("2026-03-10 15:30 +0800", tick=False):
        person_reveal(acting_user=personas["counsellor_linzhou"], person=linzhou, reason="上门走访 ཁྱིམ་སྐོར།")
        access_log(
            user=personas["head_chengguan"],
            kind=AccessKind.EXPORT,
            subject_type="person",
            record_count=42,
            fields=["id_number", "phone"],
            reason="季度核查",
            query="status=unemployed",
        )
    return {"barkhor": barkhor, "linzhou": linzhou}


def test_audit_administrator_sees_reveals(personas, page_client, logged):
    response = page_client(personas["auditadmin"]).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "counsellor_chengguan" in body
    assert "电话回访核实身份" in body
    assert "上门走访 ཁྱིམ་སྐོར།" in body
    assert f"person #{logged['barkhor'].pk}" in body
    assert "42" in body
    # Never the values themselves.
    assert logged["barkhor"].id_number not in body


@pytest.mark.parametrize(
    "persona", ["counsellor_chengguan", "head_chengguan", "city", "sysadmin", "secadmin"]
)
def test_others_are_refused(personas, page_client, logged, persona):
    client = page_client(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"format": "xlsx"}).status_code == 403


def test_selector_refuses_others(personas):
    with pytest.raises(PermissionDenied):
        access_list(user=personas["sysadmin"])
    assert access_list(user=personas["auditadmin"]).count() == 0


def test_anonymous_is_refused(client):
    # Like every permission-guarded page here: no session, no permission, 403.
    assert client.get(URL).status_code == 403


def _reasons(response) -> set[str]:
    body = response.content.decode()
    return {r for r in ("电话回访核实身份", "上门走访 ཁྱིམ་སྐོར།", "季度核查") if r in body}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"username": "counsellor_linzhou"}, {"上门走访 ཁྱིམ་སྐོར།"}),
        ({"username": "COUNSELLOR"}, {"电话回访核实身份", "上门走访 ཁྱིམ་སྐོར།"}),
        ({"kind": "export"}, {"季度核查"}),
        ({"kind": "view"}, {"电话回访核实身份", "上门走访 ཁྱིམ་སྐོར།"}),
        ({"subject_type": "person"}, {"电话回访核实身份", "上门走访 ཁྱིམ་སྐོར།", "季度核查"}),
        ({"date_from": "2026-03-10"}, {"上门走访 ཁྱིམ་སྐོར།", "季度核查"}),
        ({"date_to": "2026-03-09"}, {"电话回访核实身份"}),
        ({"date_from": "2026-03-11"}, set()),
    ],
)
def test_filters(personas, page_client, logged, params, expected):
    response = page_client(personas["auditadmin"]).get(URL, params)
    assert response.status_code == 200
    assert _reasons(response) == expected


def test_filter_by_record_id(personas, page_client, logged):
    client = page_client(personas["auditadmin"])
    assert _reasons(client.get(URL, {"subject_id": logged["linzhou"].pk})) == {"上门走访 ཁྱིམ་སྐོར།"}


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-02-30"},
        {"date_to": "yesterday"},
        {"kind": "delete"},
        {"subject_type": "household"},
        {"date_from": "2026-03-10", "date_to": "2026-03-09"},
        {"username": "x" * 500},
        {"page": "999999999999999999999"},
    ],
)
def test_bad_filters_show_an_error_not_a_500(personas, page_client, logged, params):
    response = page_client(personas["auditadmin"]).get(URL, params)
    assert response.status_code == 200
    if "page" not in params:
        assert 'class="errorlist"' in response.content.decode()


def test_htmx_gets_only_the_results(personas, page_client, logged):
    response = page_client(personas["auditadmin"]).get(URL, {"kind": "export"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "季度核查" in body
    assert "<html" not in body


def test_export_is_itself_audited(personas, page_client, logged):
    response = page_client(personas["auditadmin"]).get(URL, {"kind": "view", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header and the two reveals
    flat = {str(value) for row in rows[1:] for value in row}
    assert {"电话回访核实身份", "上门走访 ཁྱིམ་སྐོར།", "counsellor_linzhou", "2026-03-10 15:30:00"} <= flat
    entry = AuditEntry.objects.get(action=Action.EXPORT, actor_username="auditadmin")
    assert "kind=view" in entry.note


def test_export_with_a_bad_filter_shows_the_error_instead(personas, page_client, logged):
    response = page_client(personas["auditadmin"]).get(URL, {"date_from": "not-a-date", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()
