"""A supervisor's first sign-in in a real browser: scan (here: read) the key, confirm a code,
keep the recovery codes, then work. Strict CSP: the page must work without inline anything."""

import re
from base64 import b32decode

import pytest
from django.conf import settings
from django_otp.oath import totp

from tests.conftest import PASSWORD, make_user
from tests.screenshot_dir import screenshot_dir

SCREENSHOTS = screenshot_dir()

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_station_head_enrols_at_the_first_sign_in(page, live_server):
    violations = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    user = make_user("browser-enrol-head", "station_head", "540102002")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/second-factor/enrol/.*"))
    assert page.locator("figure.qr svg.segno").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "second-factor-enrol.png"), full_page=True)

    secret = page.locator("code.otp-secret").inner_text().replace(" ", "")
    page.fill("input[name=code]", f"{totp(b32decode(secret)):06d}")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/second-factor/recovery-codes/.*"))
    codes = page.locator("ul.recovery-codes li").all_inner_texts()
    assert len(codes) == settings.OTP_RECOVERY_CODES and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    page.screenshot(path=str(SCREENSHOTS / "second-factor-recovery-codes.png"), full_page=True)
    page.click("main .actions form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert violations == []
