"""GET /api/v1/persons/{id}/recommendations and /api/v1/vacancies/{id}/candidates."""

import pytest

from matching.engine.types import FACTORS
from tests.matching.matching_builders import published_vacancy, seeker
from tests.vacancies.vacancy_builders import make_employer

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(personas):
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    employer = make_employer()
    vacancies = [published_vacancy(head=head, employer=employer, skills="刀工") for _ in range(7)]
    return seeker(user=counsellor, skills="刀工"), vacancies


def test_recommendations_carry_score_factors_and_reasons(personas, api, setting):
    person, vacancies = setting
    response = api(personas["counsellor_chengguan"]).get(
        f"/api/v1/persons/{person.pk}/recommendations", {"limit": 6}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["target"], body["feasible"], body["shortfall"]) == (6, 5, 7, "")
    first = body["results"][0]
    assert set(first["factors"]) == set(FACTORS)
    assert first["score"] == pytest.approx(sum(first["factors"].values()), abs=1e-3)
    assert first["vacancy"]["id"] in {v.pk for v in vacancies}
    assert len(first["reasons"]) == len(FACTORS)
    assert first["explanation"] and "1" in first["explanation"]
    # No personal data of the seeker comes back on this endpoint.
    assert person.id_number not in response.content.decode()


def test_reasons_follow_the_request_language(personas, api, setting):
    person, _ = setting
    client = api(personas["counsellor_chengguan"])
    tibetan = client.get(f"/api/v1/persons/{person.pk}/recommendations", HTTP_ACCEPT_LANGUAGE="bo").json()
    text = tibetan["results"][0]["explanation"]
    assert any("\u0f00" <= ch <= "\u0fff" for ch in text)


@pytest.mark.parametrize("limit", ["0", "51", "five", "-1"])
def test_a_bad_limit_is_a_400_naming_it(personas, api, setting, limit):
    person, _ = setting
    response = api(personas["counsellor_chengguan"]).get(
        f"/api/v1/persons/{person.pk}/recommendations", {"limit": limit}
    )
    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


def test_persons_outside_the_area_answer_404(personas, api, setting):
    person, _ = setting
    assert (
        api(personas["counsellor_jiri"]).get(f"/api/v1/persons/{person.pk}/recommendations").status_code
        == 404
    )
    assert api(personas["sysadmin"]).get(f"/api/v1/persons/{person.pk}/recommendations").status_code == 403
    assert api().get(f"/api/v1/persons/{person.pk}/recommendations").status_code == 401


def test_candidates_are_masked_and_scoped(personas, api, setting):
    person, vacancies = setting
    other = seeker(user=personas["counsellor_jiri"], sequence=5, unit_code="540102003")
    mine = api(personas["counsellor_chengguan"]).get(f"/api/v1/vacancies/{vacancies[0].pk}/candidates").json()
    assert [row["person"]["id"] for row in mine["results"]] == [person.pk]
    row = mine["results"][0]
    assert row["person"]["id_number"] == person.id_number_masked
    assert person.id_number not in str(mine)
    # A published vacancy is public: the sibling street looks for its own candidates.
    theirs = api(personas["counsellor_jiri"]).get(f"/api/v1/vacancies/{vacancies[0].pk}/candidates").json()
    assert [r["person"]["id"] for r in theirs["results"]] == [other.pk]


def test_the_schema_documents_both_endpoints(personas, api):
    schema = api(personas["counsellor_chengguan"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    text = schema.content.decode()
    assert "/api/v1/persons/{id}/recommendations" in text
    assert "/api/v1/vacancies/{id}/candidates" in text
