"""Signing in through the form in a browser, second factor included (accounts.second_factor)."""

from accounts.models import User
from accounts.second_factor import second_factor_required
from tests.conftest import PASSWORD, enrol_totp, otp_code


def sign_in(page, base_url: str, username: str, *, landing: str = "/dashboard/") -> None:
    """Password, then the code of a device with the known test key where the role needs one."""
    user = User.objects.get(username=username)
    if second_factor_required(user):
        enrol_totp(user)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("form.stacked button[type=submit]")
    if "/accounts/second-factor/" in page.url:
        page.fill("input[name=code]", otp_code())
        page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base_url}{landing}")
