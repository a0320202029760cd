"""Bad input gets a clear 4xx in one shape; nothing is written; never a 500."""

import pytest
from django.test import Client

from network.models import OrgUnit


def test_malformed_json_is_a_clear_400(db, api):
    response = api().post("/api/v1/auth/token", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


def test_wrong_media_type_is_415(db, api):
    response = api().post(
        "/api/v1/auth/token", data="username=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert set(response.json()) == {"code", "message", "errors"}


@pytest.mark.parametrize(
    "payload", [{"username": ["x"], "password": 5}, {"username": "x" * 5000, "password": "y"}]
)
def test_wrong_types_and_sizes(db, api, payload):
    response = api().post("/api/v1/auth/token", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"


def test_unknown_api_path_is_json_404(personas, api):
    response = api(personas["city"]).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_page_is_a_friendly_404(personas, page_client):
    response = page_client(personas["city"]).get("/no-such-page/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999"])
def test_bad_page_numbers(personas, api, page):
    response = api(personas["city"]).get("/api/v1/units/", {"page": page})
    assert response.status_code in (400, 404)
    assert response.json()["code"] in ("validation_failed", "not_found")


def test_bad_choice_filter_is_400(personas, api):
    response = api(personas["city"]).get("/api/v1/units/", {"level": "galaxy"})
    assert response.status_code == 400
    assert "level" in response.json()["errors"]


def test_invalid_form_input_writes_nothing(personas, page_client):
    client = page_client(personas["sysadmin"])
    response = client.post(
        "/network/units/540102002/new/", {"code": "12<script>", "name_zh": "", "name_bo": ""}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not OrgUnit.objects.filter(name_zh="").exists()
    response = client.post(
        "/network/units/540102002/new/", {"code": "540121100999", "name_zh": "x", "name_bo": "y"}
    )
    assert not OrgUnit.objects.filter(code="540121100999").exists()


def test_unhandled_api_error_is_json_500_without_traceback(personas, api, monkeypatch):
    from network import selectors

    def boom(**kwargs):
        raise RuntimeError("database exploded")

    monkeypatch.setattr(selectors, "orgunit_list", boom)
    client = api(personas["city"])
    client.raise_request_exception = False
    response = client.get("/api/v1/units/")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error"
    assert "exploded" not in response.content.decode()


def test_healthz(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_openapi_schema_builds(personas, api):
    response = api(personas["city"]).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = (
        response.json()["paths"] if response["Content-Type"].endswith("json") else response.content.decode()
    )
    for path in ("/api/v1/auth/token", "/api/v1/units/{code}/", "/api/v1/calendar/add-workdays"):
        assert path in paths
