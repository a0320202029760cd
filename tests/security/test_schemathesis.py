"""Schemathesis over the whole OpenAPI schema as a counsellor of 八廓街道 (SPEC §6, issue 7).

Every operation in /api/schema/ gets generated requests, valid and invalid, sent through the
WSGI application with the counsellor's token. Checked on every reply: no 5xx, the status is
one the schema documents, the body matches the schema of that status, and the content type
is the documented one. Path ids alternate between generated ones and ids of real records in
the counsellor's unit, so detail and action endpoints reach real data, not only 404s.

CI runs SCHEMATHESIS_CI_EXAMPLES per operation, derandomized. `make fuzz` sets
FUZZ_EXAMPLES (500) for a long run that is not part of CI.
"""

import itertools
import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.security.attack_world import world_in_rollback

SCHEMATHESIS_CI_EXAMPLES = 15
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or SCHEMATHESIS_CI_EXAMPLES)
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]


def _schema_dict() -> dict:
    # The schema the /api/schema/ view serves, built without a request (no database needed at collection).
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


schema = schemathesis.openapi.from_dict(_schema_dict())
schema.app = application


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Every operation's test runs in its own savepoint over the same data."""
    # Requests go straight to the WSGI handler, whose request signals would close the test
    # connection (and its transaction) on PostgreSQL; Django's test client detaches them the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with world_in_rollback(django_db_blocker) as built:
            yield {**built["ids"], "token": built["tokens"]["counsellor_chengguan"]}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache; other tests in this worker must not inherit them.
    cache.clear()
    yield
    cache.clear()


def _resource(path: str) -> str:
    """`/api/v1/training/courses/{id}/` → `training/courses`."""
    tail = path.removeprefix("/api/v1/").split("{")[0].strip("/")
    return tail


@pytest.fixture
def real_ids(world):
    """Every other example with a path parameter gets a real record's id instead."""
    turns = itertools.count()

    def substitute(case) -> None:
        if not case.path_parameters or next(turns) % 2:
            return
        choices = world.get(_resource(case.operation.path))
        if not choices:
            return
        for name in case.path_parameters:
            case.path_parameters[name] = choices[next(turns) % len(choices)]

    return substitute


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
def test_api_operation(case, world, real_ids, db):
    real_ids(case)
    case.call_and_validate(
        headers={"Authorization": f"Token {world['token']}", "Accept-Language": "zh-hans"},
        checks=CHECKS,
    )


def test_the_schema_documents_the_error_replies():
    paths = schema.raw_schema["paths"]
    error = {"$ref": "#/components/schemas/Error"}
    patch = paths["/api/v1/persons/{id}/"]["patch"]["responses"]
    for status in ("400", "401", "403", "404", "409", "413", "415", "429"):
        assert patch[status]["content"]["application/json"]["schema"] == error, status
    public = paths["/api/v1/public/vacancies"]["get"]["responses"]
    # Anonymous callers are welcome there, and a page past the end is a 404.
    assert "401" not in public and "403" not in public and "404" in public
    assert set(schema.raw_schema["components"]["schemas"]["Error"]["required"]) == {
        "code",
        "message",
        "errors",
    }


def test_the_world_gives_every_detail_path_a_real_record(world, api, db):
    """Without this, the alternating real ids could silently all be 404s."""
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world['token']}")
    answers = {}
    for operation in schema.get_all_operations():
        operation = operation.ok()
        if operation.method.upper() != "GET" or "{" not in operation.path:
            continue
        ids = world.get(_resource(operation.path)) or ["none"]
        name = operation.path.split("{")[1].split("}")[0]
        url = operation.path.replace("{" + name + "}", str(ids[0]))
        answers[url] = client.get(url).status_code
    assert len(answers) >= 15
    # Counsellors may not read staff accounts: a 403 on a real one is the expected answer.
    expected = {url: 403 if url.startswith("/api/v1/staff/") else 200 for url in answers}
    assert answers == expected
