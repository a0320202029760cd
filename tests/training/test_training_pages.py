"""Training pages: three-persona scope, filters, forms, publish buttons and the Excel export."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import Action, AuditEntry
from network.models import OrgUnit
from occupations.models import Occupation
from tests.training.conftest import COOK, credit_code
from training.models import Course, Provider


@pytest.fixture(autouse=True)
def _english(personas):
    # The assertions read English texts; the lead translates the catalogues later.
    for user in personas.values():
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def barkhor(make_provider, make_course):
    provider = make_provider(name_zh="八廓街家政培训学校")
    course = make_course(provider, title_zh="家政服务员培训班")
    return provider, course


def test_the_units_user_sees_provider_and_course(personas, page_client, barkhor):
    provider, course = barkhor
    client = page_client(personas["counsellor_chengguan"])
    page = client.get(f"/training/providers/{provider.pk}/").content.decode()
    assert "八廓街家政培训学校" in page and "家政服务员培训班" in page
    assert client.get(f"/training/courses/{course.pk}/").status_code == 200
    assert "八廓街家政培训学校" in client.get("/training/providers/").content.decode()
    assert "家政服务员培训班" in client.get("/training/courses/").content.decode()


def test_a_sibling_units_user_gets_404(personas, page_client, barkhor):
    provider, course = barkhor
    client = page_client(personas["counsellor_jiri"])
    assert client.get(f"/training/providers/{provider.pk}/").status_code == 404
    assert client.get(f"/training/courses/{course.pk}/").status_code == 404
    assert client.get(f"/training/courses/{course.pk}/edit/").status_code == 404
    assert client.post(f"/training/courses/{course.pk}/publish/", {"version": 1}).status_code == 404
    assert "八廓街家政培训学校" not in client.get("/training/providers/").content.decode()
    assert "家政服务员培训班" not in client.get("/training/courses/").content.decode()


@pytest.mark.parametrize("persona", ["district_chengguan", "city"])
def test_supervisors_above_see_them(personas, page_client, barkhor, persona):
    provider, course = barkhor
    client = page_client(personas[persona])
    assert client.get(f"/training/providers/{provider.pk}/").status_code == 200
    assert client.get(f"/training/courses/{course.pk}/").status_code == 200


def test_another_district_gets_404(personas, page_client, barkhor):
    provider, course = barkhor
    client = page_client(personas["district_linzhou"])
    assert client.get(f"/training/providers/{provider.pk}/").status_code == 404
    assert client.get(f"/training/courses/{course.pk}/").status_code == 404


def test_administrators_have_no_training_pages(personas, page_client):
    for name in ("sysadmin", "secadmin", "auditadmin"):
        assert page_client(personas[name]).get("/training/providers/").status_code == 403


def test_district_provider_is_visible_below_but_only_the_district_edits_it(
    personas, page_client, make_provider
):
    provider = make_provider(user=personas["district_chengguan"], unit_code="540102")
    head = page_client(personas["head_chengguan"])
    page = head.get(f"/training/providers/{provider.pk}/").content.decode()
    assert f"/training/providers/{provider.pk}/edit/" not in page
    assert head.get(f"/training/providers/{provider.pk}/edit/").status_code == 403
    district = page_client(personas["district_chengguan"])
    assert (
        f"/training/providers/{provider.pk}/edit/"
        in district.get(f"/training/providers/{provider.pk}/").content.decode()
    )


def test_nav_shows_training_to_service_roles(personas, page_client):
    page = page_client(personas["counsellor_chengguan"]).get("/training/courses/").content.decode()
    assert 'href="/training/providers/"' in page and 'href="/training/courses/"' in page
    assert "/training/providers/new/" not in page  # counsellors do not register providers


def test_register_a_provider_through_the_form(personas, page_client):
    client = page_client(personas["head_chengguan"])
    assert client.get("/training/providers/new/").status_code == 200
    code = credit_code(900)
    response = client.post(
        "/training/providers/new/",
        {
            "name_zh": "拉萨市藏医药技能培训中心",
            "name_bo": "",
            "credit_code": code.lower(),
            "qualification": "training_institution",
            "licence_number": "教民15401027000123号",
            "licence_expires_on": "2030-12-31",
            "unit": OrgUnit.objects.get(code="540102002").pk,
        },
    )
    provider = Provider.objects.get(credit_code=code)
    assert response.status_code == 302 and response["Location"] == f"/training/providers/{provider.pk}/"


def test_form_shows_a_bad_credit_code_next_to_the_field(personas, page_client):
    response = page_client(personas["head_chengguan"]).post(
        "/training/providers/new/",
        {
            "name_zh": "某培训学校",
            "credit_code": "91540102000000001A",
            "qualification": "training_institution",
            "licence_number": "x1",
            "licence_expires_on": "2030-12-31",
            "unit": OrgUnit.objects.get(code="540102002").pk,
        },
    )
    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    assert not Provider.objects.exists()


def test_provider_edit_with_a_stale_version_says_so(personas, page_client, barkhor):
    provider, _ = barkhor
    client = page_client(personas["head_chengguan"])
    data = {
        "name_zh": provider.name_zh,
        "credit_code": provider.credit_code,
        "qualification": provider.qualification,
        "licence_number": provider.licence_number,
        "licence_expires_on": "2031-01-31",
        "unit": provider.unit_id,
        "is_active": "on",
        "version": provider.version,
    }
    assert client.post(f"/training/providers/{provider.pk}/edit/", data).status_code == 302
    response = client.post(f"/training/providers/{provider.pk}/edit/", data)  # the same, now stale
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()


def test_licence_warning_within_60_days(personas, page_client, make_provider):
    soon = make_provider(expires=timezone.localdate() + datetime.timedelta(days=20))
    later = make_provider(expires=timezone.localdate() + datetime.timedelta(days=200))
    expired = make_provider(expires=timezone.localdate() - datetime.timedelta(days=1))
    client = page_client(personas["counsellor_chengguan"])
    assert "runs out in 20 days" in client.get(f"/training/providers/{soon.pk}/").content.decode()
    page = client.get(f"/training/providers/{later.pk}/").content.decode()
    assert "runs out in" not in page and "200 days left" in page
    assert "The licence expired on" in client.get(f"/training/providers/{expired.pk}/").content.decode()


def test_provider_status_filter(personas, page_client, make_provider):
    make_provider(name_zh="有效培训学校")
    make_provider(name_zh="过期培训学校", expires=timezone.localdate() - datetime.timedelta(days=3))
    client = page_client(personas["counsellor_chengguan"])
    page = client.get("/training/providers/?status=qualified").content.decode()
    assert "有效培训学校" in page and "过期培训学校" not in page
    page = client.get("/training/providers/?status=expired", HTTP_HX_REQUEST="true").content.decode()
    assert "过期培训学校" in page and "有效培训学校" not in page and "<html" not in page
    assert client.get("/training/providers/?status=bogus&unit=zzz").status_code == 200


def test_course_filters(personas, page_client, make_provider, make_course):
    provider = make_provider()
    today = timezone.localdate()
    make_course(provider, title_zh="即将开班", starts=today + datetime.timedelta(days=3), language="bo")
    make_course(
        provider,
        title_zh="已结束班",
        starts=today - datetime.timedelta(days=20),
        ends=today - datetime.timedelta(days=2),
        occupation=Occupation.objects.get(code="4-10-01-01"),
    )
    client = page_client(personas["counsellor_chengguan"])

    def titles(query):
        page = client.get(f"/training/courses/?{query}").content.decode()
        return {t for t in ("即将开班", "已结束班") if t in page}

    assert titles("timing=upcoming") == {"即将开班"}
    assert titles("timing=ended") == {"已结束班"}
    assert titles("language=bo") == {"即将开班"}
    assert titles("occupation=4-03") == {"即将开班"}
    assert titles(f"occupation={COOK}") == {"即将开班"}
    assert titles("published=yes") == set()
    assert titles("occupation=drop%20table") == {"即将开班", "已结束班"}  # a bad filter filters nothing


def test_create_course_and_publish_with_the_button(personas, page_client, barkhor):
    provider, _ = barkhor
    client = page_client(personas["counsellor_chengguan"])
    form = client.get(f"/training/courses/new/?provider={provider.pk}")
    assert form.status_code == 200
    start = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        "/training/courses/new/",
        {
            "provider": provider.pk,
            "title_zh": "藏式餐饮服务培训",
            "title_bo": "",
            "occupation": Occupation.objects.get(code=COOK).pk,
            "language": "bo",
            "starts_on": start.isoformat(),
            "ends_on": (start + datetime.timedelta(days=5)).isoformat(),
            "place": "八廓街道社区服务中心",
            "unit": personas["counsellor_chengguan"].unit_id,
            "capacity": 25,
            "subsidy": 800,
            "channel": "township_collection",
        },
    )
    course = Course.objects.get(title_zh="藏式餐饮服务培训")
    assert response["Location"] == f"/training/courses/{course.pk}/"
    page = client.get(f"/training/courses/{course.pk}/").content.decode()
    assert f"/training/courses/{course.pk}/publish/" in page
    response = client.post(
        f"/training/courses/{course.pk}/publish/", {"version": course.version}, follow=True
    )
    assert "Course published." in response.content.decode()
    assert Course.objects.get(pk=course.pk).is_published
    assert f"/training/courses/{course.pk}/unpublish/" in response.content.decode()


def test_course_form_refuses_a_group_and_reversed_dates(personas, page_client, barkhor):
    provider, _ = barkhor
    start = timezone.localdate() + datetime.timedelta(days=10)
    response = page_client(personas["counsellor_chengguan"]).post(
        "/training/courses/new/",
        {
            "provider": provider.pk,
            "title_zh": "错误的班",
            "occupation": Occupation.objects.get(code="4-03-02").pk,
            "language": "zh",
            "starts_on": start.isoformat(),
            "ends_on": (start - datetime.timedelta(days=1)).isoformat(),
            "place": "x",
            "unit": personas["counsellor_chengguan"].unit_id,
            "capacity": 0,
            "subsidy": 99999999999999999999,
            "channel": "walk_in",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"occupation", "capacity", "subsidy"}
    assert not Course.objects.filter(title_zh="错误的班").exists()


def test_publish_button_refused_for_expired_provider(personas, page_client, barkhor):
    provider, course = barkhor
    Provider.objects.filter(pk=provider.pk).update(
        licence_expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = page_client(personas["counsellor_chengguan"])
    page = client.get(f"/training/courses/{course.pk}/").content.decode()
    assert "cannot be published yet" in page and f"/training/courses/{course.pk}/publish/" not in page
    response = client.post(
        f"/training/courses/{course.pk}/publish/", {"version": course.version}, follow=True
    )
    assert "expired" in response.content.decode()
    assert not Course.objects.get(pk=course.pk).is_published
    assert client.post(f"/training/courses/{course.pk}/publish/", {"version": "x"}).status_code == 302


def test_publish_needs_post_and_the_power(personas, page_client, barkhor):
    _, course = barkhor
    assert (
        page_client(personas["counsellor_chengguan"])
        .get(f"/training/courses/{course.pk}/publish/")
        .status_code
        == 405
    )
    assert (
        page_client(personas["district_chengguan"])
        .post(f"/training/courses/{course.pk}/publish/", {"version": 1})
        .status_code
        == 403
    )


def test_provider_export(personas, page_client, make_provider):
    make_provider(name_zh="=HYPERLINK(1)")
    make_provider(name_zh="过期培训学校", expires=timezone.localdate() - datetime.timedelta(days=3))
    make_provider(user=personas["district_linzhou"], unit_code="540121", name_zh="林周县培训学校")
    response = page_client(personas["district_chengguan"]).get("/training/providers/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Chinese name"
    names = {row[0] for row in rows[1:]}
    assert names == {"'=HYPERLINK(1)", "过期培训学校"}  # no formula, nothing from 林周县
    entry = AuditEntry.objects.get(action=Action.EXPORT, actor_username="district_chengguan")
    assert "2 rows" in entry.note
    filtered = page_client(personas["district_chengguan"]).get(
        "/training/providers/?status=expired&format=xlsx"
    )
    rows = list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["过期培训学校"]


def test_course_export(personas, page_client, barkhor):
    response = page_client(personas["counsellor_chengguan"]).get("/training/courses/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "家政服务员培训班" and rows[1][3] == COOK
    assert page_client(personas["counsellor_jiri"]).get("/training/courses/?format=xlsx").status_code == 200
    rows = list(
        load_workbook(
            io.BytesIO(page_client(personas["counsellor_jiri"]).get("/training/courses/?format=xlsx").content)
        ).active.iter_rows(values_only=True)
    )
    assert len(rows) == 1  # header only


def test_bad_ids_are_404_not_500(personas, page_client):
    client = page_client(personas["city"])
    assert client.get("/training/courses/99999999999999999999999/").status_code == 404
    assert client.get("/training/providers/9223372036854775808/").status_code == 404
    assert client.get("/training/courses/new/?provider=abc").status_code == 403  # city supervisors do not


@pytest.mark.parametrize(
    "path",
    [
        "/training/providers/",
        "/training/providers/{provider}/",
        "/training/providers/{provider}/edit/",
        "/training/providers/new/",
        "/training/courses/",
        "/training/courses/{course}/",
        "/training/courses/{course}/edit/",
    ],
)
def test_pages_render_in_tibetan(personas, page_client, barkhor, path):
    provider, course = barkhor
    user = personas["head_chengguan"]
    user.language = "bo"
    user.save(update_fields=["language"])
    response = page_client(user).get(path.format(provider=provider.pk, course=course.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="bo">' in html
    assert 'name="viewport"' in html  # the mobile layout of base.html
