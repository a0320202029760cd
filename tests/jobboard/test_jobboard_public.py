"""The public board, pages and API: no sign-in, nothing private, clear 400s, QR codes, Tibetan."""

import re

import pytest
import segno
from django.core.cache import cache
from django.test import Client

from tests.conftest import make_user
from tests.jobboard import board_data as data

pytestmark = pytest.mark.django_db

HIDDEN_PHONE = "0891-6830517"
SHOWN_PHONE = "13908901234"
REVIEW_NOTE = "核实营业执照无误-内部备注"
EXTERNAL_ID = "XZ-PLATFORM-7781"
ZA_KHANG_MA_CHEN = "ཟ་ཁང་གི་མ་བྱན།"

VACANCY_FIELDS = {
    "id",
    "title_zh",
    "title_bo",
    "occupation",
    "occupation_name_zh",
    "occupation_name_bo",
    "employer_name_zh",
    "employer_name_bo",
    "work_unit",
    "work_unit_name_zh",
    "work_unit_name_bo",
    "salary_min",
    "salary_max",
    "pay_period",
    "headcount",
    "work_type",
    "description",
    "requirements",
    "benefits",
    "published_at",
    "reconfirmed_at",
    "contact_phone",
}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The public API is throttled per address; every test starts with a clean count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    return make_user("jobboard-creator-9", "station_head", "540102002")


@pytest.fixture
def board(staff):
    quiet = data.employer(name_zh="拉萨雪域餐饮有限公司", name_bo="ལྷ་ས་གངས་ཅན་ཟ་ཁང་།", phone=HIDDEN_PHONE)
    open_ = data.employer(name_zh="西藏诚信财务咨询有限公司", phone=SHOWN_PHONE, publish_phone=True)
    return {
        "cook": data.vacancy(
            reviewer=staff,
            employer=quiet,
            title_zh="藏餐馆帮厨",
            title_bo=ZA_KHANG_MA_CHEN,
            review_note=REVIEW_NOTE,
            external_id=EXTERNAL_ID,
            age_min=18,
            age_max=45,
            skills="会揉糌粑",
            meals=True,
            accommodation=True,
        ),
        "accountant": data.vacancy(
            reviewer=staff, employer=open_, title_zh="招聘会计", occupation="2-06-03-00", salary=(4500, 6500)
        ),
        "draft": data.vacancy(reviewer=staff, employer=open_, title_zh="出纳草稿岗位", status="draft"),
        "suspended": data.vacancy(
            reviewer=staff, employer=open_, title_zh="已暂停的岗位", status="suspended"
        ),
    }


@pytest.fixture
def courses(db):
    good = data.provider()
    expired = data.provider(expires_in_days=-1, name_zh="执照过期培训学校")
    return {
        "open": data.course(provider=good),
        "unpublished": data.course(provider=good, title_zh="未发布的培训班", is_published=False),
        "expired": data.course(provider=expired, title_zh="过期机构的培训班"),
    }


def anon():
    return Client()


# --- anonymous access --------------------------------------------------------------------


def test_pages_open_without_signing_in(board, courses):
    client = anon()
    for url in (
        "/jobs/",
        f"/jobs/{board['cook'].pk}/",
        "/jobs/courses/",
        f"/jobs/courses/{courses['open'].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "accounts/login" not in response.content.decode()
    html = client.get("/jobs/").content.decode()
    assert "藏餐馆帮厨" in html and "招聘会计" in html


def test_api_opens_without_signing_in(board, courses, api):
    client = api()
    body = client.get("/api/v1/public/vacancies").json()
    assert body["count"] == 2
    assert {row["title_zh"] for row in body["results"]} == {"藏餐馆帮厨", "招聘会计"}
    assert client.get(f"/api/v1/public/vacancies/{board['cook'].pk}").status_code == 200
    titles = {row["title_zh"] for row in client.get("/api/v1/public/courses").json()["results"]}
    assert titles == {"中式烹调师培训班"}


def test_the_board_is_read_only(board, api):
    assert anon().post("/jobs/", {"q": "会计"}).status_code == 405
    assert anon().post(f"/jobs/{board['cook'].pk}/").status_code == 405
    response = api().post("/api/v1/public/vacancies", {}, format="json")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_a_bad_token_does_not_lock_out_the_public_api(board, api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/public/vacancies").status_code == 200


def test_api_search_and_filters(board, api):
    client = api()
    rows = client.get("/api/v1/public/vacancies?q=会计").json()["results"]
    assert [r["title_zh"] for r in rows] == ["招聘会计"]
    rows = client.get("/api/v1/public/vacancies", {"q": "མ་བྱན"}).json()["results"]
    assert [r["title_bo"] for r in rows] == [ZA_KHANG_MA_CHEN]
    query = {"occupation": "2", "district": "540102", "salary_min": "6000"}
    rows = client.get("/api/v1/public/vacancies", query).json()["results"]
    assert [r["title_zh"] for r in rows] == ["招聘会计"]
    assert client.get("/api/v1/public/vacancies?work_type=part_time").json()["count"] == 0
    page = client.get("/api/v1/public/vacancies?page_size=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


# --- nothing private -------------------------------------------------------------------


def test_api_fields_are_the_public_ones_only(board, api, staff):
    client = api()
    row = client.get(f"/api/v1/public/vacancies/{board['cook'].pk}").json()
    assert set(row) == VACANCY_FIELDS
    assert row["contact_phone"] is None
    assert row["employer_name_bo"] == "ལྷ་ས་གངས་ཅན་ཟ་ཁང་།"
    assert row["work_unit"] == "540102002" and row["occupation"] == "4-03-02-01"
    assert row["requirements"]["age_max"] == 45 and row["requirements"]["skills"] == "会揉糌粑"
    assert row["benefits"] == {"accommodation": True, "meals": True, "social_insurance": False}
    raw = client.get("/api/v1/public/vacancies").content.decode()
    for secret in (HIDDEN_PHONE, REVIEW_NOTE, EXTERNAL_ID, staff.username, "search_text", "created_by"):
        assert secret not in raw, secret
    assert '"unit"' not in raw and "reviewed_by" not in raw


def test_pages_leak_nothing_private(board, staff):
    client = anon()
    for url in ("/jobs/", f"/jobs/{board['cook'].pk}/", "/jobs/?q=帮厨"):
        html = client.get(url).content.decode()
        for secret in (HIDDEN_PHONE, REVIEW_NOTE, EXTERNAL_ID, staff.username, "张经理"):
            assert secret not in html, (url, secret)


def test_phone_shown_only_when_the_employer_published_it(board, api):
    client = api()
    row = client.get(f"/api/v1/public/vacancies/{board['accountant'].pk}").json()
    assert row["contact_phone"] == SHOWN_PHONE
    html = anon().get(f"/jobs/{board['accountant'].pk}/").content.decode()
    assert f'href="tel:{SHOWN_PHONE}"' in html
    assert "tel:" not in anon().get(f"/jobs/{board['cook'].pk}/").content.decode()


# --- not published, unknown, bad input --------------------------------------------------


@pytest.mark.parametrize("which", ["draft", "suspended"])
def test_unpublished_vacancies_are_404(board, api, which):
    pk = board[which].pk
    assert anon().get(f"/jobs/{pk}/").status_code == 404
    response = api().get(f"/api/v1/public/vacancies/{pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("pk", ["0", "987654", "99999999999999999999999"])
def test_unknown_ids_are_404(board, courses, api, pk):
    response = anon().get(f"/jobs/{pk}/")
    assert response.status_code == 404
    assert "/jobs/" in response.content.decode()  # the public 404 leads back to the board
    assert api().get(f"/api/v1/public/vacancies/{pk}").status_code == 404
    assert anon().get(f"/jobs/courses/{pk}/").status_code == 404


def test_courses_of_expired_providers_or_unpublished_are_hidden(courses):
    html = anon().get("/jobs/courses/").content.decode()
    assert "中式烹调师培训班" in html
    assert "未发布的培训班" not in html and "过期机构的培训班" not in html
    assert anon().get(f"/jobs/courses/{courses['expired'].pk}/").status_code == 404
    assert anon().get(f"/jobs/courses/{courses['unpublished'].pk}/").status_code == 404


BAD_PARAMETERS = [
    ("work_type", "forever"),
    ("salary_min", "abc"),
    ("salary_min", "-1"),
    ("salary_min", "1e400"),
    ("salary_min", "9" * 40),
    ("occupation", "9-99"),
    ("district", "999999"),
    ("district", "540102002"),  # a street, not a district
    ("q", "会" * 101),
    ("q", "bad\x00byte"),
]


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS)
def test_bad_parameters_get_a_400_naming_them(board, api, name, value):
    response = api().get("/api/v1/public/vacancies", {name: value})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert list(body["errors"]) == [name]


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS)
def test_bad_filters_show_on_the_page_not_a_500(board, name, value):
    response = anon().get("/jobs/", {name: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-form-errors" in html and 'role="alert"' in html
    assert "招聘会计" not in html


def test_bad_page_numbers(board, api):
    response = api().get("/api/v1/public/vacancies?page=0")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["page"]
    assert api().get("/api/v1/public/vacancies?page=99").status_code == 404
    assert anon().get("/jobs/?page=abc").status_code == 200
    assert "招聘会计" in anon().get("/jobs/?page=999").content.decode()  # the last page instead


def test_the_api_is_throttled(board, api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "3/min"}}
    client = api()
    assert [client.get("/api/v1/public/vacancies").status_code for _ in range(3)] == [200] * 3
    response = client.get("/api/v1/public/courses")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0


# --- QR code, htmx, Tibetan ------------------------------------------------------------


def test_the_vacancy_page_has_a_qr_code_of_its_own_address(board):
    pk = board["cook"].pk
    html = anon().get(f"/jobs/{pk}/").content.decode()
    url = f"http://testserver/jobs/{pk}/"
    assert f'data-url="{url}"' in html and f'href="{url}"' in html
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'class="segno"' in svg
    # The same modules as a QR code of exactly that address (of no other).
    assert svg == segno.make(url, micro=False).svg_inline(scale=4)
    assert svg != segno.make(f"http://testserver/jobs/{pk + 1}/", micro=False).svg_inline(scale=4)


def test_the_detail_page_has_what_a_job_seeker_needs(board):
    html = anon().get(f"/jobs/{board['cook'].pk}/").content.decode()
    for text in ("藏餐馆帮厨", "拉萨雪域餐饮有限公司", "3000", "5000", "会揉糌粑", "18", "45", "八廓街道"):
        assert text in html, text


def test_htmx_gets_only_the_results(board):
    response = anon().get("/jobs/", {"q": "会计"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "招聘会计" in html and "藏餐馆帮厨" not in html


def test_the_board_in_tibetan(board):
    client = anon()
    response = client.post("/accounts/language/", {"language": "bo", "next": "/jobs/"})
    assert response.status_code == 302 and response["Location"] == "/jobs/"
    html = client.get(f"/jobs/{board['cook'].pk}/").content.decode()
    assert '<html lang="bo">' in html
    assert f"<h1>{ZA_KHANG_MA_CHEN}</h1>" in html
    assert "ལྷ་ས་གངས་ཅན་ཟ་ཁང་།" in html  # the employer's Tibetan name comes first
    listing = client.get("/jobs/", {"q": "ཟ་ཁང"}).content.decode()
    assert ZA_KHANG_MA_CHEN in listing and "招聘会计" not in listing
