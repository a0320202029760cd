"""The data-subject requests API: record, list under scope with masked names, read, move;
errors are 4xx in the standard shape."""

import datetime

from subjectrights.models import SubjectRequest
from tests.subjectrights.conftest import receive
from worklist.models import Kind, WorkItem

LIST = "/api/v1/subject-requests/"


def _shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "errors"} and body["message"]
    return body


def test_record_and_list(personas, api, seeker):
    client = api(personas["counsellor_chengguan"])
    created = client.post(
        LIST,
        {
            "person": seeker.pk,
            "kind": "copy",
            "channel": "letter",
            "received_on": "2026-11-10",
            "details": "复印件",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["due_on"], data["state"], data["version"]) == ("2026-12-10", "received", 1)
    assert [s["action"] for s in data["steps"]] == ["receive"]
    assert WorkItem.objects.filter(kind=Kind.SUBJECT_REQUEST, source_id=data["id"]).exists()
    rows = client.get(LIST).json()["results"]
    assert [r["id"] for r in rows] == [data["id"]]
    assert rows[0]["person"]["name"] == "次*** / ཚེ་***"
    assert rows[0]["person"]["id_number"] == seeker.id_number_masked
    assert api(personas["city"]).get(LIST).json()["count"] == 1  # city-wide oversight
    assert api(personas["secadmin"]).get(LIST).status_code == 403  # 三员: no personal records
    assert api(personas["counsellor_jiri"]).get(LIST).json()["count"] == 0
    assert api(personas["sysadmin"]).get(LIST).status_code == 403
    assert api(personas["secadmin"]).post(LIST, {}, format="json").status_code == 403


def test_filters(personas, api, seeker):
    counsellor = personas["counsellor_chengguan"]
    old = receive(counsellor, seeker, kind="deletion", received_on=datetime.date(2026, 10, 2))
    assert old.due_on == datetime.date(2026, 11, 1)
    receive(counsellor, seeker, kind="access")
    client = api(personas["district_chengguan"])
    assert [r["id"] for r in client.get(f"{LIST}?overdue=true").json()["results"]] == [old.pk]
    assert client.get(f"{LIST}?kind=access").json()["count"] == 1
    assert client.get(f"{LIST}?unit=540121").json()["count"] == 0
    assert client.get(f"{LIST}?person={seeker.pk}").json()["count"] == 2
    for query, field in (("state=lost", "state"), ("overdue=maybe", "overdue"), ("unit=abc", "unit")):
        assert field in _shape(client.get(f"{LIST}?{query}"), 400)["errors"]


def test_bad_input_is_a_clear_4xx_and_writes_nothing(personas, api, seeker):
    client = api(personas["counsellor_chengguan"])
    body = {
        "person": seeker.pk,
        "kind": "copy",
        "channel": "letter",
        "received_on": "2026-11-10",
        "details": "x",
    }
    assert "kind" in _shape(client.post(LIST, {**body, "kind": "everything"}, format="json"), 400)["errors"]
    assert (
        "received_on"
        in _shape(client.post(LIST, {**body, "received_on": "2099-01-01"}, format="json"), 400)["errors"]
    )
    assert (
        "details" in _shape(client.post(LIST, {**body, "details": "x" * 5000}, format="json"), 400)["errors"]
    )
    assert "person" in _shape(client.post(LIST, {**body, "person": "次仁"}, format="json"), 400)["errors"]
    assert _shape(client.post(LIST, "{not json", content_type="application/json"), 400)["code"] == "malformed"
    _shape(api(personas["counsellor_jiri"]).post(LIST, body, format="json"), 404)  # person outside scope
    assert not SubjectRequest.objects.exists()


def test_transitions(personas, api, seeker):
    subject_request = receive(personas["counsellor_chengguan"], seeker, kind="deletion")
    url = f"{LIST}{subject_request.pk}/transition"
    counsellor, head = api(personas["counsellor_chengguan"]), api(personas["head_chengguan"])
    early = _shape(head.post(url, {"action": "complete", "version": 1, "outcome": "x"}, format="json"), 400)
    assert early["code"] == "invalid_transition" and "action" in early["errors"]
    assert (
        "method"
        in _shape(counsellor.post(url, {"action": "verify", "version": 1}, format="json"), 400)["errors"]
    )
    verified = counsellor.post(
        url, {"action": "verify", "version": 1, "method": "id_card_seen"}, format="json"
    )
    assert verified.status_code == 200 and verified.json()["state"] == "verified"
    assert verified.json()["verified_by"] == "counsellor_chengguan"
    stale = _shape(counsellor.post(url, {"action": "withdraw", "version": 1}, format="json"), 409)
    assert stale["code"] == "concurrent_edit"
    _shape(counsellor.post(url, {"action": "complete", "version": 2, "outcome": "删除"}, format="json"), 403)
    _shape(
        api(personas["counsellor_jiri"]).post(url, {"action": "withdraw", "version": 2}, format="json"), 404
    )
    _shape(api(personas["secadmin"]).post(url, {"action": "withdraw", "version": 2}, format="json"), 403)
    assert "action" in _shape(head.post(url, {"action": "erase", "version": 2}, format="json"), 400)["errors"]
    refused = head.post(
        url,
        {"action": "refuse", "version": 2, "reason": "legal_obligation", "note": "依法保存"},
        format="json",
    )
    assert refused.status_code == 200 and refused.json()["refusal_reason"] == "legal_obligation"
    assert [s["action"] for s in refused.json()["steps"]] == ["receive", "verify", "refuse"]


def test_detail_is_scoped(personas, api, seeker):
    subject_request = receive(personas["counsellor_chengguan"], seeker)
    url = f"{LIST}{subject_request.pk}/"
    data = api(personas["counsellor_chengguan"]).get(url).json()
    assert data["details"] == "请给我一份我的资料。" and data["received_by"] == "counsellor_chengguan"
    _shape(api(personas["counsellor_jiri"]).get(url), 404)
    _shape(api(personas["counsellor_linzhou"]).get(url), 404)
    _shape(api().get(url), 401)
    assert api(personas["city"]).get(url).status_code == 200
