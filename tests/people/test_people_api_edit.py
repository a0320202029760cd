"""Persons API: edits with version, reveal with the access log, contacts, key-group catalogue."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from privacy.models import AccessKind, PersonalDataAccess
from tests.factories import person, valid_id_number

ID_NUMBER = valid_id_number(area="540102", birth="19920815", sequence=61)
PHONE = "13611112222"


@pytest.fixture
def dawa(personas):
    return person(user=personas["counsellor_chengguan"], id_number=ID_NUMBER, phone=PHONE, name_zh="达瓦")


def url(p, suffix=""):
    return f"/api/v1/persons/{p.pk}/{suffix}"


# --- PATCH -------------------------------------------------------------------------


def test_patch_without_version_is_refused(personas, api, dawa):
    response = api(personas["counsellor_chengguan"]).patch(url(dawa), {"major": "会计"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]
    dawa.refresh_from_db()
    assert dawa.major == "" and dawa.version == 1


def test_patch_with_a_stale_version_is_a_409(personas, api, dawa):
    client = api(personas["counsellor_chengguan"])
    assert client.patch(url(dawa), {"major": "会计", "version": 1}, format="json").status_code == 200
    response = client.patch(url(dawa), {"major": "旅游管理", "version": 1}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "concurrent_edit"
    assert body["message"].strip()
    dawa.refresh_from_db()
    assert dawa.major == "会计"
    assert dawa.version == 2


def test_patch_with_the_current_version_saves_and_bumps_it(personas, api, dawa):
    response = api(personas["counsellor_chengguan"]).patch(
        url(dawa),
        {"major": "会计", "salary_expectation": 4500, "desired_occupations": ["4-03-02-01"], "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == 2
    assert body["major"] == "会计"
    assert body["salary_expectation"] == 4500
    assert body["desired_occupations"] == ["4-03-02-01"]
    assert body["name_zh"] == "达瓦"  # untouched fields stay
    assert AuditEntry.objects.filter(object_type="people.person", object_id=str(dawa.pk)).count() == 2


def test_patch_changing_the_phone_keeps_it_masked(personas, api, dawa):
    response = api(personas["counsellor_chengguan"]).patch(
        url(dawa), {"phone": "13700001234", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["phone_masked"] == "137****1234"
    assert "13700001234" not in response.content.decode()
    dawa.refresh_from_db()
    assert dawa.phone == "13700001234"


def test_patch_to_another_persons_id_number_is_refused(personas, api, dawa):
    other = person(user=personas["counsellor_chengguan"], sequence=62, name_zh="边巴")
    response = api(personas["counsellor_chengguan"]).patch(
        url(other), {"id_number": ID_NUMBER, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["id_number"]
    other.refresh_from_db()
    assert other.version == 1


@pytest.mark.parametrize("version", [0, "one", 10**30])
def test_patch_with_a_bad_version_is_a_400(personas, api, dawa, version):
    response = api(personas["counsellor_chengguan"]).patch(url(dawa), {"version": version}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_supervisor_cannot_patch(personas, api, dawa):
    response = api(personas["district_chengguan"]).patch(
        url(dawa), {"major": "x", "version": 1}, format="json"
    )
    assert response.status_code == 403
    dawa.refresh_from_db()
    assert dawa.major == ""


def test_sibling_counsellor_gets_404_on_patch(personas, api, dawa):
    response = api(personas["counsellor_jiri"]).patch(url(dawa), {"major": "x", "version": 1}, format="json")
    assert response.status_code == 404


# --- reveal ------------------------------------------------------------------------


def test_reveal_returns_the_full_values_and_writes_one_log_row(personas, api, dawa):
    user = personas["counsellor_chengguan"]
    response = api(user).post(url(dawa, "reveal"), {"reason": "电话回访"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id_number": ID_NUMBER, "phone": PHONE}
    assert "no-store" in response["Cache-Control"]
    rows = list(PersonalDataAccess.objects.filter(subject_type="person", subject_id=str(dawa.pk)))
    assert len(rows) == 1
    assert rows[0].user == user
    assert rows[0].kind == AccessKind.VIEW
    assert rows[0].reason == "电话回访"


def test_reveal_without_a_reason_is_refused_and_not_logged(personas, api, dawa):
    client = api(personas["counsellor_chengguan"])
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = client.post(url(dawa, "reveal"), body, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()["errors"]
        assert ID_NUMBER not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("persona", ["district_chengguan", "city", "auditadmin"])
def test_reveal_is_refused_above_the_front_line(personas, api, dawa, persona):
    response = api(personas[persona]).post(url(dawa, "reveal"), {"reason": "核查"}, format="json")
    assert response.status_code == 403
    assert ID_NUMBER not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_reveal_outside_the_area_is_404(personas, api, dawa):
    response = api(personas["counsellor_jiri"]).post(url(dawa, "reveal"), {"reason": "核查"}, format="json")
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


# --- contacts ----------------------------------------------------------------------


def test_three_failed_contacts_flag_the_person_unreachable(personas, api, dawa):
    client = api(personas["counsellor_chengguan"])
    start = timezone.now() - datetime.timedelta(hours=4)
    for n in range(3):
        assert client.get(url(dawa)).json()["unreachable"] is False
        response = client.post(
            url(dawa, "contacts"),
            {
                "at": (start + datetime.timedelta(hours=n)).isoformat(),
                "channel": "phone",
                "outcome": "no_answer",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["by"] == "counsellor_chengguan"
    body = client.get(url(dawa)).json()
    assert body["unreachable"] is True
    assert body["failed_contacts"] == 3
    contacts = client.get(url(dawa, "contacts")).json()
    assert contacts["count"] == 3
    assert [row["outcome"] for row in contacts["results"]] == ["no_answer"] * 3


def test_reaching_the_person_records_the_information_update(personas, api, dawa):
    client = api(personas["counsellor_chengguan"])
    response = client.post(
        url(dawa, "contacts"),
        {"channel": "visit", "outcome": "reached", "info_updated": True, "note": "已更新求职意向"},
        format="json",
    )
    assert response.status_code == 201
    body = client.get(url(dawa)).json()
    assert body["info_updated_on"] == timezone.localdate().isoformat()
    assert body["unreachable"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "pigeon", "outcome": "reached"}, "channel"),
        ({"channel": "phone"}, "outcome"),
        ({"channel": "phone", "outcome": "no_answer", "at": "2999-01-01T00:00:00+08:00"}, "at"),
        ({"channel": "phone", "outcome": "no_answer", "at": "yesterday"}, "at"),
    ],
)
def test_bad_contacts_are_400(personas, api, dawa, body, field):
    response = api(personas["counsellor_chengguan"]).post(url(dawa, "contacts"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not dawa.contacts.exists()


def test_information_update_needs_reaching_the_person(personas, api, dawa):
    response = api(personas["counsellor_chengguan"]).post(
        url(dawa, "contacts"),
        {"channel": "phone", "outcome": "no_answer", "info_updated": True},
        format="json",
    )
    assert response.status_code == 400
    assert not dawa.contacts.exists()


def test_supervisor_reads_contacts_but_cannot_record_them(personas, api, dawa):
    client = api(personas["district_chengguan"])
    assert client.get(url(dawa, "contacts")).status_code == 200
    response = client.post(url(dawa, "contacts"), {"channel": "phone", "outcome": "reached"}, format="json")
    assert response.status_code == 403
    assert api(personas["counsellor_jiri"]).get(url(dawa, "contacts")).status_code == 404


# --- key-group catalogue -------------------------------------------------------------


def test_key_group_catalogue(personas, api):
    response = api(personas["counsellor_chengguan"]).get("/api/v1/key-groups/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["disabled"]["parent"] == "hard_to_employ"
    assert rows["disabled"]["rule"] == "disabled"
    assert rows["disabled"]["name_zh"] == "残疾人"
    assert rows["disabled"]["name_en"] == "Person with a disability"
    assert rows["disabled"]["name_bo"]
    assert rows["disabled"]["active"] is True
    assert rows["registered_unemployed"]["parent"] is None


@pytest.mark.parametrize(("persona", "expected"), [("sysadmin", 200), ("auditadmin", 403), ("secadmin", 403)])
def test_key_group_catalogue_permission(personas, api, persona, expected):
    assert api(personas[persona]).get("/api/v1/key-groups/").status_code == expected


# --- edge input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("contacts", '{"channel": "phone", "outcome": "reached", "at": "0001-01-01"}', "at"),
        ("contacts", '{"channel": "\\ud800", "outcome": "reached"}', "channel"),
        ("", '{"employment_status": "\\ud800", "version": 1}', "employment_status"),
        ("", '{"major": "\\ud800", "version": 1}', "major"),
        ("household", '{"household": null, "relation_to_head": "\\ud800", "version": 1}', "relation_to_head"),
    ],
)
def test_edge_input_is_a_400_not_a_500(personas, api, dawa, path, body, field):
    # A lone surrogate must not be echoed into the reply; year 1 must not overflow the time zone.
    client = api(personas["counsellor_chengguan"])
    send = client.patch if path == "" else client.post
    response = send(url(dawa, path), body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
