"""Households API: zero-employment fields, members, scope and edits (SPEC §5)."""

import datetime

import pytest
import time_machine

from households.models import Household
from tests.factories import person

TODAY = datetime.date(2026, 5, 12)  # a Tuesday in the second quarter


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 12, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


def create_household(api, user, **values):
    response = api(user).post("/api/v1/households/", {"address": "八廓街12号", **values}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def join(api, user, member, household_id, relation="head"):
    version = api(user).get(f"/api/v1/persons/{member.pk}/").json()["version"]
    return api(user).post(
        f"/api/v1/persons/{member.pk}/household",
        {"household": household_id, "relation_to_head": relation, "version": version},
        format="json",
    )


def test_create_answers_201_with_the_contract_fields(personas, api, counsellor, frozen):
    body = create_household(api, counsellor, land_lost=True)
    for name in ("id", "members", "zero_employment", "recognised_on", "clearance_due", "cleared_on"):
        assert name in body
    assert body["unit"] == "540102002"
    assert body["members"] == []
    assert body["zero_employment"] is False
    assert body["land_lost"] is True
    assert body["version"] == 1


def test_zero_employment_appears_and_clears_when_a_member_gets_work(personas, api, counsellor, frozen):
    household = create_household(api, counsellor)
    tenzin = person(user=counsellor, sequence=71, name_zh="丹增", employment_status="unemployed")
    response = join(api, counsellor, tenzin, household["id"])
    assert response.status_code == 200, response.json()
    assert response.json()["household"] == household["id"]
    assert response.json()["relation_to_head"] == "head"

    client = api(counsellor)
    body = client.get(f"/api/v1/households/{household['id']}/").json()
    assert body["zero_employment"] is True
    assert body["recognised_on"] == "2026-05-12"
    assert body["clearance_due"] == "2026-06-30"
    assert body["cleared_on"] is None
    assert body["members"] == [
        {
            "id": tenzin.pk,
            "name_zh": "丹增",
            "name_bo": tenzin.name_bo,
            "relation_to_head": "head",
            "employment_status": "unemployed",
        }
    ]
    assert "zero_employment_member" in client.get(f"/api/v1/persons/{tenzin.pk}/").json()["key_groups"]
    listed = client.get("/api/v1/households/", {"zero_employment": "true"}).json()["results"]
    assert [row["id"] for row in listed] == [household["id"]]

    version = client.get(f"/api/v1/persons/{tenzin.pk}/").json()["version"]
    response = client.patch(
        f"/api/v1/persons/{tenzin.pk}/", {"employment_status": "employed", "version": version}, format="json"
    )
    assert response.status_code == 200
    assert "zero_employment_member" not in response.json()["key_groups"]
    body = client.get(f"/api/v1/households/{household['id']}/").json()
    assert body["zero_employment"] is False
    assert body["cleared_on"] == "2026-05-12"
    assert body["members"][0]["employment_status"] == "employed"
    assert client.get("/api/v1/households/", {"zero_employment": "true"}).json()["results"] == []
    listed = client.get("/api/v1/households/", {"zero_employment": "false"}).json()["results"]
    assert [row["id"] for row in listed] == [household["id"]]


def test_leaving_a_household(personas, api, counsellor, frozen):
    household = create_household(api, counsellor)
    pema = person(user=counsellor, sequence=72, name_zh="白玛")
    assert join(api, counsellor, pema, household["id"]).status_code == 200
    version = api(counsellor).get(f"/api/v1/persons/{pema.pk}/").json()["version"]
    response = api(counsellor).post(
        f"/api/v1/persons/{pema.pk}/household", {"household": None, "version": version}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["household"] is None
    body = api(counsellor).get(f"/api/v1/households/{household['id']}/").json()
    assert body["members"] == []
    assert body["zero_employment"] is False


def test_joining_needs_a_version_a_relation_and_a_household_in_the_area(personas, api, counsellor):
    mine = create_household(api, counsellor)
    elsewhere = create_household(api, personas["counsellor_jiri"])
    norbu = person(user=counsellor, sequence=73, name_zh="诺布")
    client = api(counsellor)
    link = f"/api/v1/persons/{norbu.pk}/household"
    cases = [
        ({"household": mine["id"], "relation_to_head": "head"}, "version"),
        ({"household": mine["id"], "version": 1}, "relation_to_head"),
        ({"household": elsewhere["id"], "relation_to_head": "head", "version": 1}, "household"),
        ({"household": 10**15, "relation_to_head": "head", "version": 1}, "household"),
        ({"household": mine["id"], "relation_to_head": "cousin", "version": 1}, "relation_to_head"),
    ]
    for body, field in cases:
        response = client.post(link, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["errors"], body
    response = client.post(
        link, {"household": mine["id"], "relation_to_head": "head", "version": 7}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_edit"
    norbu.refresh_from_db()
    assert norbu.household_id is None


def test_a_second_head_is_refused(personas, api, counsellor):
    household = create_household(api, counsellor)
    first = person(user=counsellor, sequence=74, name_zh="次旺")
    second = person(user=counsellor, sequence=75, name_zh="央金")
    assert join(api, counsellor, first, household["id"]).status_code == 200
    response = join(api, counsellor, second, household["id"])
    assert response.status_code == 400
    assert "relation_to_head" in response.json()["errors"]
    assert join(api, counsellor, second, household["id"], relation="spouse").status_code == 200


def test_scope_of_households(personas, api, counsellor):
    household = create_household(api, counsellor)
    path = f"/api/v1/households/{household['id']}/"
    assert api(counsellor).get(path).status_code == 200
    sibling = api(personas["counsellor_jiri"])
    assert sibling.get(path).status_code == 404
    assert household["id"] not in [row["id"] for row in sibling.get("/api/v1/households/").json()["results"]]
    for supervisor in ("district_chengguan", "city"):
        client = api(personas[supervisor])
        assert client.get(path).status_code == 200
        assert household["id"] in [row["id"] for row in client.get("/api/v1/households/").json()["results"]]
    assert api(personas["sysadmin"]).get(path).status_code == 403


def test_unit_filter(personas, api, counsellor):
    household = create_household(api, counsellor)
    client = api(personas["district_chengguan"])
    assert [r["id"] for r in client.get("/api/v1/households/", {"unit": "540102002"}).json()["results"]] == [
        household["id"]
    ]
    assert client.get("/api/v1/households/", {"unit": "540102003"}).json()["results"] == []
    for name, value in (("unit", "540199999"), ("zero_employment", "perhaps")):
        response = client.get("/api/v1/households/", {name: value})
        assert response.status_code == 400
        assert name in response.json()["errors"]


def test_allowance_status_is_accepted_but_never_returned(personas, api, counsellor):
    body = create_household(api, counsellor, allowance_status="dibao")
    assert "allowance_status" not in body
    assert Household.objects.get(pk=body["id"]).allowance_status == "dibao"
    for user in ("counsellor_chengguan", "head_chengguan", "city"):
        text = api(personas[user]).get(f"/api/v1/households/{body['id']}/").content.decode()
        assert "allowance" not in text and "dibao" not in text
    response = api(counsellor).post("/api/v1/households/", {"allowance_status": "rich"}, format="json")
    assert response.status_code == 400
    assert "allowance_status" in response.json()["errors"]


def test_patch_needs_the_current_version(personas, api, counsellor):
    household = create_household(api, counsellor)
    client = api(counsellor)
    path = f"/api/v1/households/{household['id']}/"
    response = client.patch(path, {"address": "新地址"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]
    response = client.patch(path, {"address": "新地址", "relocated": True, "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["address"] == "新地址"
    assert response.json()["relocated"] is True
    response = client.patch(path, {"address": "旧地址", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_edit"
    assert Household.objects.get(pk=household["id"]).address == "新地址"


def test_patch_to_a_unit_outside_the_area_is_refused(personas, api, counsellor):
    household = create_household(api, counsellor)
    response = api(counsellor).patch(
        f"/api/v1/households/{household['id']}/", {"unit": "540121100", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()["errors"]


@pytest.mark.parametrize("persona", ["district_chengguan", "city", "sysadmin"])
def test_only_front_line_staff_write_households(personas, api, counsellor, persona):
    household = create_household(api, counsellor)
    client = api(personas[persona])
    count = Household.objects.count()
    assert client.post("/api/v1/households/", {"address": "x"}, format="json").status_code == 403
    response = client.patch(
        f"/api/v1/households/{household['id']}/", {"address": "x", "version": 1}, format="json"
    )
    assert response.status_code == 403
    assert Household.objects.count() == count
    member = person(user=counsellor, sequence=76, name_zh="旺堆")
    response = client.post(
        f"/api/v1/persons/{member.pk}/household",
        {"household": household["id"], "relation_to_head": "head", "version": 1},
        format="json",
    )
    assert response.status_code == 403


def test_household_list_queries_do_not_grow_with_the_page(personas, api, counsellor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(counsellor)

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/households/").status_code == 200
        return len(captured)

    first = create_household(api, counsellor)
    join(api, counsellor, person(user=counsellor, sequence=77, name_zh="甲"), first["id"])
    few = queries_for_list()
    for n in range(4):
        household = create_household(api, counsellor)
        join(api, counsellor, person(user=counsellor, sequence=78 + n, name_zh=f"乙{n}"), household["id"])
    assert queries_for_list() == few
