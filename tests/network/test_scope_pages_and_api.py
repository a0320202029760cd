"""A 城关区 counsellor gets 404 for a 林周县 record, in the pages and in the API."""

import pytest

from tests.factories import ServicePointFactory


@pytest.fixture
def linzhou_point(db):
    return ServicePointFactory.in_unit("540121100", name_zh="甘丹曲果镇集市流动服务点")


@pytest.fixture
def barkhor_point(db):
    return ServicePointFactory.in_unit("540102002", name_zh="八廓街劳务市场流动服务点")


def test_counsellor_gets_404_for_another_districts_record_in_pages(personas, page_client, linzhou_point):
    client = page_client(personas["counsellor_chengguan"])
    assert client.get(f"/network/points/{linzhou_point.pk}/").status_code == 404
    assert client.get("/network/units/540121/").status_code == 404
    assert client.get("/network/units/540121100/").status_code == 404


def test_counsellor_gets_404_for_another_districts_record_in_api(personas, api, linzhou_point):
    client = api(personas["counsellor_chengguan"])
    response = client.get(f"/api/v1/service-points/{linzhou_point.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get("/api/v1/units/540121/").status_code == 404


def test_own_records_are_visible(personas, page_client, api, barkhor_point):
    client = page_client(personas["counsellor_chengguan"])
    response = client.get(f"/network/points/{barkhor_point.pk}/")
    assert response.status_code == 200
    assert "八廓街劳务市场流动服务点" in response.content.decode()
    body = api(personas["counsellor_chengguan"]).get(f"/api/v1/service-points/{barkhor_point.pk}/").json()
    assert body["unit"] == "540102002"


def test_lists_hold_only_the_subtree(personas, api, linzhou_point, barkhor_point):
    names = {
        row["name_zh"]
        for row in api(personas["district_chengguan"]).get("/api/v1/service-points/").json()["results"]
    }
    assert names == {"八廓街劳务市场流动服务点"}
    names = {row["name_zh"] for row in api(personas["city"]).get("/api/v1/service-points/").json()["results"]}
    assert names == {"八廓街劳务市场流动服务点", "甘丹曲果镇集市流动服务点"}
    codes = [
        row["code"] for row in api(personas["counsellor_linzhou"]).get("/api/v1/units/").json()["results"]
    ]
    assert codes and all(code.startswith("540121100") for code in codes)


def test_a_counsellor_sees_the_chain_above_but_not_beside(personas, api):
    client = api(personas["counsellor_chengguan"])
    assert client.get("/api/v1/units/540102/").status_code == 200
    assert client.get("/api/v1/units/540100/").json()["level"] == "city"
    assert client.get("/api/v1/units/540102003/").status_code == 404  # sibling street


def test_sibling_station_is_out_of_scope(personas, page_client, barkhor_point):
    client = page_client(personas["counsellor_jiri"])
    assert client.get(f"/network/points/{barkhor_point.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["district_chengguan", "city"])
def test_supervisors_above_see_it(personas, page_client, barkhor_point, persona):
    assert page_client(personas[persona]).get(f"/network/points/{barkhor_point.pk}/").status_code == 200


def test_unit_api_contract_fields(personas, api):
    body = api(personas["city"]).get("/api/v1/units/540102002/").json()
    assert body["code"] == "540102002"
    assert body["name_zh"] == "八廓街道"
    assert body["name_bo"].startswith("བར་སྐོར")
    assert body["level"] == "township"
    assert body["parent"] == "540102"
