import re

import pytest

from tests.browser.sign_in import sign_in
from tests.conftest import make_user
from tests.screenshot_dir import screenshot_dir

SCREENSHOTS = screenshot_dir()
TIBETAN = re.compile(r"[\u0f00-\u0fff]")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    sign_in(page, live_server.url, username)


def test_counsellor_signs_in_and_switches_to_tibetan(page, live_server):
    user = make_user(
        "browser-counsellor", "counsellor", "540102002", name_zh="次仁卓玛", name_bo="ཚེ་རིང་སྒྲོལ་མ།"
    )
    _sign_in(page, live_server, user.username)
    assert page.locator("h1").inner_text() == "工作台"

    page.click("button[lang=bo]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "bo"
    heading = page.locator("h1").inner_text()
    assert TIBETAN.search(heading), heading
    assert TIBETAN.search(page.locator("nav.menu").inner_text())
    # The vendored Tibetan web font is what renders the page, not whatever the OS has.
    assert page.evaluate("document.fonts.check('16px \"Noto Serif Tibetan\"', 'བོད')")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-bo.png"), full_page=True)

    # The choice is remembered on the account, so a new session opens in Tibetan.
    user.refresh_from_db()
    assert user.language == "bo"


def test_every_page_of_a_station_head_works_in_tibetan(page, live_server):
    user = make_user("browser-head", "station_head", "540102002", language="bo")
    _sign_in(page, live_server, user.username)
    for path in [
        "/dashboard/",
        "/network/units/",
        "/network/points/",
        "/accounts/staff/",
        "/calendar/",
        "/accounts/profile/",
        "/network/units/540102002/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert TIBETAN.search(page.locator("h1").inner_text() + page.locator("nav.menu").inner_text()), path


def test_mobile_layout_in_chinese(page, live_server):
    user = make_user("browser-city", "city_supervisor", "540100")
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, user.username)
    assert page.locator("nav.menu summary").is_visible()
    # The supervisor's chart is drawn by the vendored ECharts, offline.
    page.wait_for_selector("#staff-chart svg")
    assert page.locator("#staff-chart svg text").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "dashboard-zh-mobile.png"), full_page=True)
