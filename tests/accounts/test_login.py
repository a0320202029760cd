import datetime

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from accounts.services import user_change_password
from audit.models import Action, AuditEntry
from core.errors import ValidationFailed
from tests.conftest import PASSWORD, enrol_totp, otp_code


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_and_logout_are_audited(personas):
    client = Client()
    response = _login(client, "counsellor_chengguan", PASSWORD)
    assert response.status_code == 302
    client.post("/accounts/logout/")
    actions = list(
        AuditEntry.objects.filter(actor_username="counsellor_chengguan").values_list("action", flat=True)
    )
    assert Action.LOGIN in actions and Action.LOGOUT in actions


def test_lockout_after_five_failures(personas):
    client = Client()
    for _attempt in range(5):
        response = _login(client, "counsellor_linzhou", "wrong-password")
    # The fifth failure locks the account; even the right password is refused now.
    response = _login(client, "counsellor_linzhou", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert (
        AuditEntry.objects.filter(action=Action.LOGIN_FAILED, actor_username="counsellor_linzhou").count()
        >= 5
    )
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT, actor_username="counsellor_linzhou").exists()
    # Another account is not affected.
    assert _login(Client(), "counsellor_jiri", PASSWORD).status_code == 302


def test_four_failures_do_not_lock(personas):
    client = Client()
    for _attempt in range(4):
        assert _login(client, "counsellor_linzhou", "wrong-password").status_code == 200
    assert _login(client, "counsellor_linzhou", PASSWORD).status_code == 302


def test_api_token_login_counts_towards_lockout(personas, api):
    client = api()
    for _attempt in range(5):
        response = client.post("/api/v1/auth/token", {"username": "city", "password": "nope"}, format="json")
        assert response.status_code in (400, 429)
    response = client.post("/api/v1/auth/token", {"username": "city", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_token_login_and_use(personas, api):
    enrol_totp(personas["city"])
    response = api().post(
        "/api/v1/auth/token", {"username": "city", "password": PASSWORD, "otp": otp_code()}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me").json()["username"] == "city"
    bad = api()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get("/api/v1/units/").status_code == 401


def test_passwords_are_hashed_with_argon2(personas, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = personas["city"]
    user_change_password(user=user, new_password="Brand-new-2026")
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.parametrize(
    "weak",
    ["Ab1-x", "alllowercaseletters", "ALLUPPER12345", "password1", "12345678901"],
)
def test_password_policy(personas, weak):
    with pytest.raises(ValidationFailed) as refused:
        user_change_password(user=personas["city"], new_password=weak)
    assert refused.value.errors["password"]


def test_policy_accepts_three_classes(personas):
    user_change_password(user=personas["city"], new_password="lhasa-Employment7")


def test_idle_session_expires_after_thirty_minutes(personas, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client = Client()
    _login(client, "city", PASSWORD)
    client.get("/dashboard/")
    expiry = client.session.get_expiry_date()
    from django.utils import timezone

    remaining = expiry - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)


def test_inactive_or_roleless_accounts_get_no_token(personas, api):
    user = personas["city"]
    user.role = ""
    user.save()
    response = api().post("/api/v1/auth/token", {"username": "city", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_security_admin_lifts_a_lock(personas, page_client):
    client = Client()
    for _attempt in range(5):
        _login(client, "counsellor_linzhou", "wrong-password")
    assert _login(Client(), "counsellor_linzhou", PASSWORD).status_code == 429
    target = personas["counsellor_linzhou"]
    assert page_client(personas["sysadmin"]).post(f"/accounts/staff/{target.pk}/unlock/").status_code == 403
    response = page_client(personas["secadmin"]).post(f"/accounts/staff/{target.pk}/unlock/")
    assert response.status_code == 302
    assert _login(Client(), "counsellor_linzhou", PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(note="unlock login: counsellor_linzhou").exists()
