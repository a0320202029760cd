"""TOTP second factor and recovery codes (issue 7 item 4; SPEC §7, GB/T 22239 level 3)."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action, AuditEntry
from tests.conftest import PASSWORD, enrol_totp, otp_code

VERIFY = "/accounts/second-factor/"
ENROL = "/accounts/second-factor/enrol/"
CODES = "/accounts/second-factor/recovery-codes/"


def _password(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def _later(seconds=5):
    # django-otp waits 1, 2, 4 ... seconds after each wrong code before trying the next one.
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def test_a_supervisor_without_a_device_must_enrol_before_any_page(personas):
    client = Client()
    response = _password(client, "head_chengguan")
    assert response.status_code == 302
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith(VERIFY) or dashboard["Location"].startswith(ENROL)
    page = client.get(dashboard["Location"], follow=True)
    assert page.request["PATH_INFO"] == ENROL
    html = page.content.decode()
    assert 'class="segno"' in html
    assert " style=" not in html and "<script>" not in html
    device = TOTPDevice.objects.get(user=personas["head_chengguan"], confirmed=False)
    assert "otpauth://totp/" in device.config_url and "issuer=" in device.config_url
    secret = re.search(r'class="otp-secret">([A-Z2-7 ]+)<', html).group(1)
    assert secret.replace(" ", "").startswith(device.config_url.split("secret=")[1][:8])
    # Other pages stay closed, and so do the API's with this half-signed-in session.
    assert client.get("/accounts/staff/").status_code == 302
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "otp_required"


def test_enrolment_confirms_the_device_and_shows_the_recovery_codes_once(personas, settings):
    user = personas["district_chengguan"]
    client = Client()
    _password(client, user.username)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(ENROL, {"code": "000000" if otp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
    assert AuditEntry.objects.filter(
        action=Action.LOGIN_FAILED, actor_username=user.username, note__contains="second factor"
    ).exists()

    with _later():
        done = client.post(ENROL, {"code": otp_code(device), "next": "/accounts/staff/"})
        assert done.status_code == 302 and done["Location"].startswith(CODES)
        device.refresh_from_db()
        assert device.confirmed
        codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
        assert len(codes) == settings.OTP_RECOVERY_CODES
        page = client.get(done["Location"]).content.decode()
        assert all(code in page for code in codes)
        download = client.get(CODES, {"format": "txt"})
        assert download["Content-Disposition"].startswith("attachment")
        assert all(code in download.content.decode() for code in codes)
        saved = client.post(CODES, {"next": "/accounts/staff/"})
        assert saved["Location"] == "/accounts/staff/"
        # Shown once: the page does not list them again.
        again = client.get(CODES)
        assert again.status_code == 302
        assert client.get("/accounts/staff/").status_code == 200


def test_an_enrolled_supervisor_types_a_code_at_every_sign_in(personas):
    user = personas["city"]
    device = enrol_totp(user)
    client = Client()
    _password(client, user.username)
    blocked = client.get("/accounts/staff/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(VERIFY)
    assert "next=/accounts/staff/" in blocked["Location"]
    assert client.post(VERIFY, {"code": "12345x", "next": "/accounts/staff/"}).status_code == 200
    assert client.get("/accounts/staff/").status_code == 302
    with _later():
        ok = client.post(VERIFY, {"code": otp_code(device), "next": "/accounts/staff/"})
        assert ok.status_code == 302 and ok["Location"] == "/accounts/staff/"
        assert client.get("/accounts/staff/").status_code == 200
    # An outside "next" is not followed.
    other = Client()
    _password(other, user.username)
    with _later(40):
        away = other.post(VERIFY, {"code": otp_code(device), "next": "https://evil.example/"})
        assert away["Location"] == "/dashboard/"


def test_a_recovery_code_works_once(personas):
    user = personas["secadmin"]
    enrol_totp(user)
    code = StaticToken.random_token()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    device.token_set.create(token=code)
    first = Client()
    _password(first, user.username)
    assert first.post(VERIFY, {"code": code.upper()}).status_code == 302
    assert first.get("/accounts/staff/").status_code == 200
    second = Client()
    _password(second, user.username)
    with _later():
        assert second.post(VERIFY, {"code": code}).status_code == 200
    assert second.get("/accounts/staff/").status_code == 302


def test_wrong_codes_count_towards_the_lockout(personas, settings):
    user = personas["sysadmin"]
    enrol_totp(user)
    client = Client()
    _password(client, user.username)
    responses = [client.post(VERIFY, {"code": "99999999"}) for _i in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    assert (
        AccessAttempt.objects.get(username=user.username).failures_since_start >= settings.AXES_FAILURE_LIMIT
    )
    # The half-open session is over, and the password alone no longer opens one.
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")
    assert _password(Client(), user.username).status_code == 429
    notes = AuditEntry.objects.filter(action=Action.LOGIN_FAILED, actor_username=user.username)
    assert notes.filter(note="second factor code").count() == settings.AXES_FAILURE_LIMIT


def test_counsellors_need_no_second_factor_but_may_enrol(personas):
    user = personas["counsellor_chengguan"]
    client = Client()
    _password(client, user.username)
    assert client.get("/dashboard/").status_code == 200
    profile = client.get("/accounts/profile/").content.decode()
    assert ENROL in profile
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(ENROL, {"code": otp_code(device)}).status_code == 302
    # Once enrolled, the device is asked for at every sign-in.
    later = Client()
    _password(later, user.username)
    assert later.get("/dashboard/")["Location"].startswith(VERIFY)


def test_security_admin_resets_a_lost_second_factor(personas, page_client):
    user = personas["head_chengguan"]
    enrol_totp(user)
    url = f"/accounts/staff/{user.pk}/second-factor/reset/"
    assert page_client(personas["sysadmin"]).post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=user).exists()
    response = page_client(personas["secadmin"]).post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(note=f"second factor reset: {user.username}").exists()
    client = Client()
    _password(client, user.username)
    assert client.get("/dashboard/", follow=True).request["PATH_INFO"] == ENROL


def test_a_user_makes_new_recovery_codes_after_a_code(personas, page_client, settings):
    user = personas["auditadmin"]
    client = page_client(user)
    device = TOTPDevice.objects.get(user=user)
    old = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    old.token_set.create(token="oldcode1")
    refused = client.post("/accounts/second-factor/recovery-codes/new/", {"code": "oldcode2"}, follow=True)
    assert refused.request["PATH_INFO"] == "/accounts/profile/"
    assert StaticToken.objects.filter(token="oldcode1").exists()
    with _later():
        made = client.post("/accounts/second-factor/recovery-codes/new/", {"code": otp_code(device)})
    assert made["Location"] == CODES
    assert not StaticToken.objects.filter(token="oldcode1").exists()
    assert StaticToken.objects.filter(device__user=user).count() == settings.OTP_RECOVERY_CODES
    assert AuditEntry.objects.filter(actor_username=user.username, note="recovery codes regenerated").exists()


@pytest.mark.parametrize("role_persona", ["head_chengguan", "city", "secadmin"])
def test_token_login_asks_for_the_second_factor(personas, api, role_persona):
    user = personas[role_persona]
    device = enrol_totp(user)
    url = "/api/v1/auth/token"
    missing = api().post(url, {"username": user.username, "password": PASSWORD}, format="json")
    assert missing.status_code == 401 and missing.json()["code"] == "otp_required"
    wrong = api().post(url, {"username": user.username, "password": PASSWORD, "otp": "000001"}, format="json")
    assert wrong.status_code == 401 and wrong.json()["code"] == "otp_invalid"
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED, actor_username=user.username).exists()
    with _later():
        ok = api().post(
            url, {"username": user.username, "password": PASSWORD, "otp": otp_code(device)}, format="json"
        )
    assert ok.status_code == 200 and ok.json()["token"]


def test_token_login_of_a_counsellor_needs_no_code(personas, api):
    response = api().post(
        "/api/v1/auth/token", {"username": "counsellor_jiri", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_the_schema_documents_the_otp_field(db, client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    fields = schema["components"]["schemas"]["TokenRequestRequest"]["properties"]
    assert "otp" in fields
    responses = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"401", "403"} <= set(responses)


def test_the_code_page_shows_no_menu_until_the_code_is_given(personas, page_client):
    client = Client()
    _password(client, "head_chengguan")
    pending = client.get(ENROL).content.decode()
    assert 'class="menu"' not in pending and "/accounts/logout/" in pending
    verified = page_client(personas["head_chengguan"]).get("/dashboard/").content.decode()
    assert 'class="menu"' in verified
