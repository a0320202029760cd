"""The candidates page: a vacancy's best job seekers in the user's area, masked, with a
"Recommend" button that records the recommendation and then links to it."""

import re

import pytest
from django.utils import translation

from matching.explain import explanation
from recommendations.models import Origin, Recommendation, State
from tests.matching.matching_builders import published_vacancy, seeker
from vacancies.models import Status

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<tr id="person-(\d+)">')


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


@pytest.fixture
def vacancy(personas):
    return published_vacancy(head=personas["head_chengguan"], title_zh="热菜厨师")


@pytest.fixture
def cooks(counsellor, personas):
    """Three cooks in 八廓街道 and one in the sibling street (another counsellor's area)."""
    ours = [seeker(user=counsellor, sequence=n, experience_years=n) for n in range(1, 4)]
    theirs = seeker(user=personas["counsellor_jiri"], sequence=9, unit_code="540102003")
    return ours, theirs


def rows(response) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def test_candidates_are_the_users_area_only_masked_with_reasons(counsellor, page_client, vacancy, cooks):
    ours, theirs = cooks
    response = page_client(counsellor).get(f"/matching/vacancy/{vacancy.pk}/candidates/")
    assert set(rows(response)) == {p.pk for p in ours}
    body = response.content.decode()
    for person in ours:
        assert person.id_number_masked in body
        assert person.id_number not in body
    assert theirs.id_number_masked not in body


def test_the_sibling_street_sees_its_own_cook(personas, page_client, vacancy, cooks):
    _ours, theirs = cooks
    response = page_client(personas["counsellor_jiri"]).get(f"/matching/vacancy/{vacancy.pk}/candidates/")
    assert rows(response) == [theirs.pk]


def test_reasons_are_in_the_readers_language(counsellor, page_client, vacancy, cooks):
    from matching import services

    best = services.candidates_for_vacancy(user=counsellor, vacancy=vacancy, limit=1).results[0]
    with translation.override("en"):
        english = explanation(best.facts, best.factors)[0]["text"]
    counsellor.language = "en"
    counsellor.save()
    body = page_client(counsellor).get(f"/matching/vacancy/{vacancy.pk}/candidates/").content.decode()
    assert english in body
    assert [int(pk) for pk in ROW.findall(body)][0] == best.person.pk


def test_recommend_records_it_and_the_row_links_to_the_persons_recommendations(
    counsellor, page_client, vacancy, cooks
):
    ours, _theirs = cooks
    client = page_client(counsellor)
    person = ours[0]
    response = client.post(f"/matching/vacancy/{vacancy.pk}/candidates/{person.pk}/recommend/", {"limit": 20})
    assert response.status_code == 302
    assert response["Location"] == f"/matching/vacancy/{vacancy.pk}/candidates/?limit=20#person-{person.pk}"
    rec = Recommendation.objects.get(person=person, vacancy=vacancy)
    assert (rec.state, rec.origin, rec.created_by) == (State.MATCHED, Origin.CANDIDATES, counsellor)
    assert rec.facts and rec.factors
    body = client.get(response["Location"]).content.decode()
    row = body.split(f'<tr id="person-{person.pk}">')[1].split("</tr>")[0]
    assert 'class="tag ok"' in row
    assert f'href="/recommendations/person/{person.pk}/"' in row
    assert "/recommend/" not in row
    other = body.split(f'<tr id="person-{ours[1].pk}">')[1].split("</tr>")[0]
    assert f"/candidates/{ours[1].pk}/recommend/" in other

    # Pressing it again records nothing new.
    client.post(f"/matching/vacancy/{vacancy.pk}/candidates/{person.pk}/recommend/")
    assert Recommendation.objects.filter(person=person, vacancy=vacancy).count() == 1


def test_the_limit_selector(counsellor, page_client, vacancy):
    for n in range(1, 12):
        seeker(user=counsellor, sequence=n)
    client = page_client(counsellor)
    url = f"/matching/vacancy/{vacancy.pk}/candidates/"
    assert len(rows(client.get(url))) == 10
    assert len(rows(client.get(url, {"limit": 20}))) == 11
    assert '<option value="20" selected>' in client.get(url, {"limit": 20}).content.decode()
    assert len(rows(client.get(url, {"limit": 7}))) == 10  # not an offered choice: the default


def test_scope_and_rights(personas, page_client, vacancy, cooks):
    ours, theirs = cooks
    jiri = page_client(personas["counsellor_jiri"])
    # A person outside the area cannot be recommended, and does not exist for the caller.
    response = jiri.post(f"/matching/vacancy/{vacancy.pk}/candidates/{ours[0].pk}/recommend/")
    assert response.status_code == 404
    assert not Recommendation.objects.filter(person=ours[0]).exists()
    # A supervisor may look but not recommend.
    district = page_client(personas["district_chengguan"])
    body = district.get(f"/matching/vacancy/{vacancy.pk}/candidates/").content.decode()
    assert "/recommend/" not in body
    assert (
        district.post(f"/matching/vacancy/{vacancy.pk}/candidates/{ours[0].pk}/recommend/").status_code == 403
    )
    # Administrators hold no matching rights.
    assert (
        page_client(personas["sysadmin"]).get(f"/matching/vacancy/{vacancy.pk}/candidates/").status_code
        == 403
    )


def test_an_unpublished_vacancy_is_seen_only_in_its_area(personas, page_client, vacancy):
    vacancy.status = Status.SUSPENDED
    vacancy.save()
    url = f"/matching/vacancy/{vacancy.pk}/candidates/"
    assert page_client(personas["counsellor_chengguan"]).get(url).status_code == 200
    assert page_client(personas["counsellor_linzhou"]).get(url).status_code == 404


def test_the_vacancy_page_links_to_its_candidates(counsellor, page_client, vacancy):
    body = page_client(counsellor).get(f"/vacancies/{vacancy.pk}/").content.decode()
    assert f'href="/matching/vacancy/{vacancy.pk}/candidates/"' in body


@pytest.mark.parametrize("language", ["zh-hans", "bo", "en"])
def test_the_page_renders_in_each_language(counsellor, page_client, vacancy, cooks, language):
    counsellor.language = language
    counsellor.save()
    response = page_client(counsellor).get(f"/matching/vacancy/{vacancy.pk}/candidates/")
    assert response.status_code == 200
    assert response["Content-Language"] == language
