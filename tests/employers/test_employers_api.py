"""The employers API (SPEC §5): contract fields, filters, create, PATCH with version, scope."""

import datetime

import pytest

from employers.models import Employer
from employers.services import key_enterprise_flag
from tests.employers.conftest import credit_code

CONTRACT = {"id", "name_zh", "credit_code", "industry", "unit", "key_enterprise"}


def test_contract_fields(personas, api, barkhor):
    body = api(personas["counsellor_chengguan"]).get(f"/api/v1/employers/{barkhor.pk}/").json()
    assert CONTRACT <= set(body)
    assert body["id"] == barkhor.pk
    assert body["name_zh"] == "八廓街藏餐馆"
    assert body["credit_code"] == credit_code(1)
    assert body["industry"] == "62"
    assert body["industry_section"] == "H"
    assert body["unit"] == "540102002"
    assert body["key_enterprise"] is False
    assert body["version"] == 1
    assert {"name_bo", "size", "ownership", "address", "channel", "external_id", "contact_phone"} <= set(body)


def test_key_enterprise_follows_the_open_listing(personas, api, barkhor):
    key_enterprise_flag(
        acting_user=personas["counsellor_chengguan"],
        employer=barkhor,
        reason="重点",
        flagged_on=datetime.date(2026, 1, 5),
    )
    client = api(personas["city"])
    assert client.get(f"/api/v1/employers/{barkhor.pk}/").json()["key_enterprise"] is True
    rows = client.get("/api/v1/employers/?key_enterprise=true").json()["results"]
    assert [r["id"] for r in rows] == [barkhor.pk]
    assert client.get("/api/v1/employers/?key_enterprise=false").json()["count"] == 0


def test_three_personas(personas, api, barkhor, linzhou):
    own = api(personas["counsellor_chengguan"])
    assert [r["id"] for r in own.get("/api/v1/employers/").json()["results"]] == [barkhor.pk]
    sibling = api(personas["counsellor_jiri"])
    assert sibling.get("/api/v1/employers/").json()["count"] == 0
    response = sibling.get(f"/api/v1/employers/{barkhor.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert (
        sibling.patch(
            f"/api/v1/employers/{barkhor.pk}/", {"version": 1, "size": "large"}, format="json"
        ).status_code
        == 404
    )
    district = api(personas["district_chengguan"])
    assert district.get(f"/api/v1/employers/{barkhor.pk}/").status_code == 200
    assert district.get(f"/api/v1/employers/{linzhou.pk}/").status_code == 404
    ids = {r["id"] for r in api(personas["city"]).get("/api/v1/employers/").json()["results"]}
    assert ids == {barkhor.pk, linzhou.pk}


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_are_refused(personas, api, barkhor, persona):
    assert api(personas[persona]).get("/api/v1/employers/").status_code == 403


def test_anonymous_is_refused(api, barkhor):
    assert api().get("/api/v1/employers/").status_code in (401, 403)


def test_filters(personas, api, barkhor, linzhou):
    client = api(personas["city"])

    def ids(query):
        return {r["id"] for r in client.get(f"/api/v1/employers/?{query}").json()["results"]}

    assert ids("industry=62") == {barkhor.pk}
    assert ids("industry=H") == {barkhor.pk}
    assert ids("industry=C") == {linzhou.pk}
    assert ids("unit=540121") == {linzhou.pk}
    assert ids("q=青稞") == {linzhou.pk}
    assert ids(f"q={linzhou.credit_code}") == {linzhou.pk}


@pytest.mark.parametrize(
    "query",
    [
        "industry=99",
        "industry=Z",
        "industry=4",
        "industry=%E9%A4%90",
        "unit=999999",
        "unit=abc",
        "key_enterprise=maybe",
    ],
)
def test_bad_filter_values_name_the_parameter(personas, api, query):
    response = api(personas["city"]).get(f"/api/v1/employers/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert list(response.json()["errors"]) == [query.split("=")[0]]


def _payload(n=40, **values):
    data = {
        "name_zh": "拉萨市城关区雪域建筑工程有限公司",
        "name_bo": "ལྷ་ས་གངས་ཅན་འཛུགས་སྐྲུན་ཁང་།",
        "credit_code": credit_code(n),
        "industry": "47",
        "ownership": "private",
        "size": "medium",
        "channel": "regional_platform",
        "external_id": f"XZ-{n}",
        "contact_phone": "0891-6888888",
    }
    data.update(values)
    return data


def test_create_defaults_to_the_callers_unit(personas, api):
    response = api(personas["counsellor_chengguan"]).post("/api/v1/employers/", _payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit"], body["industry"], body["key_enterprise"], body["version"]) == (
        "540102002",
        "47",
        False,
        1,
    )
    assert Employer.objects.get(pk=body["id"]).created_by == personas["counsellor_chengguan"]


def test_create_duplicate_code_names_the_field_and_creates_nothing(personas, api, linzhou):
    response = api(personas["counsellor_chengguan"]).post(
        "/api/v1/employers/", _payload(credit_code=linzhou.credit_code), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["credit_code"]
    assert Employer.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"credit_code": "91540102000000040"}, "credit_code"),
        ({"credit_code": "x" * 500}, "credit_code"),
        ({"industry": "E"}, "industry"),
        ({"industry": 47}, "industry"),
        ({"industry": "98"}, "industry"),
        ({"unit": "540121100"}, "unit"),
        ({"unit": "nope"}, "unit"),
        ({"size": "huge"}, "size"),
        ({"channel": ""}, "channel"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"name_zh": ""}, "name_zh"),
    ],
)
def test_create_with_bad_values_is_a_400_on_the_field(personas, api, change, field):
    response = api(personas["counsellor_chengguan"]).post(
        "/api/v1/employers/", _payload(**change), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Employer.objects.exists()


@pytest.mark.parametrize("persona", ["district_chengguan", "city"])
def test_supervisors_may_not_write(personas, api, barkhor, persona):
    client = api(personas[persona])
    assert client.post("/api/v1/employers/", _payload(), format="json").status_code == 403
    response = client.patch(
        f"/api/v1/employers/{barkhor.pk}/", {"version": 1, "size": "large"}, format="json"
    )
    assert response.status_code == 403


def test_patch_with_version_and_409_when_stale(personas, api, barkhor):
    client = api(personas["head_chengguan"])
    response = client.patch(
        f"/api/v1/employers/{barkhor.pk}/", {"version": 1, "size": "large"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["size"], response.json()["version"]) == ("large", 2)
    stale = client.patch(f"/api/v1/employers/{barkhor.pk}/", {"version": 1, "size": "micro"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "concurrent_edit"
    assert Employer.objects.get(pk=barkhor.pk).size == "large"
    assert (
        client.patch(f"/api/v1/employers/{barkhor.pk}/", {"size": "micro"}, format="json").status_code == 400
    )


def test_patch_only_changes_what_is_sent(personas, api, barkhor):
    client = api(personas["counsellor_chengguan"])
    response = client.patch(
        f"/api/v1/employers/{barkhor.pk}/",
        {"version": 1, "industry": "61", "is_active": False},
        format="json",
    )
    assert response.status_code == 200
    barkhor.refresh_from_db()
    assert (barkhor.industry.code, barkhor.is_active, barkhor.name_zh) == ("61", False, "八廓街藏餐馆")


def test_industries_reference_list(personas, api):
    body = (
        api(personas["counsellor_chengguan"]).get("/api/v1/industries/?level=division&page_size=200").json()
    )
    assert body["count"] == 97
    assert body["results"][46] == {
        "code": "47",
        "level": "division",
        "parent": "E",
        "name_zh": "房屋建筑业",
        "name_bo": "ཁང་བཟོ་འཛུགས་སྐྲུན་ལས་རིགས།",
        "name_en": "Building construction",
    }
    assert api(personas["counsellor_chengguan"]).get("/api/v1/industries/?level=group").status_code == 400
