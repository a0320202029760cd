"""The authorisation matrix (issue 7, item 8): every URL pattern and API endpoint, tried as
every role, anonymous, a user of a sibling unit and an employer's account, against the
expected allow, deny or 404 in tests/security/authz_matrix.py. A URL without an entry
fails `test_every_url_has_an_entry`.

Each request runs in a savepoint that is rolled back, so a write that gets through
changes nothing the next actor sees; the world is built once per module.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests.security.authz_matrix import ACTORS, ALLOW, ANONYMOUS, DENY, LOGIN, MATRIX, NOT_FOUND, Check

# An anonymous visitor may be refused with a login redirect (pages), 401 (API) or 403.
ACCEPTED = {LOGIN: {LOGIN, DENY}}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def url_patterns(resolver=None, namespace: str = "", prefix: str = ""):
    """(key, route) of every URL pattern: the namespaced name, or "/route" if it has none."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from url_patterns(pattern, inner, route)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
        else:
            yield "/" + route, route


def outcome(response, *, write: bool) -> str:
    code = response.status_code
    if code == 401:
        return LOGIN
    if code == 403:
        return DENY
    if code == 404:
        return NOT_FOUND
    if 300 <= code < 400:
        login = resolve_url(settings.LOGIN_URL)
        return LOGIN if urlsplit(response["Location"]).path == login else ALLOW
    if 200 <= code < 300 or (write and code in (400, 409, 422)):
        return ALLOW
    return f"HTTP {code}"


def send(client, url: str, check: Check, *, is_api: bool):
    if check.method == "get":
        return client.get(f"{url}?{check.query}" if check.query else url)
    if is_api:
        return getattr(client, check.method)(url, check.data, format="json")
    return getattr(client, check.method)(url, check.data)


def attempt(client, url: str, check: Check, *, is_api: bool) -> str:
    cache.clear()  # throttles and rate limits count per client address; every actor starts afresh
    try:
        with transaction.atomic():
            response = send(client, url, check, is_api=is_api)
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - a crash is an outcome to report, not to stop on
        return f"error {type(exc).__name__}: {exc}"[:160]
    return outcome(response, write=check.method in WRITE_METHODS)


def clients(world, *, is_api: bool, page_client, api) -> dict:
    if is_api:
        return {actor: api(None if actor == ANONYMOUS else world.users[actor]) for actor in ACTORS}
    return {actor: Client() if actor == ANONYMOUS else page_client(world.users[actor]) for actor in ACTORS}


def test_every_url_has_an_entry():
    routes = dict(url_patterns())
    missing = sorted(set(routes) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(routes))
    problems = []
    if missing:
        listed = "\n".join(f"  {name}  ({routes[name]})" for name in missing)
        problems.append(f"URLs without an entry (add them to tests/security/authz_matrix.py):\n{listed}")
    if stale:
        problems.append("entries whose URL no longer exists: " + ", ".join(stale))
    assert not problems, "\n".join(problems)


def test_every_check_names_every_actor():
    incomplete = {
        name: sorted(set(ACTORS) ^ set(check.expect))
        for name, entry in MATRIX.items()
        for check in entry.checks
        if set(check.expect) != set(ACTORS)
    }
    assert not incomplete, incomplete


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_authz_matrix(name, shared_world, page_client, api, record_property):
    entry = MATRIX[name]
    url = name if name.startswith("/") else reverse(name, kwargs=entry.kwargs(shared_world))
    is_api = url.startswith("/api/")
    by_actor = clients(shared_world, is_api=is_api, page_client=page_client, api=api)
    wrong = []
    for check in entry.checks:
        for actor in ACTORS:
            expected = check.expect[actor]
            got = attempt(by_actor[actor], url, check, is_api=is_api)
            if got != expected and got not in ACCEPTED.get(expected, ()):
                wrong.append(f"  {check.method.upper()} {url} as {actor}: expected {expected}, got {got}")
    record_property("authz_checks", len(entry.checks) * len(ACTORS))
    assert not wrong, "\n" + "\n".join(wrong)
