"""The ratio charts in a real browser: drawn on load, drawn again after an htmx filter change."""

import os
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM
from tests.browser.sign_in import sign_in
from tests.ratios.conftest import _frozen, world  # noqa: F401 - the ratio fixtures (function-scoped, safe to share)

SCREENSHOTS = os.environ.get("RATIO_SCREENSHOTS", "")
# As in tests/browser: skipped without Debian's chromium, unless REQUIRE_BROWSER=1 makes that an error.
HAVE_CHROMIUM = os.path.exists(CHROMIUM) or bool(shutil.which("chromium"))
NO_BROWSER = not HAVE_CHROMIUM and os.environ.get("REQUIRE_BROWSER") != "1"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        NO_BROWSER,
        reason="Debian package 'chromium' is not installed",
    ),
]


def _sign_in(page, live_server, username):  # noqa: F811 - `page` is the fixture
    sign_in(page, live_server.url, username)


def _shot(page, name):  # noqa: F811
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_charts_draw_and_follow_the_filters(page, live_server, personas, world):  # noqa: F811
    _sign_in(page, live_server, personas["city"].username)
    page.wait_for_selector("#ratio-share-chart svg")  # the dashboard card's chart
    _shot(page, "dashboard")

    page.goto(f"{live_server.url}/ratios/")
    page.wait_for_selector("#ratio-share-chart svg")
    assert page.locator('[data-count="both_ok_share"]').inner_text() == "20%"
    chart_text = page.locator("#ratio-share-chart").inner_text()
    assert "八廓街道" in chart_text and "甘丹曲果镇" in chart_text
    _shot(page, "compliance")

    page.fill("input[name=month]", "2026-10")
    page.dispatch_event("input[name=month]", "change")
    # The response arrives before htmx swaps it in, and the old chart's svg is still there:
    # wait on the new figure itself (expect retries until it shows or times out).
    expect(page.locator('[data-count="both_ok_share"]')).to_have_text("0%")
    page.wait_for_selector("#ratio-share-chart svg")
    assert "month=2026-10" in page.url  # hx-push-url: the address keeps the filter

    page.goto(f"{live_server.url}/ratios/pipeline/")
    page.wait_for_selector("#pipeline-chart svg")
    assert page.locator('[data-count="total"]').inner_text() == "23"
    _shot(page, "pipeline")

    page.goto(f"{live_server.url}/ratios/below-target/")
    assert page.locator("table tbody tr").count() == 4  # short, pushless, neighbour, far
    _shot(page, "below-target")
