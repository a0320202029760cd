"""The recommendations API: list (scoped, filtered, paginated), one record with its steps
and reasons, and steps taken through it (200, 400, 404, 409)."""

import datetime

import pytest
from django.utils import timezone

from matching import services as matching
from recommendations.models import Recommendation, State
from registrations.models import Kind
from registrations.services import registration_open
from tests.matching.matching_builders import published_vacancy, seeker
from tests.vacancies.vacancy_builders import make_employer

pytestmark = pytest.mark.django_db


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


@pytest.fixture
def tashi(counsellor, personas):
    employer = make_employer()
    for n in range(6):
        published_vacancy(head=personas["head_chengguan"], employer=employer, title_zh=f"厨师{n}")
    return seeker(user=counsellor)


@pytest.fixture
def matched(counsellor, tashi):
    matching.match_person(acting_user=counsellor, person=tashi)
    return list(Recommendation.objects.filter(person=tashi).order_by("-score", "pk"))


def act(client, rec, action, **values):
    rec.refresh_from_db()
    return client.post(
        f"/api/v1/recommendations/{rec.pk}/actions",
        {"action": action, "version": rec.version, **values},
        format="json",
    )


def test_the_list_is_scoped_filtered_and_paginated(personas, api, matched, tashi):
    client = api(personas["counsellor_chengguan"])
    body = client.get("/api/v1/recommendations/").json()
    assert body["count"] == len(matched)
    row = body["results"][0]
    assert row["person"]["id_number"] == tashi.id_number_masked
    assert tashi.id_number not in str(body)
    assert {"id", "vacancy", "state", "score", "version", "step_deadline"} <= set(row)
    act(client, matched[0], "refer")
    assert client.get("/api/v1/recommendations/", {"state": "referred"}).json()["count"] == 1
    assert client.get("/api/v1/recommendations/", {"person": tashi.pk}).json()["count"] == len(matched)
    assert client.get("/api/v1/recommendations/", {"person": tashi.pk + 1000}).json()["count"] == 0
    vacancy = matched[1].vacancy_id
    assert client.get("/api/v1/recommendations/", {"vacancy": vacancy}).json()["count"] == 1
    assert client.get("/api/v1/recommendations/", {"unit": "540102002"}).json()["count"] == len(matched)
    assert client.get("/api/v1/recommendations/", {"unit": "540102003"}).json()["count"] == 0
    page = client.get("/api/v1/recommendations/", {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    bad = client.get("/api/v1/recommendations/", {"state": "lost"})
    assert bad.status_code == 400 and "state" in bad.json()["errors"]
    assert client.get("/api/v1/recommendations/", {"unit": "999"}).status_code == 400

    assert api(personas["counsellor_jiri"]).get("/api/v1/recommendations/").json()["count"] == 0
    assert api(personas["district_chengguan"]).get("/api/v1/recommendations/").json()["count"] == len(matched)
    assert api(personas["sysadmin"]).get("/api/v1/recommendations/").status_code == 403
    assert api().get("/api/v1/recommendations/").status_code == 401


def test_detail_has_steps_reasons_and_the_actions_allowed(personas, api, matched):
    client = api(personas["counsellor_chengguan"])
    rec = matched[0]
    act(client, rec, "refer", note="电话确认")
    body = client.get(f"/api/v1/recommendations/{rec.pk}/", headers={"accept-language": "en"}).json()
    assert body["state"] == "referred"
    assert [s["action"] for s in body["steps"]] == ["refer"]
    step = body["steps"][0]
    assert (step["from_state"], step["to_state"], step["side"], step["note"]) == (
        "matched",
        "referred",
        "counsellor",
        "电话确认",
    )
    assert step["by"] == "counsellor_chengguan"
    assert {r["factor"] for r in body["reasons"]} == set(body["factors"])
    assert all(r["text"] for r in body["reasons"])
    assert set(body["allowed_actions"]) == {"interview", "reject", "hire", "withdraw"}
    assert api(personas["counsellor_jiri"]).get(f"/api/v1/recommendations/{rec.pk}/").status_code == 404


def test_actions_answer_the_new_state(personas, api, matched):
    client = api(personas["counsellor_chengguan"])
    rec = matched[0]
    response = act(client, rec, "refer")
    assert response.status_code == 200
    assert response.json()["state"] == "referred"
    assert response.json()["version"] == rec.version + 1
    response = act(
        client, rec, "interview", on=(timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    )
    assert response.status_code == 200 and response.json()["state"] == "interview"
    response = act(client, matched[1], "decline", reason="pay")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["decline_reason"]) == ("declined", "pay")


def test_an_illegal_transition_is_a_clear_400(personas, api, matched):
    client = api(personas["counsellor_chengguan"])
    response = act(client, matched[0], "hire", on=timezone.localdate().isoformat())
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert "action" in body["errors"]
    response = act(client, matched[0], "decline")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = act(client, matched[0], "decline", reason="no_response")  # automatic only
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = act(client, matched[0], "expire_seeker")  # the system's own step
    assert response.status_code == 400 and "action" in response.json()["errors"]
    matched[0].refresh_from_db()
    assert matched[0].state == State.MATCHED


def test_a_stale_version_is_409(personas, api, matched):
    client = api(personas["counsellor_chengguan"])
    rec = matched[0]
    stale = rec.version
    act(client, rec, "show")
    response = client.post(
        f"/api/v1/recommendations/{rec.pk}/actions", {"action": "refer", "version": stale}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_edit"
    rec.refresh_from_db()
    assert rec.state == State.SHOWN


def test_hire_needs_a_confirmation_when_it_changes_the_file(personas, api, matched, tashi):
    counsellor = personas["counsellor_chengguan"]
    registration_open(
        acting_user=counsellor, person=tashi, kind=Kind.UNEMPLOYMENT, registered_on=datetime.date(2026, 1, 5)
    )
    client = api(counsellor)
    rec = matched[0]
    act(client, rec, "refer")
    today = timezone.localdate().isoformat()
    response = act(client, rec, "hire", on=today)
    assert response.status_code == 400
    assert response.json()["code"] == "confirmation_required"
    assert response.json()["errors"]["confirm"]
    response = act(client, rec, "hire", on=today, confirm=True)
    assert response.status_code == 200
    assert response.json()["state"] == "hired"
    assert response.json()["allowed_actions"] == ["follow_up"]
    response = act(client, rec, "follow_up", on=today, note="工作顺利")
    assert response.status_code == 200
    assert (response.json()["followed_up_on"], response.json()["allowed_actions"]) == (today, [])
    tashi.refresh_from_db()
    assert tashi.employment_status == "employed"


def test_outside_the_area_is_404_and_supervisors_cannot_act(personas, api, matched):
    rec = matched[0]
    assert act(api(personas["counsellor_jiri"]), rec, "refer").status_code == 404
    assert act(api(personas["counsellor_linzhou"]), rec, "refer").status_code == 404
    assert act(api(personas["district_chengguan"]), rec, "refer").status_code == 403
    rec.refresh_from_db()
    assert rec.state == State.MATCHED


def test_a_malformed_body_is_400(personas, api, matched):
    client = api(personas["counsellor_chengguan"])
    url = f"/api/v1/recommendations/{matched[0].pk}/actions"
    response = client.post(url, {"action": "refer"}, format="json")
    assert response.status_code == 400 and "version" in response.json()["errors"]
    response = client.post(url, {"action": "fly", "version": 1}, format="json")
    assert response.status_code == 400 and "action" in response.json()["errors"]
    response = client.post(url, {"action": "hire", "version": 1, "on": "yesterday"}, format="json")
    assert response.status_code == 400 and "on" in response.json()["errors"]


def test_the_schema_describes_the_endpoints(personas, api):
    schema = api(personas["counsellor_chengguan"]).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/recommendations/"]
    assert "get" in paths["/api/v1/recommendations/{id}/"]
    assert "post" in paths["/api/v1/recommendations/{id}/actions"]
    parameters = {p["name"] for p in paths["/api/v1/recommendations/"]["get"]["parameters"]}
    assert {"state", "person", "vacancy", "unit", "page"} <= parameters
