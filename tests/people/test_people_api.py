"""Persons API: masking, scope, registration and list filters (SPEC §5)."""

import pytest

from people.models import Person
from tests.factories import person, valid_id_number

ID_NUMBER = valid_id_number(area="540102", birth="19880512", sequence=37)
PHONE = "13987654321"


@pytest.fixture
def tashi(personas):
    return person(user=personas["counsellor_chengguan"], id_number=ID_NUMBER, phone=PHONE)


def assert_no_plain_identifiers(text: str) -> None:
    for secret in (ID_NUMBER, ID_NUMBER[-8:], PHONE, PHONE[-8:]):
        assert secret not in text


def test_list_and_detail_show_only_masked_identifiers(personas, api, tashi):
    client = api(personas["counsellor_chengguan"])
    for url in ("/api/v1/persons/", f"/api/v1/persons/{tashi.pk}/", f"/api/v1/persons/?q={ID_NUMBER}"):
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert_no_plain_identifiers(text)
        assert f"{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}" in text
        assert "139****4321" in text
    body = client.get(f"/api/v1/persons/{tashi.pk}/").json()
    assert "id_number" not in body and "phone" not in body and "disability_details" not in body


def test_search_by_full_id_number_finds_the_person(personas, api, tashi):
    rows = api(personas["counsellor_chengguan"]).get("/api/v1/persons/", {"q": ID_NUMBER}).json()["results"]
    assert [row["id"] for row in rows] == [tashi.pk]


def test_own_unit_sees_the_person(personas, api, tashi):
    response = api(personas["counsellor_chengguan"]).get(f"/api/v1/persons/{tashi.pk}/")
    assert response.status_code == 200
    assert response.json()["residence_unit"] == "540102002"


@pytest.mark.parametrize("persona", ["counsellor_jiri", "counsellor_linzhou", "district_linzhou"])
def test_outside_the_area_answers_404_and_is_not_listed(personas, api, tashi, persona):
    client = api(personas[persona])
    response = client.get(f"/api/v1/persons/{tashi.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert tashi.pk not in [row["id"] for row in client.get("/api/v1/persons/").json()["results"]]


@pytest.mark.parametrize("persona", ["head_chengguan", "district_chengguan", "city"])
def test_supervisors_above_see_the_person(personas, api, tashi, persona):
    client = api(personas[persona])
    assert client.get(f"/api/v1/persons/{tashi.pk}/").status_code == 200
    assert tashi.pk in [row["id"] for row in client.get("/api/v1/persons/").json()["results"]]


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin"])
def test_the_three_administrators_cannot_read_persons(personas, api, tashi, persona):
    client = api(personas[persona])
    assert client.get("/api/v1/persons/").status_code == 403
    assert client.get(f"/api/v1/persons/{tashi.pk}/").status_code == 403


def test_anonymous_is_refused(db, api):
    response = api().get("/api/v1/persons/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def registration(**overrides):
    body = {
        "name_zh": "次仁卓玛",
        "name_bo": "ཚེ་རིང་སྒྲོལ་མ།",
        "id_number": valid_id_number(area="540102", birth="19950203", sequence=12, male=False),
        "phone": "13512345678",
        "residence_unit": "540102002",
        "household_unit": "540102002",
        "education": "bachelor",
        "graduation_date": "2017-07-01",
        "desired_occupations": ["4-03-02-01"],
        "desired_districts": ["540102"],
        "salary_expectation": 5000,
        "employment_status": "unemployed",
    }
    body.update(overrides)
    return body


def test_register_answers_201_with_the_fixed_field_names(personas, api):
    body = registration()
    response = api(personas["counsellor_chengguan"]).post("/api/v1/persons/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    for name in (
        "id",
        "name_zh",
        "name_bo",
        "id_number_masked",
        "phone_masked",
        "residence_unit",
        "household_unit",
        "key_groups",
        "employment_status",
        "version",
    ):
        assert name in data
    assert "id_number" not in data and "phone" not in data
    assert data["unit"] == "540102002"  # defaults to the caller's unit
    assert data["residence_unit"] == "540102002"
    assert data["id_number_masked"] == f"{body['id_number'][:6]}********{body['id_number'][-4:]}"
    assert data["phone_masked"] == "135****5678"
    assert data["birth_date"] == "1995-02-03"
    assert data["sex"] == "female"
    assert data["desired_occupations"] == ["4-03-02-01"]
    assert data["desired_districts"] == ["540102"]
    assert data["version"] == 1
    assert body["id_number"] not in response.content.decode()
    stored = Person.objects.get(pk=data["id"])
    assert stored.id_number == body["id_number"]
    assert stored.registered_by == personas["counsellor_chengguan"]


def test_duplicate_id_number_is_refused_and_nothing_is_created(personas, api, tashi):
    count = Person.objects.count()
    response = api(personas["counsellor_jiri"]).post(
        "/api/v1/persons/", registration(id_number=ID_NUMBER, residence_unit="540102003"), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["errors"]["id_number"]
    assert Person.objects.count() == count


def test_bad_check_digit_is_refused_on_the_id_number(personas, api):
    good = valid_id_number(sequence=5)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    count = Person.objects.count()
    response = api(personas["counsellor_chengguan"]).post(
        "/api/v1/persons/", registration(id_number=bad), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["id_number"]
    assert Person.objects.count() == count


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("residence_unit", "540199999"),
        ("household_unit", "not-a-code"),
        ("unit", "540102999"),
        ("desired_occupations", ["9-99-99-99"]),
        ("desired_districts", ["123"]),
        ("employment_status", "retired-ish"),
        ("salary_expectation", 10**12),
        ("graduation_date", "2017-13-45"),
        ("phone", "12345"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(personas, api, field, value):
    count = Person.objects.count()
    response = api(personas["counsellor_chengguan"]).post(
        "/api/v1/persons/", registration(**{field: value}), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Person.objects.count() == count


def test_missing_required_fields_are_named(personas, api):
    response = api(personas["counsellor_chengguan"]).post("/api/v1/persons/", {}, format="json")
    assert response.status_code == 400
    assert {"id_number", "residence_unit", "household_unit"} <= set(response.json()["errors"])


def test_a_unit_outside_the_area_is_refused(personas, api):
    response = api(personas["counsellor_chengguan"]).post(
        "/api/v1/persons/", registration(unit="540121100"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["unit"]


def test_malformed_json_is_a_400(personas, api):
    response = api(personas["counsellor_chengguan"]).post(
        "/api/v1/persons/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


def test_error_message_follows_accept_language(personas, api):
    client = api(personas["counsellor_chengguan"])
    for language in ("bo", "zh-hans", "en"):
        response = client.post(
            "/api/v1/persons/",
            registration(residence_unit="540199999"),
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 400
        assert response.json()["message"].strip()
        assert response["Content-Language"] == language


def test_possible_duplicate_needs_confirmation(personas, api, tashi):
    client = api(personas["counsellor_chengguan"])
    same_person_maybe = registration(
        name_zh=tashi.name_zh, name_bo="", id_number=valid_id_number(birth="19880512", sequence=38)
    )
    response = client.post("/api/v1/persons/", same_person_maybe, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "possible_duplicate"
    response = client.post("/api/v1/persons/", {**same_person_maybe, "confirm_similar": True}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("persona", ["district_chengguan", "city", "sysadmin", "secadmin", "auditadmin"])
def test_only_front_line_staff_register(personas, api, persona):
    count = Person.objects.count()
    response = api(personas[persona]).post("/api/v1/persons/", registration(), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert Person.objects.count() == count


def test_no_delete_and_no_put(personas, api, tashi):
    client = api(personas["counsellor_chengguan"])
    assert client.delete(f"/api/v1/persons/{tashi.pk}/").status_code == 405
    assert client.put(f"/api/v1/persons/{tashi.pk}/", {}, format="json").status_code == 405
    assert Person.objects.filter(pk=tashi.pk).exists()


@pytest.mark.parametrize("pk", ["0", "99999999", "99999999999999999999999"])
def test_unknown_ids_are_404_not_500(personas, api, pk):
    assert api(personas["city"]).get(f"/api/v1/persons/{pk}/").status_code == 404


def test_key_group_filter_and_codes(personas, api):
    counsellor = personas["counsellor_chengguan"]
    disabled = person(user=counsellor, sequence=41, name_zh="格桑", disability="2")
    other = person(user=counsellor, sequence=42, name_zh="拉巴")
    client = api(counsellor)
    rows = client.get("/api/v1/persons/", {"key_group": "disabled"}).json()["results"]
    assert [row["id"] for row in rows] == [disabled.pk]
    assert "disabled" in rows[0]["key_groups"]
    assert "disabled" not in client.get(f"/api/v1/persons/{other.pk}/").json()["key_groups"]
    detail = client.get(f"/api/v1/persons/{disabled.pk}/").json()
    assert detail["key_groups"] == rows[0]["key_groups"]
    assert detail["disability"] == "2"


def test_status_and_unit_filters(personas, api):
    counsellor = personas["counsellor_chengguan"]
    working = person(user=counsellor, sequence=43, name_zh="达瓦", employment_status="employed")
    idle = person(user=counsellor, sequence=44, name_zh="尼玛")
    client = api(personas["district_chengguan"])
    rows = client.get("/api/v1/persons/", {"employment_status": "employed"}).json()["results"]
    assert [row["id"] for row in rows] == [working.pk]
    ids = {row["id"] for row in client.get("/api/v1/persons/", {"unit": "540102002"}).json()["results"]}
    assert ids == {working.pk, idle.pk}
    assert client.get("/api/v1/persons/", {"unit": "540102003"}).json()["results"] == []
    assert client.get("/api/v1/persons/", {"q": "达瓦"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("employment_status", "sleeping"),
        ("key_group", "no-such-group"),
        ("unreachable", "maybe"),
        ("zero_employment", "yes please"),
        ("unit", "abc"),
        ("unit", "540199999"),
        ("page", "0"),
        ("page_size", "x"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(personas, api, name, value):
    response = api(personas["counsellor_chengguan"]).get("/api/v1/persons/", {name: value})
    assert response.status_code == 400
    assert name in response.json()["errors"]


def test_list_is_paginated(personas, api):
    counsellor = personas["counsellor_chengguan"]
    for n in range(3):
        person(user=counsellor, sequence=50 + n, name_zh=f"扎西{n}")
    body = api(counsellor).get("/api/v1/persons/", {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_list_queries_do_not_grow_with_the_page(personas, api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counsellor = personas["counsellor_chengguan"]
    client = api(counsellor)

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/persons/").status_code == 200
        return len(captured)

    person(user=counsellor, sequence=80, name_zh="一", disability="1")
    few = queries_for_list()
    for n in range(6):
        person(user=counsellor, sequence=81 + n, name_zh=f"多{n}", disability="2")
    assert queries_for_list() == few
