"""Training API: three-persona scope, writes for those allowed, 400 naming the field, 409 if stale."""

import datetime

import pytest
from django.utils import timezone

from tests.training.conftest import COOK, credit_code
from training.models import Course, Provider

PROVIDERS = "/api/v1/training/providers/"
COURSES = "/api/v1/training/courses/"


@pytest.fixture
def barkhor(make_provider, make_course):
    provider = make_provider(name_zh="八廓街家政培训学校")
    return provider, make_course(provider, title_zh="家政服务员培训班")


def _course_body(provider_record, **extra):
    start = timezone.localdate() + datetime.timedelta(days=10)
    body = {
        "provider": provider_record.pk,
        "title_zh": "酥油茶制作培训",
        "title_bo": "ཇ་བཟོ་སྟངས།",
        "occupation": COOK,
        "language": "bo",
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=4)).isoformat(),
        "place": "八廓街道社区服务中心",
        "capacity": 20,
        "subsidy": 600,
        "channel": "township_collection",
    }
    body.update(extra)
    return body


def test_three_personas_on_detail(personas, api, barkhor):
    provider, course = barkhor
    own = api(personas["counsellor_chengguan"])
    body = own.get(f"{COURSES}{course.pk}/").json()
    assert (
        body["occupation"] == COOK and body["unit"] == "540102002" and body["provider"]["id"] == provider.pk
    )
    assert own.get(f"{PROVIDERS}{provider.pk}/").json()["unit"] == "540102002"
    sibling = api(personas["counsellor_jiri"])
    for path in (f"{COURSES}{course.pk}/", f"{PROVIDERS}{provider.pk}/"):
        response = sibling.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert api(personas["district_chengguan"]).get(path).status_code == 200
        assert api(personas["city"]).get(path).status_code == 200
        assert api(personas["district_linzhou"]).get(path).status_code == 404


def test_lists_hold_only_the_subtree(personas, api, barkhor, make_provider, make_course):
    linzhou = make_provider(user=personas["district_linzhou"], unit_code="540121", name_zh="林周县培训学校")
    make_course(linzhou, user=personas["counsellor_linzhou"], unit_code="540121100", title_zh="青稞种植培训")

    def names(user, path, key):
        return {row[key] for row in api(personas[user]).get(path).json()["results"]}

    assert names("counsellor_chengguan", PROVIDERS, "name_zh") == {"八廓街家政培训学校"}
    assert names("counsellor_jiri", PROVIDERS, "name_zh") == set()
    assert names("counsellor_linzhou", PROVIDERS, "name_zh") == {"林周县培训学校"}  # registered above them
    assert names("city", PROVIDERS, "name_zh") == {"八廓街家政培训学校", "林周县培训学校"}
    assert names("counsellor_chengguan", COURSES, "title_zh") == {"家政服务员培训班"}
    assert names("counsellor_jiri", COURSES, "title_zh") == set()
    assert names("district_chengguan", COURSES, "title_zh") == {"家政服务员培训班"}
    assert names("city", COURSES, "title_zh") == {"家政服务员培训班", "青稞种植培训"}


def test_administrators_and_anonymous_are_refused(personas, api):
    assert api(personas["sysadmin"]).get(COURSES).status_code == 403
    assert api(personas["auditadmin"]).get(PROVIDERS).status_code == 403
    assert api().get(COURSES).status_code in (401, 403)


def test_station_head_registers_a_provider(personas, api):
    code = credit_code(501)
    response = api(personas["head_chengguan"]).post(
        PROVIDERS,
        {
            "name_zh": "拉萨唐卡绘制技艺培训中心",
            "credit_code": f"{code[:9]}-{code[9:]}",
            "licence_number": "教民15401020000501号",
            "qualification": "training_institution",
            "licence_expires_on": "2029-06-30",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["credit_code"] == code and body["unit"] == "540102002" and body["licence_valid"] is True
    duplicate = api(personas["district_linzhou"]).post(
        PROVIDERS,
        {
            "name_zh": "重复",
            "credit_code": code,
            "licence_number": "x",
            "qualification": "enterprise",
            "licence_expires_on": "2029-06-30",
        },
        format="json",
    )
    assert duplicate.status_code == 400 and list(duplicate.json()["errors"]) == ["credit_code"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"credit_code": "91540102000000001A"}, "credit_code"),
        ({"credit_code": 12}, "credit_code"),
        ({"licence_number": ""}, "licence_number"),
        ({"licence_expires_on": "31/12/2029"}, "licence_expires_on"),
        ({"licence_expires_on": "2999-01-01"}, "licence_expires_on"),
        ({"qualification": "university"}, "qualification"),
        ({"unit": "540121100"}, "unit"),  # outside the area
        ({"unit": "999999"}, "unit"),
        ({"unit": "abc"}, "unit"),
    ],
)
def test_bad_provider_values_answer_400_naming_the_field(personas, api, change, field):
    body = {
        "name_zh": "某培训学校",
        "credit_code": credit_code(77),
        "licence_number": "教民1号",
        "qualification": "enterprise",
        "licence_expires_on": "2029-06-30",
    }
    body.update(change)
    response = api(personas["head_chengguan"]).post(PROVIDERS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Provider.objects.exists()


def test_counsellors_cannot_write_providers(personas, api, barkhor):
    provider, _ = barkhor
    client = api(personas["counsellor_chengguan"])
    assert client.post(PROVIDERS, {}, format="json").status_code == 403
    assert client.patch(f"{PROVIDERS}{provider.pk}/", {"version": 1}, format="json").status_code == 403


def test_provider_patch_with_version(personas, api, barkhor):
    provider, _ = barkhor
    client = api(personas["head_chengguan"])
    response = client.patch(
        f"{PROVIDERS}{provider.pk}/", {"address": "林廓北路 3 号", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = client.patch(f"{PROVIDERS}{provider.pk}/", {"address": "x", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_edit"
    assert client.patch(f"{PROVIDERS}{provider.pk}/", {"address": "x"}, format="json").status_code == 400


def test_counsellor_creates_and_publishes_a_course(personas, api, barkhor):
    provider, _ = barkhor
    client = api(personas["counsellor_chengguan"])
    response = client.post(COURSES, _course_body(provider), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_published"] is False and body["unit"] == "540102002" and body["occupation"] == COOK
    published = client.patch(f"{COURSES}{body['id']}/", {"is_published": True, "version": 1}, format="json")
    assert published.status_code == 200 and published.json()["is_published"] is True
    assert published.json()["recommendable"] is True
    again = client.patch(
        f"{COURSES}{body['id']}/", {"capacity": 40, "is_published": False, "version": 2}, format="json"
    )
    assert again.status_code == 200
    assert (again.json()["capacity"], again.json()["is_published"], again.json()["version"]) == (40, False, 4)
    stale = client.patch(f"{COURSES}{body['id']}/", {"is_published": False, "version": 2}, format="json")
    assert stale.status_code == 409


def test_publishing_for_an_expired_provider_is_400(personas, api, barkhor):
    provider, course = barkhor
    Provider.objects.filter(pk=provider.pk).update(
        licence_expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = api(personas["counsellor_chengguan"]).patch(
        f"{COURSES}{course.pk}/",
        {"place": "新地点", "is_published": True, "version": course.version},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["provider"]
    course.refresh_from_db()
    assert (course.place, course.is_published, course.version) == (
        "城关区就业服务中心三楼",
        False,
        1,
    )  # all or nothing


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occupation": "4-03-02"}, "occupation"),  # a group, not an occupation
        ({"occupation": "9-99-99-99"}, "occupation"),
        ({"occupation": ["x"]}, "occupation"),
        ({"ends_on": "2000-01-01"}, "ends_on"),
        ({"starts_on": "not a date"}, "starts_on"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10**30}, "capacity"),
        ({"subsidy": -1}, "subsidy"),
        ({"subsidy": 10**9}, "subsidy"),
        ({"language": "fr"}, "language"),
        ({"channel": "carrier pigeon"}, "channel"),
        ({"provider": 10**30}, "provider"),
        ({"provider": 999999}, "provider"),
        ({"provider": "abc"}, "provider"),
        ({"unit": "540102003"}, "unit"),  # a sibling station
    ],
)
def test_bad_course_values_answer_400_naming_the_field(personas, api, barkhor, change, field):
    provider, _ = barkhor
    response = api(personas["counsellor_chengguan"]).post(
        COURSES, _course_body(provider, **change), format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert Course.objects.count() == 1


def test_a_sibling_stations_provider_cannot_be_booked(personas, api, make_provider):
    jiri_head = personas["head_chengguan"]
    jiri_head.unit_id = personas["counsellor_jiri"].unit_id
    jiri_head.save()
    jiri_provider = make_provider(user=jiri_head, unit_code="540102003")
    response = api(personas["counsellor_chengguan"]).post(COURSES, _course_body(jiri_provider), format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["provider"]


@pytest.mark.parametrize(
    "query",
    ["timing=soon", "language=xx", "published=maybe", "occupation=abc", "provider=x", "unit=zz", "page=0"],
)
def test_bad_filters_answer_400(personas, api, query):
    response = api(personas["city"]).get(f"{COURSES}?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()["errors"]


def test_filters(personas, api, barkhor, make_course):
    provider, course = barkhor
    client = api(personas["city"])
    assert [r["id"] for r in client.get(f"{COURSES}?occupation=4-03&timing=upcoming").json()["results"]] == [
        course.pk
    ]
    assert client.get(f"{COURSES}?published=true").json()["count"] == 0
    assert client.get(f"{PROVIDERS}?status=expired").json()["count"] == 0
    assert client.get(f"{PROVIDERS}?status=qualified&unit=540102").json()["count"] == 1
    assert client.get(f"{PROVIDERS}?status=bogus").status_code == 400
    assert client.get(f"{COURSES}99999999999999999999999/").status_code == 404
