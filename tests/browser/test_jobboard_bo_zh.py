"""An anonymous visitor searches the public job board in Tibetan and in Chinese, also on a phone."""

import re

import pytest

from tests.conftest import make_user
from tests.jobboard import board_data as data
from tests.screenshot_dir import screenshot_dir

SCREENSHOTS = screenshot_dir()
ZA_KHANG_MA_CHEN = "ཟ་ཁང་གི་མ་བྱན།"
RESULTS = "#results ol.vacancies li.vacancy-card"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(db):
    reviewer = make_user("browser-board-reviewer", "station_head", "540102002")
    restaurant = data.employer(name_zh="拉萨雪域餐饮有限公司", name_bo="ལྷ་ས་གངས་ཅན་ཁེ་ལས་ཁང་།")
    firm = data.employer(name_zh="西藏诚信财务咨询有限公司", phone="13908901234", publish_phone=True)
    return {
        "cook_bo": data.vacancy(
            reviewer=reviewer,
            employer=restaurant,
            title_zh="藏餐馆帮厨",
            title_bo=ZA_KHANG_MA_CHEN,
            description="ཟ་ཁང་ནང་ཟས་གཡོ་བ། 负责藏餐后厨。",
            age=1,
        ),
        "accountant": data.vacancy(
            reviewer=reviewer,
            employer=firm,
            title_zh="招聘会计",
            title_bo="རྩིས་པ།",
            occupation="2-06-03-00",
            salary=(4500, 6500),
            age=2,
        ),
        "cpa": data.vacancy(
            reviewer=reviewer,
            employer=firm,
            title_zh="注册会计师",
            occupation="2-06-03-00",
            salary=(8000, 12000),
            work_unit="540121100",
            age=3,
        ),
        "cook": data.vacancy(reviewer=reviewer, employer=restaurant, title_zh="中餐厨师", age=4),
    }


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _wait_for_results(page, count: int):
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n", arg=[RESULTS, count])


def _search(page, text: str, count: int):
    """Start from the unfiltered list, type like a person (htmx searches on input) and wait
    until the results narrow to `count`."""
    page.locator("input[name=q]").fill("")
    _wait_for_results(page, 4)
    page.locator("input[name=q]").press_sequentially(text, delay=30)
    _wait_for_results(page, count)


def test_anonymous_visitor_searches_in_tibetan_and_opens_a_vacancy(page, live_server, board):
    page.goto(f"{live_server.url}/jobs/")
    assert "/accounts/login" not in page.url
    assert page.locator(RESULTS).count() == 4
    page.click("button[lang=bo]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "bo"
    # Tibetan titles come first where there is one.
    assert ZA_KHANG_MA_CHEN in page.locator(RESULTS).first.inner_text()

    _search(page, "ཟ་ཁང", 1)
    assert ZA_KHANG_MA_CHEN in page.locator(RESULTS).first.inner_text()
    assert "/jobs/?q=" in page.url  # the search is in the address, so back and share keep it
    _search(page, "མ་བྱན", 1)

    page.locator(RESULTS).first.locator("h2 a").click()
    page.wait_for_url(re.compile(rf"/jobs/{board['cook_bo'].pk}/$"))
    assert page.locator("html").get_attribute("lang") == "bo"
    assert page.locator("h1").inner_text() == ZA_KHANG_MA_CHEN
    qr = page.locator("figure.qr svg")
    assert qr.is_visible()
    assert qr.bounding_box()["width"] >= 100
    assert page.locator("figure.qr").get_attribute("data-url") == page.url
    assert "tel:" not in page.content()  # this employer did not publish a phone
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "jobs-bo.png"), full_page=True)

    # The same page on a phone: everything fits, the QR code too.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert _no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
    assert page.locator("figure.qr svg").is_visible()
    page.goto(f"{live_server.url}/jobs/?q=ཟ་ཁང")
    assert page.locator(RESULTS).count() == 1
    assert _no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(SCREENSHOTS / "jobs-bo-mobile.png"), full_page=True)


def test_anonymous_visitor_searches_in_chinese_on_a_phone(page, live_server, board):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/jobs/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert _no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")

    _search(page, "会计", 2)
    titles = page.locator(f"{RESULTS} h2").all_inner_texts()
    assert titles == ["招聘会计", "注册会计师"]
    # A filter narrows further: the district select swaps the results in place.
    page.select_option("select[name=district]", value="540121")
    _wait_for_results(page, 1)
    assert page.locator(f"{RESULTS} h2").inner_text() == "注册会计师"
    assert _no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / "jobs-zh-mobile.png"), full_page=True)

    page.select_option("select[name=district]", value="")
    _wait_for_results(page, 2)
    page.locator(f"{RESULTS} h2 a", has_text="招聘会计").click()
    page.wait_for_url(re.compile(rf"/jobs/{board['accountant'].pk}/$"))
    assert page.locator("h1").inner_text() == "招聘会计"
    assert page.locator("a.phone").get_attribute("href") == "tel:13908901234"
    assert page.locator("figure.qr svg").is_visible()
    assert _no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
