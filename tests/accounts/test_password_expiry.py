"""Passwords expire after PASSWORD_MAX_AGE_DAYS; an administrator's initial one at once."""

from datetime import timedelta

import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from accounts.middleware import PASSWORD_EXPIRED
from accounts.models import User
from accounts.services import staff_create
from network.models import OrgUnit
from tests.conftest import PASSWORD

NEW_PASSWORD = "Fresh-pass-2026!"


def _signed_in(user) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )
    return client


def test_a_password_older_than_the_limit_sends_every_page_to_the_change(personas, settings):
    user = personas["counsellor_chengguan"]
    with time_machine.travel(user.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)):
        client = _signed_in(user)
        response = client.get("/people/")
        assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
        expired = str(PASSWORD_EXPIRED % {"days": settings.PASSWORD_MAX_AGE_DAYS})
        assert [str(m) for m in get_messages(response.wsgi_request)] == [expired]
        api = client.get("/api/v1/me")
        assert api.status_code == 403 and api.json()["code"] == "password_expired"
        assert client.get("/accounts/profile/").status_code == 200
        changed = client.post(
            "/accounts/profile/",
            {"old_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
        )
        assert changed.status_code == 302
        assert client.get("/people/").status_code == 200


def test_a_password_within_the_limit_is_fine(personas, settings):
    user = personas["counsellor_chengguan"]
    with time_machine.travel(user.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS - 1)):
        assert _signed_in(user).get("/people/").status_code == 200


def test_an_account_opened_by_an_administrator_changes_its_password_first(personas):
    user = staff_create(
        acting_user=personas["sysadmin"],
        username="new-counsellor",
        password=PASSWORD,
        unit=OrgUnit.objects.get(code="540102002"),
        name_zh="新人",
    )
    assert user.password_changed_at is None
    User.objects.filter(pk=user.pk).update(role="counsellor", qualification_level=3)
    client = _signed_in(user)
    assert client.get("/dashboard/")["Location"] == "/accounts/profile/"


def test_an_account_without_a_usable_password_is_not_asked(personas, page_client):
    user = personas["counsellor_jiri"]
    user.set_unusable_password()
    user.password_changed_at = None
    user.save()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/dashboard/").status_code == 200


def test_token_login_refuses_an_expired_password(personas, api, settings):
    user = personas["counsellor_linzhou"]
    with time_machine.travel(timezone.now() + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)):
        response = api().post(
            "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, format="json"
        )
    assert response.status_code == 403
    assert response.json()["code"] == "password_expired"
