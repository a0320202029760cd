"""The vacancies API: the SPEC §5 contract, scope with three personas, writes, transitions, bad input."""

import json

import pytest

from tests.conftest import make_user
from tests.vacancies.vacancy_builders import COOK, make_employer, move, vacancy_values
from vacancies import services
from vacancies.models import Status

CONTRACT = {
    "id",
    "title_zh",
    "title_bo",
    "occupation",
    "unit",
    "salary_min",
    "salary_max",
    "headcount",
    "status",
    "reconfirmed_at",
}


def payload(employer, /, **values) -> dict:
    data = {
        "employer": employer.pk,
        "title_zh": "客房服务员",
        "title_bo": "མགྲོན་ཁང་ཞབས་ཞུ་བ།",
        "occupation": COOK,
        "salary_min": 3200,
        "salary_max": 4200,
        "pay_period": "month",
        "work_unit": "540102002",
        "work_type": "full_time",
        "channel": "phone",
        "headcount": 3,
    }
    data.update(values)
    return data


@pytest.fixture
def linzhou_vacancy(personas):
    employer = make_employer(unit_code="540121100", name_zh="林周县牧业合作社")
    values = vacancy_values(employer)
    return services.vacancy_create(acting_user=personas["counsellor_linzhou"], values=values)


def test_contract_fields(personas, api, published):
    body = api(personas["counsellor_chengguan"]).get(f"/api/v1/vacancies/{published.pk}/").json()
    assert CONTRACT <= set(body)
    assert body["occupation"] == COOK
    assert body["unit"] == "540102002"
    assert body["status"] == "published"
    assert body["reconfirmed_at"] is not None
    assert (body["salary_min"], body["salary_max"], body["headcount"]) == (4000, 6000, 2)
    assert body["version"] == published.version


@pytest.mark.parametrize(
    ("persona", "code"),
    [("counsellor_chengguan", 200), ("counsellor_jiri", 404), ("district_chengguan", 200), ("city", 200)],
)
def test_detail_scope(personas, api, draft, persona, code):
    response = api(personas[persona]).get(f"/api/v1/vacancies/{draft.pk}/")
    assert response.status_code == code
    if code == 404:
        assert response.json()["code"] == "not_found"


def test_lists_hold_only_the_subtree(personas, api, draft, linzhou_vacancy):
    def ids(persona):
        return {row["id"] for row in api(personas[persona]).get("/api/v1/vacancies/").json()["results"]}

    assert ids("counsellor_chengguan") == {draft.pk}
    assert ids("counsellor_jiri") == set()
    assert ids("district_chengguan") == {draft.pk}
    assert ids("city") == {draft.pk, linzhou_vacancy.pk}


def test_who_may_read(personas, api, draft):
    assert api().get("/api/v1/vacancies/").status_code == 401
    assert api(personas["sysadmin"]).get("/api/v1/vacancies/").status_code == 403
    owner = make_user("employer_owner", "employer", "540102002")
    assert api(owner).get("/api/v1/vacancies/").status_code == 403


def test_list_filters(personas, api, employer):
    counsellor = personas["counsellor_chengguan"]
    services.vacancy_create(acting_user=counsellor, values=vacancy_values(employer, title_zh="招聘会计"))
    services.vacancy_create(acting_user=counsellor, values=vacancy_values(employer, work_type="part_time"))
    client = api(counsellor)
    titles = [r["title_zh"] for r in client.get("/api/v1/vacancies/", {"q": "会计"}).json()["results"]]
    assert titles == ["招聘会计"]
    rows = client.get("/api/v1/vacancies/", {"work_type": "part_time", "occupation": "4-03"}).json()
    assert rows["count"] == 1
    rows = client.get("/api/v1/vacancies/", {"employer": employer.pk, "status": "draft"}).json()
    assert rows["count"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "open"}, "status"),
        ({"work_type": "any"}, "work_type"),
        ({"employer": "abc"}, "employer"),
        ({"occupation": "cook"}, "occupation"),
        ({"unit": "999999"}, "unit"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(personas, api, params, field):
    response = api(personas["counsellor_chengguan"]).get("/api/v1/vacancies/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_create_makes_a_draft(personas, api, employer):
    client = api(personas["counsellor_chengguan"])
    response = client.post("/api/v1/vacancies/", payload(employer), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["unit"], body["occupation"]) == ("draft", "540102002", COOK)
    assert body["version"] == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"occupation": "4-03"}, "occupation"),  # not the most detailed level
        ({"occupation": 403}, "occupation"),
        ({"salary_min": "abc"}, "salary_min"),
        ({"salary_min": 10**12}, "salary_min"),
        ({"salary_min": 5000, "salary_max": 4000}, "salary_max"),
        ({"pay_period": "week"}, "pay_period"),
        ({"headcount": 0}, "headcount"),
        ({"work_unit": "lhasa"}, "work_unit"),
        ({"unit": "540102003"}, "unit"),  # a sibling's station
        ({"employer": "x"}, "employer"),
        ({"employer": 99999999}, "employer"),
        ({"age_min": 40, "age_max": 30}, "age_max"),
        ({"title_zh": ""}, "title_zh"),
        ({"channel": "\ud800"}, "channel"),
    ],
)
def test_bad_values_are_400_naming_the_field(personas, api, employer, values, field):
    # Sent as ASCII-escaped JSON, so that a lone surrogate reaches the server as a client could send it.
    body = json.dumps(payload(employer, **values))
    response = api(personas["counsellor_chengguan"]).post(
        "/api/v1/vacancies/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_employer_outside_the_area_does_not_exist_for_the_caller(personas, api, employer):
    other = make_employer(unit_code="540121100", name_zh="林周县牧业合作社")
    response = api(personas["counsellor_chengguan"]).post("/api/v1/vacancies/", payload(other), format="json")
    assert response.status_code == 400
    assert "employer" in response.json()["errors"]


def test_supervisors_cannot_write(personas, api, employer):
    client = api(personas["district_chengguan"])
    response = client.post("/api/v1/vacancies/", payload(employer), format="json")
    assert response.status_code == 403


def test_patch_with_version_and_a_stale_one(personas, api, draft):
    client = api(personas["counsellor_chengguan"])
    url = f"/api/v1/vacancies/{draft.pk}/"
    response = client.patch(url, {"headcount": 5, "version": draft.version}, format="json")
    assert response.status_code == 200 and response.json()["headcount"] == 5
    response = client.patch(url, {"headcount": 6, "version": draft.version}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "concurrent_edit"
    response = client.patch(url, {"headcount": 6}, format="json")
    assert response.status_code == 400 and "version" in response.json()["errors"]
    sibling = api(personas["counsellor_jiri"])
    assert sibling.patch(url, {"headcount": 7, "version": 2}, format="json").status_code == 404


def test_patching_a_published_vacancy_sends_it_back_to_review(personas, api, published):
    published.refresh_from_db()
    change = {"salary_max": 7000, "version": published.version}
    response = api(personas["counsellor_chengguan"]).patch(
        f"/api/v1/vacancies/{published.pk}/", change, format="json"
    )
    assert response.json()["status"] == "under_review"


def test_transitions_through_the_api(personas, api, draft):
    url = f"/api/v1/vacancies/{draft.pk}/transition"
    counsellor, head = api(personas["counsellor_chengguan"]), api(personas["head_chengguan"])
    response = counsellor.post(url, {"action": "submit", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "under_review"
    response = counsellor.post(url, {"action": "approve", "version": 2}, format="json")
    assert response.status_code == 403
    response = head.post(url, {"action": "approve", "version": 1}, format="json")
    assert response.status_code == 409
    response = head.post(url, {"action": "approve", "version": 2, "note": "核实"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["reconfirmed_at"]
    response = counsellor.post(url, {"action": "suspend", "version": 3}, format="json")
    assert response.status_code == 400 and "note" in response.json()["errors"]
    response = counsellor.post(url, {"action": "submit", "version": 3}, format="json")
    assert response.status_code == 400 and "action" in response.json()["errors"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "publish", "version": 1}, "action"),
        ({"action": "revise", "version": 1}, "action"),
        ({"action": "submit"}, "version"),
        ({"action": "submit", "version": "one"}, "version"),
        ({"action": "close", "version": 1, "note": "x" * 301}, "note"),
    ],
)
def test_bad_transition_requests(personas, api, draft, data, field):
    response = api(personas["counsellor_chengguan"]).post(
        f"/api/v1/vacancies/{draft.pk}/transition", data, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_approval_refused_with_the_problems_per_field(personas, api, employer):
    counsellor = personas["counsellor_chengguan"]
    values = vacancy_values(employer, physical_requirements="乙肝携带者勿扰", pay_period="day", salary_min=80)
    vacancy = services.vacancy_create(acting_user=counsellor, values=values)
    move(vacancy, counsellor, "submit")
    response = api(personas["head_chengguan"]).post(
        f"/api/v1/vacancies/{vacancy.pk}/transition", {"action": "approve", "version": 2}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "vetting_failed"
    assert set(body["errors"]) == {"physical_requirements", "salary_min"}
    vacancy.refresh_from_db()
    assert vacancy.status == Status.UNDER_REVIEW


def test_the_sibling_gets_404_on_transition(personas, api, draft):
    response = api(personas["counsellor_jiri"]).post(
        f"/api/v1/vacancies/{draft.pk}/transition", {"action": "close", "version": 1}, format="json"
    )
    assert response.status_code == 404
