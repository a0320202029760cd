"""A counsellor working in Tibetan registers a person, finds them by Wylie and opens the file."""

import re

import pytest

from network.models import OrgUnit
from tests.conftest import PASSWORD, make_user
from tests.factories import person as register_person
from tests.factories import valid_id_number
from tests.screenshot_dir import screenshot_dir

SCREENSHOTS = screenshot_dir()
TIBETAN = re.compile(r"[\u0f00-\u0fff]")
NAME_BO = "ཚེ་རིང་དབང་འདུས།"
ID_NUMBER = valid_id_number(area="540102", birth="19920815", sequence=31)
MASKED_ID = f"{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_register_search_by_wylie_and_open_the_file_in_tibetan(page, live_server):
    user = make_user("browser-bo-counsellor", "counsellor", "540102002")
    unit = str(OrgUnit.objects.get(code="540102002").pk)
    _sign_in(page, live_server, user.username)
    page.click("button[lang=bo]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "bo"

    # Register a person with a Tibetan name only.
    page.goto(f"{live_server.url}/people/new/")
    assert TIBETAN.search(page.locator("h1").inner_text())
    page.fill("input[name=name_bo]", NAME_BO)
    page.fill("input[name=id_number]", ID_NUMBER)
    page.fill("input[name=phone]", "13712345678")
    for name in ("unit", "household_unit", "residence_unit"):
        page.select_option(f"select[name={name}]", value=unit)
    page.select_option("select[name=tibetan_level]", value="fluent")
    page.click("form.person-form button[type=submit]")
    page.wait_for_url(re.compile(r"/people/\d+/$"))

    # Find them from the list by the Wylie form of the name; htmx swaps the results in.
    register_person(user=user, sequence=32, name_zh="卓玛", name_bo="སྒྲོལ་མ།", phone="13900001111")
    page.goto(f"{live_server.url}/people/")
    rows = page.locator("#results table.persons tbody tr")
    assert rows.count() == 2
    page.locator("input[name=q]").press_sequentially("tshe ring")
    page.wait_for_function(
        "n => document.querySelectorAll('#results table.persons tbody tr').length === n", arg=1
    )
    assert MASKED_ID in rows.first.inner_text()
    assert "q=tshe%20ring" in page.url  # the filter is in the address, so the back button keeps it
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/people/\d+/$"))

    assert page.locator("html").get_attribute("lang") == "bo"
    assert NAME_BO in page.locator("h1").inner_text()
    profile = page.locator("#profile").inner_text()
    assert MASKED_ID in profile
    assert ID_NUMBER not in page.content()
    assert TIBETAN.search(page.locator("#contacts h2").inner_text() + page.locator("nav.menu").inner_text())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "person-file-bo.png"), full_page=True)

    # The same file on a phone: everything fits the width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_load_state("networkidle")
    assert NAME_BO in page.locator("h1").inner_text()
    assert _no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(SCREENSHOTS / "person-file-bo-mobile.png"), full_page=True)

    # Reveal on the phone: an htmx POST with a reason swaps in the full values.
    page.click("#reveal summary")
    page.fill("#id_reveal_reason", "ཁ་པར་གཏོང་རྒྱུ།")
    page.click("#reveal button[type=submit]")
    page.wait_for_selector("[data-full=id_number]")
    assert page.locator("[data-full=id_number]").inner_text() == ID_NUMBER
    assert _no_horizontal_overflow(page)


def test_register_form_fits_a_phone(page, live_server):
    user = make_user("browser-bo-form", "counsellor", "540102002", language="bo")
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server, user.username)
    page.goto(f"{live_server.url}/people/new/")
    assert page.locator("html").get_attribute("lang") == "bo"
    assert _no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
    page.goto(f"{live_server.url}/people/")
    assert _no_horizontal_overflow(page), page.evaluate("document.documentElement.scrollWidth")
