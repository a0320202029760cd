"""The exchange's job-seeker export with full values follows the same approval rule, and
its API, which cannot ask for approval, refuses a full export above the limit."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from privacy.export_gate import download_url
from privacy.models import ApprovalState, ExportApproval, ExportName, PersonalDataAccess
from tests.factories import person as make_person
from tests.factories import valid_id_number

LIMIT = 4
REASON = "自治区平台核对"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.PRIVACY = {**settings.PRIVACY, "BULK_EXPORT_APPROVAL_ROWS": LIMIT}


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]


def register(personas, count: int) -> None:
    for n in range(count):
        make_person(user=personas["counsellor_chengguan"], sequence=60 + n)


def page_export(client, **extra):
    params = {"what": "job_seekers", "format": "json", "full": "on", "reason": REASON, **extra}
    return client.get("/exchange/export/", params)


def test_page_export_above_the_limit_asks_then_downloads_once(personas, page_client, head):
    register(personas, LIMIT + 1)
    response = page_export(page_client(head))
    approval = ExportApproval.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{approval.pk}/")
    assert approval.export == ExportName.EXCHANGE_JOB_SEEKERS and approval.record_count == LIMIT + 1
    assert not PersonalDataAccess.objects.exists()

    district = page_client(personas["district_chengguan"])
    district.post(f"/privacy/export-approvals/{approval.pk}/decide/", {"decision": "approve", "version": 1})
    approval.refresh_from_db()
    assert approval.state == ApprovalState.APPROVED

    parts = urlsplit(download_url(approval))
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    records = json.loads(page_client(head).get(parts.path, params).content)
    assert len(records) == LIMIT + 1
    assert valid_id_number(sequence=60) in {r["id_number"] for r in records}
    approval.refresh_from_db()
    assert approval.state == ApprovalState.USED
    log = PersonalDataAccess.objects.get()
    assert log.record_count == LIMIT + 1 and f"approval {approval.pk}" in log.reason

    assert page_client(head).get(parts.path, params).status_code == 302  # once only
    assert PersonalDataAccess.objects.count() == 1


def test_page_export_up_to_the_limit_needs_no_approval(personas, page_client, head):
    register(personas, LIMIT)
    records = json.loads(page_export(page_client(head)).content)
    assert len(records) == LIMIT
    assert not ExportApproval.objects.exists()


def test_an_approval_of_the_person_list_does_not_open_the_exchange_export(personas, page_client, head):
    register(personas, LIMIT + 1)
    page_client(head).get("/people/", {"format": "xlsx", "full": "on", "reason": REASON})
    approval = ExportApproval.objects.get(export=ExportName.PEOPLE_LIST)
    page_client(personas["district_chengguan"]).post(
        f"/privacy/export-approvals/{approval.pk}/decide/", {"decision": "approve", "version": 1}
    )
    response = page_export(page_client(head), approval=approval.pk)
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.state == ApprovalState.APPROVED
    assert not PersonalDataAccess.objects.exists()


def test_api_refuses_a_full_export_above_the_limit(personas, api, head):
    register(personas, LIMIT + 1)
    params = {"full": "true", "reason": REASON, "page_size": 2}
    response = api(head).get("/api/v1/exchange/job-seekers", params)
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "export_approval_required"
    assert not PersonalDataAccess.objects.exists()
    masked = api(head).get("/api/v1/exchange/job-seekers", {"page_size": 2})
    assert masked.status_code == 200


def test_api_full_export_up_to_the_limit_is_served(personas, api, head):
    register(personas, LIMIT)
    response = api(head).get("/api/v1/exchange/job-seekers", {"full": "true", "reason": REASON})
    assert response.status_code == 200
    assert PersonalDataAccess.objects.get().record_count == LIMIT
