"""Bulk export with full values (GB/T 35273 §7.1): above the limit, a second person approves."""

import datetime
import io
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import ConcurrentEdit, NotAllowed
from privacy import services
from privacy.export_gate import download_url
from privacy.models import AccessKind, ApprovalState, ExportApproval, PersonalDataAccess
from tests.conftest import make_user
from tests.factories import person as make_person
from tests.factories import valid_id_number
from worklist.models import Kind, WorkItem

LIMIT = 10
REASON = "list for the job fair"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.PRIVACY = {
        **settings.PRIVACY,
        "BULK_EXPORT_APPROVAL_ROWS": LIMIT,
        "EXPORT_APPROVAL_VALID_HOURS": 24,
    }


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]


def register(personas, count: int) -> list:
    return [make_person(user=personas["counsellor_chengguan"], sequence=40 + n) for n in range(count)]


def full_export(client, **extra):
    return client.get("/people/", {"format": "xlsx", "full": "on", "reason": REASON, **extra})


def rows_of(response) -> list[list]:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def ask(page_client, head, personas, count: int = LIMIT + 1) -> ExportApproval:
    register(personas, count)
    response = full_export(page_client(head))
    approval = ExportApproval.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/privacy/export-approvals/{approval.pk}/"
    return approval


def approve(page_client, approver, approval) -> None:
    response = page_client(approver).post(
        f"/privacy/export-approvals/{approval.pk}/decide/",
        {"decision": "approve", "note": "ok", "version": approval.version},
    )
    assert response.status_code == 302
    approval.refresh_from_db()


def download(page_client, head, approval):
    parts = urlsplit(download_url(approval))
    params = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(parts.query).items()}
    return page_client(head).get(parts.path, params)


def test_up_to_the_limit_the_full_file_comes_at_once(personas, page_client, head):
    register(personas, LIMIT)
    rows = rows_of(full_export(page_client(head)))
    assert len(rows) == LIMIT + 1
    assert valid_id_number(sequence=40) in repr(rows)
    assert not ExportApproval.objects.exists()
    assert PersonalDataAccess.objects.get().record_count == LIMIT


def test_above_the_limit_a_request_goes_to_the_supervisor_and_no_file(personas, page_client, head):
    approval = ask(page_client, head, personas)
    assert (approval.state, approval.record_count, approval.reason) == (
        ApprovalState.PENDING,
        LIMIT + 1,
        REASON,
    )
    assert approval.requested_by == head and approval.unit == head.unit
    assert not PersonalDataAccess.objects.exists()
    item = WorkItem.objects.get(kind=Kind.EXPORT_APPROVAL)
    assert item.assignee == personas["district_chengguan"] and item.unit.code == "540102"
    assert item.source_id == approval.pk and item.is_open
    page = page_client(head).get(f"/privacy/export-approvals/{approval.pk}/").content.decode()
    assert "district_chengguan" in page  # who may decide is named
    assert AuditEntry.objects.filter(object_type="privacy.exportapproval", action="create").exists()


def test_asking_twice_for_the_same_export_keeps_one_request(personas, page_client, head):
    ask(page_client, head, personas)
    full_export(page_client(head))
    assert ExportApproval.objects.count() == 1
    assert WorkItem.objects.filter(kind=Kind.EXPORT_APPROVAL).count() == 1


def test_a_masked_export_above_the_limit_needs_no_approval(personas, page_client, head):
    register(personas, LIMIT + 1)
    rows = rows_of(page_client(head).get("/people/", {"format": "xlsx"}))
    assert len(rows) == LIMIT + 2
    assert not ExportApproval.objects.exists()


def test_the_requester_cannot_approve_their_own_request(personas, page_client, head):
    approval = ask(page_client, head, personas)
    with pytest.raises(NotAllowed):
        services.export_approval_decide(acting_user=head, approval=approval, approve=True, version=1)
    response = page_client(head).post(
        f"/privacy/export-approvals/{approval.pk}/decide/", {"decision": "approve", "version": 1}
    )
    assert response.status_code == 403
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING


@pytest.mark.parametrize("persona", ["district_linzhou", "counsellor_chengguan", "secadmin", "sysadmin"])
def test_no_one_but_a_supervisor_above_the_unit_may_decide(personas, page_client, head, persona):
    approval = ask(page_client, head, personas)
    with pytest.raises(NotAllowed):
        services.export_approval_decide(
            acting_user=personas[persona], approval=approval, approve=True, version=1
        )
    # The sibling district does not even see the request.
    status = page_client(personas[persona]).get(f"/privacy/export-approvals/{approval.pk}/").status_code
    assert status in (403, 404)
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING


def test_another_station_head_of_the_same_unit_may_not_decide(personas, page_client, head):
    approval = ask(page_client, head, personas)
    colleague = make_user("head_two", "station_head", "540102002")
    assert not services.may_decide(colleague, approval)
    assert services.may_decide(personas["city"], approval)


def test_approved_the_requester_downloads_once(personas, page_client, head):
    approval = ask(page_client, head, personas)
    approve(page_client, personas["district_chengguan"], approval)
    assert approval.state == ApprovalState.APPROVED and approval.decided_by == personas["district_chengguan"]
    assert not WorkItem.objects.get(kind=Kind.EXPORT_APPROVAL).is_open
    detail = page_client(head).get(f"/privacy/export-approvals/{approval.pk}/").content.decode()
    assert "approval=" in detail  # the download link
    rows = rows_of(download(page_client, head, approval))
    assert len(rows) == LIMIT + 2
    approval.refresh_from_db()
    assert approval.state == ApprovalState.USED and approval.used_at is not None
    log = PersonalDataAccess.objects.get()
    assert (log.kind, log.record_count, log.user) == (AccessKind.EXPORT, LIMIT + 1, head)
    assert REASON in log.reason and f"approval {approval.pk}" in log.reason
    assert "id_number" in log.fields.split(",")
    again = download(page_client, head, approval)
    assert again.status_code == 302
    assert PersonalDataAccess.objects.count() == 1


def test_only_the_requester_may_use_the_approval(personas, page_client, head):
    approval = ask(page_client, head, personas)
    approve(page_client, personas["district_chengguan"], approval)
    colleague = make_user("head_two", "station_head", "540102002")
    response = download(page_client, colleague, approval)
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.state == ApprovalState.APPROVED
    assert not PersonalDataAccess.objects.exists()


def test_an_expired_approval_is_refused(personas, page_client, head):
    approval = ask(page_client, head, personas)
    approve(page_client, personas["district_chengguan"], approval)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        response = download(page_client, head, approval)
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.state == ApprovalState.EXPIRED
    assert not PersonalDataAccess.objects.exists()


def test_more_persons_than_approved_is_refused(personas, page_client, head):
    approval = ask(page_client, head, personas)
    approve(page_client, personas["district_chengguan"], approval)
    make_person(user=personas["counsellor_chengguan"], sequence=90)
    response = download(page_client, head, approval)
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.state == ApprovalState.APPROVED  # still usable if the list shrinks back
    assert not PersonalDataAccess.objects.exists()


def test_other_filters_are_refused(personas, page_client, head):
    approval = ask(page_client, head, personas)
    approve(page_client, personas["district_chengguan"], approval)
    response = full_export(page_client(head), approval=approval.pk, status="employed")
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.state == ApprovalState.APPROVED


def test_a_rejected_request_cannot_be_used_and_needs_a_note(personas, page_client, head):
    approval = ask(page_client, head, personas)
    district = personas["district_chengguan"]
    page_client(district).post(
        f"/privacy/export-approvals/{approval.pk}/decide/", {"decision": "reject", "version": 1}
    )
    approval.refresh_from_db()
    assert approval.state == ApprovalState.PENDING  # a rejection says why
    page_client(district).post(
        f"/privacy/export-approvals/{approval.pk}/decide/",
        {"decision": "reject", "note": "too broad", "version": 1},
    )
    approval.refresh_from_db()
    assert approval.state == ApprovalState.REJECTED and approval.expires_at is None
    response = full_export(page_client(head), approval=approval.pk)
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_a_decision_on_a_stale_version_is_refused(personas, page_client, head):
    approval = ask(page_client, head, personas)
    with pytest.raises(ConcurrentEdit):
        services.export_approval_decide(
            acting_user=personas["district_chengguan"], approval=approval, approve=True, version=7
        )


def test_the_list_shows_mine_and_those_i_may_decide(personas, page_client, head):
    approval = ask(page_client, head, personas)
    for persona in ("head_chengguan", "district_chengguan", "city"):
        page = page_client(personas[persona]).get("/privacy/export-approvals/").content.decode()
        assert f'data-approval="{approval.pk}"' in page, persona
    page = page_client(personas["district_linzhou"]).get("/privacy/export-approvals/").content.decode()
    assert f'data-approval="{approval.pk}"' not in page
    for persona in ("counsellor_chengguan", "secadmin", "auditadmin"):
        assert page_client(personas[persona]).get("/privacy/export-approvals/").status_code == 403
