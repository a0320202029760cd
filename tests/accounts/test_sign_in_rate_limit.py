"""Sign-in attempts per client address (LOGIN_RATE_PER_IP), proxy-aware like DRF."""

import json

import pytest
from django.test import Client, RequestFactory

from core.clientip import client_ip
from core.handlers import rate_limited


def _allowed(settings) -> int:
    return int(settings.LOGIN_RATE_PER_IP.split("/")[0])


def _attempt(client, **headers):
    # A new user name each time, so the per-account lockout (django-axes) never answers first.
    _attempt.count += 1
    return client.post(
        "/accounts/login/", {"username": f"nobody{_attempt.count}", "password": "wrong"}, **headers
    )


_attempt.count = 0


def test_the_attempt_after_the_limit_gets_429(db, settings):
    client = Client()
    statuses = [_attempt(client, REMOTE_ADDR="203.0.113.7").status_code for _i in range(_allowed(settings))]
    assert 429 not in statuses
    blocked = _attempt(client, REMOTE_ADDR="203.0.113.7")
    assert blocked.status_code == 429
    assert "text/html" in blocked["Content-Type"]
    # Another address is not held back by the first one's attempts.
    assert _attempt(client, REMOTE_ADDR="203.0.113.8").status_code == 200
    # Reading the sign-in page is not an attempt.
    assert client.get("/accounts/login/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_a_forged_forwarded_for_entry_does_not_escape_the_limit(db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = Client()
    for i in range(_allowed(settings)):
        _attempt(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.9")
    forged = _attempt(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.250, 203.0.113.9")
    assert forged.status_code == 429
    other = _attempt(client, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.status_code == 200


def test_the_token_endpoint_shares_the_limit_per_address(db, api, settings):
    client = api()

    def attempt(i, address):
        body = {"username": f"nobody{i}", "password": "wrong"}
        return client.post("/api/v1/auth/token", body, format="json", REMOTE_ADDR=address)

    assert {attempt(i, "203.0.113.20").status_code for i in range(_allowed(settings))} == {400}
    blocked = attempt(99, "203.0.113.20")
    assert blocked.status_code == 429 and blocked.json()["code"] == "throttled"
    assert attempt(100, "203.0.113.21").status_code == 400


def test_the_rate_limited_view_answers_in_the_api_shape_under_api(db):
    response = rate_limited(RequestFactory().post("/api/v1/anything"))
    assert response.status_code == 429
    body = json.loads(response.content)
    assert body["code"] == "throttled" and body["message"]


@pytest.mark.parametrize(
    "proxies, remote, forwarded, expected",
    [
        (0, "192.0.2.1", "198.51.100.1", "192.0.2.1"),
        (0, "192.0.2.1", None, "192.0.2.1"),
        (1, "10.0.0.1", "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.1", "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (3, "10.0.0.1", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.1", None, "10.0.0.1"),
        (1, "10.0.0.1", "not-an-address", None),
        (0, "", None, None),
    ],
)
def test_client_ip_trusts_only_our_own_proxies(settings, proxies, remote, forwarded, expected):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **headers)) == expected
