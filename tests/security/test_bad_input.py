"""Bad input against the main write endpoints and forms (issue 7, item 8): malformed JSON, huge
bodies, wrong types, overlong strings, SQL and script injection, invalid Unicode and stray
Tibetan combining marks. Each must get a clear 4xx in the one error shape and write nothing:
no row added, no version moved, no audit entry of a change."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.test import Client
from django.utils.html import escape
from rest_framework.test import APIClient

from audit.models import AuditEntry
from tests.conftest import PASSWORD
from tests.exchange.exchange_records import job_seeker_json
from tests.factories import valid_id_number
from tests.people.person_forms import person_form_data
from tests.security.attack_world import world_in_rollback
from tests.vacancies.vacancy_builders import vacancy_form_data

# Sign-in attempts are recorded by design (lockout), whatever the outcome.
NOT_STATE = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "sessions.session"}
CHANGES = ("create", "update", "delete")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_in_rollback(django_db_blocker) as built:
        yield built


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _version(label: str, pk: int) -> int:
    return apps.get_model(label).objects.get(pk=pk).version


def person_create(w):
    return {
        "name_zh": "次仁卓玛",
        "name_bo": "ཚེ་རིང་སྒྲོལ་མ།",
        "id_number": valid_id_number(area="540102", birth="19950203", sequence=77, male=False),
        "phone": "13512345678",
        "residence_unit": "540102002",
        "household_unit": "540102002",
        "education": "bachelor",
        "salary_expectation": 5000,
        "employment_status": "unemployed",
    }


def vacancy_create(w):
    return {
        "employer": w["employer"],
        "title_zh": "客房服务员",
        "title_bo": "མགྲོན་ཁང་ཞབས་ཞུ་བ།",
        "occupation": "4-03-02-01",
        "salary_min": 3200,
        "salary_max": 4200,
        "pay_period": "month",
        "work_unit": "540102002",
        "work_type": "full_time",
        "channel": "phone",
        "headcount": 3,
    }


def work_items(w):
    from worklist.models import WorkItem

    item = (
        WorkItem.objects.filter(unit__code="540102002", done_on__isnull=True, cancelled_on__isnull=True)
        .order_by("pk")
        .first()
    )
    return {
        "items": [{"id": item.pk, "version": item.version}],
        "assignee": w["users"]["counsellor_chengguan"].pk,
    }


# name: (persona or None, method, url, valid body, a text field, a whole-number field)
ENDPOINTS = {
    "person_create": (
        "counsellor_chengguan",
        "post",
        lambda w: "/api/v1/persons/",
        person_create,
        "name_zh",
        "salary_expectation",
    ),
    "person_update": (
        "counsellor_chengguan",
        "patch",
        lambda w: f"/api/v1/persons/{w['person']}/",
        lambda w: {"major": "会计", "version": _version("people.Person", w["person"])},
        "major",
        "salary_expectation",
    ),
    "vacancy_create": (
        "counsellor_chengguan",
        "post",
        lambda w: "/api/v1/vacancies/",
        vacancy_create,
        "title_zh",
        "headcount",
    ),
    "recommendation_action": (
        "counsellor_chengguan",
        "post",
        lambda w: f"/api/v1/recommendations/{w['recommendation']}/actions",
        lambda w: {
            "action": "show",
            "version": _version("recommendations.Recommendation", w["recommendation"]),
        },
        "note",
        "version",
    ),
    "work_item_reassign": (
        "head_chengguan",
        "post",
        lambda w: "/api/v1/work-items/reassign",
        work_items,
        None,
        "assignee",
    ),
    "assistance_closure": (
        "counsellor_chengguan",
        "post",
        lambda w: f"/api/v1/assistance-files/{w['assistance_file']}/closure",
        lambda w: {
            "action": "propose",
            "outcome": "employed",
            "note": "已在餐厅就业",
            "version": _version("assistance.AssistanceFile", w["assistance_file"]),
        },
        "note",
        "version",
    ),
    "guidance_transition": (
        "counsellor_chengguan",
        "post",
        lambda w: f"/api/v1/guidance-cases/{w['case']}/transition",
        lambda w: {
            "target": "replanning",
            "note": "目标需要调整",
            "version": _version("guidance.GuidanceCase", w["case"]),
        },
        "note",
        "version",
    ),
    "exchange_import": (
        "head_chengguan",
        "post",
        lambda w: "/api/v1/exchange/job-seekers",
        lambda w: [job_seeker_json("XZ-P-9001", sequence=88)],
        None,
        None,
    ),
    "token_login": (
        None,
        "post",
        lambda w: "/api/v1/auth/token",
        lambda w: {"username": "counsellor_chengguan", "password": PASSWORD},
        "username",
        None,
    ),
}


def fingerprint() -> dict:
    """Rows per table and the sum of every `version`: an insert, delete or versioned edit shows."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_STATE or not model._meta.managed:
            continue
        manager = model._base_manager
        versioned = any(f.name == "version" for f in model._meta.concrete_fields)
        state[label] = (manager.count(), manager.aggregate(v=Sum("version"))["v"] if versioned else None)
    state["audit changes"] = AuditEntry.objects.filter(action__in=CHANGES).count()
    return state


def client_for(world, persona, language="zh-hans") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if persona:
        client.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens'][persona]}")
    return client


def send(
    world, name, *, raw: bytes | None = None, body=None, content_type="application/json", language="zh-hans"
):
    persona, method, url, valid, _text, _number = ENDPOINTS[name]
    if raw is None:
        raw = json.dumps(valid(world) if body is None else body).encode()
    client = client_for(world, persona, language)
    return getattr(client, method)(url(world), data=raw, content_type=content_type)


def assert_refused(response, before: dict, *, statuses=(400,)):
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) >= {"code", "message", "errors"}, body
    assert isinstance(body["code"], str) and body["code"] and body["message"].strip()
    assert fingerprint() == before


def with_field(world, name, field, value):
    body = ENDPOINTS[name][3](world)
    body[field] = value
    return body


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_valid_body_is_accepted(world, db, name):
    """The control: every refusal below is caused by the bad part alone."""
    response = send(world, name)
    assert response.status_code in (200, 201), response.content[:500]


MALFORMED = {
    "truncated": lambda valid: json.dumps(valid)[:-3].encode(),
    "array": lambda valid: b"[1, 2, 3]",
    "string": lambda valid: b'"\xe6\x89\x8e\xe8\xa5\xbf"',
    "null": lambda valid: b"null",
    "number": lambda valid: b"42",
    "empty": lambda valid: b"",
    "not utf-8": lambda valid: b'{"name_zh": "\xff\xfe\xfd"}',
    "nul byte raw": lambda valid: b'{"name_zh": "a\x00b"}',
}


@pytest.mark.parametrize("case", MALFORMED)
@pytest.mark.parametrize("name", ENDPOINTS)
def test_malformed_json_is_a_400(world, db, name, case):
    before = fingerprint()
    valid = ENDPOINTS[name][3](world)
    response = send(world, name, raw=MALFORMED[case](valid))
    assert_refused(response, before)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_body_that_is_not_json_is_a_415(world, db, name, content_type):
    before = fingerprint()
    raw = json.dumps(ENDPOINTS[name][3](world)).encode()
    response = send(world, name, raw=raw, content_type=content_type)
    assert_refused(response, before, statuses=(415,))


@pytest.mark.parametrize("name", ENDPOINTS)
def test_a_body_over_the_upload_limit_is_refused(world, db, name):
    before = fingerprint()
    body = ENDPOINTS[name][3](world)
    padding = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    if isinstance(body, dict):
        body["padding"] = padding
    else:
        body = {"records": body, "padding": padding}
    response = send(world, name, body=body)
    assert_refused(response, before, statuses=(400, 413))


WRONG_TYPES = {
    "list for a string": ["扎西"],
    "object for a string": {"zh": "扎西"},
    "null for a string": None,
    "overlong": "扎" * 10_001,
    "nul byte": "扎西\x00德吉",
    "lone surrogate": "扎西\ud800",
}


@pytest.mark.parametrize("case", WRONG_TYPES)
@pytest.mark.parametrize("name", [n for n, e in ENDPOINTS.items() if e[4]])
def test_a_bad_string_is_a_400(world, db, name, case):
    before = fingerprint()
    body = with_field(world, name, ENDPOINTS[name][4], WRONG_TYPES[case])
    # ASCII-escaped JSON, so a lone surrogate reaches the server as a client could send it.
    response = send(world, name, raw=json.dumps(body, ensure_ascii=True).encode())
    assert_refused(response, before)
    assert "\ud800" not in response.content.decode("utf-8", "replace")


WRONG_NUMBERS = {
    "string": "abc",
    "float": 1.5,
    "list": [1],
    "object": {"n": 1},
    "huge": 10**30,
    "negative": -1,
    "boolean": True,
}


@pytest.mark.parametrize("case", WRONG_NUMBERS)
@pytest.mark.parametrize("name", [n for n, e in ENDPOINTS.items() if e[5]])
def test_a_bad_number_is_a_400(world, db, name, case):
    before = fingerprint()
    body = with_field(world, name, ENDPOINTS[name][5], WRONG_NUMBERS[case])
    response = send(world, name, body=body)
    assert_refused(response, before, statuses=(400, 409) if ENDPOINTS[name][5] == "version" else (400,))


BAD_RECORDS = {
    "nul in a name": {"name_zh": "次仁\x00"},
    "surrogate in a name": {"name_bo": "ཚེ\ud800"},
    "list for a name": {"name_zh": ["次仁"]},
    "object for a name": {"name_zh": {"zh": "次仁"}},
    "number for a list": {"desired_occupations": 4},
    "overlong name": {"name_zh": "次" * 5000},
}


@pytest.mark.parametrize("case", BAD_RECORDS)
def test_the_exchange_import_refuses_bad_records_and_writes_nothing(world, db, case):
    before = fingerprint()
    record = job_seeker_json("XZ-P-9002", sequence=89, **BAD_RECORDS[case])
    response = send(world, "exchange_import", raw=json.dumps([record], ensure_ascii=True).encode())
    assert_refused(response, before)


def test_the_message_follows_the_request_language(world, db):
    body = with_field(world, "person_create", "salary_expectation", "abc")
    zh = send(world, "person_create", body=body).json()
    bo = send(world, "person_create", body=body, language="bo").json()
    assert zh["code"] == bo["code"] == "validation_failed"
    assert zh["message"] != bo["message"]
    assert any("\u0f00" <= ch <= "\u0fff" for ch in bo["message"]), bo["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["message"]), zh["message"]


# --- Search queries, stored markup and Tibetan marks -------------------------------------

SQL = ["' OR 1=1 --", '"; DROP TABLE people_person; --', "1' UNION SELECT password FROM accounts_user --"]
TIBETAN_MARKS = ["\u0f7a\u0f7a\u0f74", "ཀ\u0f7f\u0f7f", "བཀྲ\u200dཤིས", "ཚེ\u200cརིང"]
HOSTILE_QUERIES = [*SQL, "<script>alert(1)</script>", "扎西\x00", *TIBETAN_MARKS]


def staff_page(world, persona="counsellor_chengguan") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world["users"][persona], backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_search_queries_are_answered_not_errors(world, db, query):
    api = client_for(world, "counsellor_chengguan")
    for url in ("/api/v1/persons/", "/api/v1/public/vacancies", "/api/v1/vacancies/"):
        response = api.get(url, {"q": query})
        assert response.status_code in (200, 400), (url, response.status_code)
        if response.status_code == 200 and query in SQL:
            assert response.json()["count"] == 0, url  # the text is searched for, never run
    for url in ("/people/", "/vacancies/", "/jobs/"):
        assert staff_page(world).get(url, {"q": query}).status_code in (200, 400), url


def test_stored_markup_is_escaped_on_the_pages(world, db):
    script = "<script>alert(1)</script>"
    api = client_for(world, "counsellor_chengguan")
    pk = world["person"]
    body = {"address": script, "major": SQL[0], "version": _version("people.Person", pk)}
    assert api.patch(f"/api/v1/persons/{pk}/", body, format="json").status_code == 200
    html = staff_page(world).get(f"/people/{pk}/").content.decode()
    assert escape(script) in html and script not in html
    assert escape(SQL[0]) in html


# A mark with no letter to sit on, or an invisible joiner, is refused; a doubled visarga on
# a letter is odd but well-formed, and is kept exactly.
STRAY_MARKS = ["\u0f7a\u0f7a\u0f74", "བཀྲ\u200dཤིས", "ཚེ\u200cརིང", " \u0f74"]


@pytest.mark.parametrize("name_bo", STRAY_MARKS)
def test_tibetan_names_with_stray_marks_are_refused_in_the_users_language(world, db, name_bo):
    before = fingerprint()
    response = send(world, "person_create", body={**person_create(world), "name_bo": name_bo})
    assert_refused(response, before)
    assert "name_bo" in response.json()["errors"]


def test_a_well_formed_stack_is_kept_exactly(world, db):
    name_bo = "ཀ\u0f7f\u0f7f"
    response = send(world, "person_create", body={**person_create(world), "name_bo": name_bo})
    assert response.status_code == 201, response.content[:300]
    pk = response.json()["id"]
    assert response.json()["name_bo"] == name_bo
    assert name_bo in staff_page(world).get(f"/people/{pk}/").content.decode()


# --- HTML forms ----------------------------------------------------------------------------


def person_form(**overrides):
    return person_form_data(id_number=valid_id_number(birth="19950612", sequence=97), **overrides)


def vacancy_form(world, **overrides):
    from employers.models import Employer

    return vacancy_form_data(Employer.objects.get(pk=world["employer"]), **overrides)


FORM_ATTACKS = {
    "nul byte": lambda field: {field: "次仁\x00"},
    "overlong": lambda field: {field: "次" * 5000},
    "not a number": lambda field: {"salary_min" if field == "title_zh" else "experience_years": "abc"},
}


@pytest.mark.parametrize("attack", FORM_ATTACKS)
@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("/people/new/", lambda w: person_form(), "name_zh"),
        ("/vacancies/new/", vacancy_form, "title_zh"),
    ],
    ids=["person form", "vacancy form"],
)
def test_forms_show_the_error_and_write_nothing(world, db, url, data, field, attack):
    client = staff_page(world)
    before = fingerprint()
    response = client.post(url, data(world) | FORM_ATTACKS[attack](field))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("url", "data"), [("/people/new/", lambda w: person_form()), ("/vacancies/new/", vacancy_form)]
)
def test_the_forms_valid_data_saves(world, db, url, data):
    assert staff_page(world).post(url, data(world)).status_code == 302


@pytest.mark.parametrize(
    "content",
    [b"not a spreadsheet", b"PK\x03\x04" + b"\x00" * 200, "名字,身份证\n次仁,540102\n".encode()],
    ids=["text", "broken zip", "csv"],
)
def test_the_import_refuses_a_file_that_is_not_a_workbook(world, db, content):
    client = staff_page(world)  # signing in is audited; the upload must add nothing
    before = fingerprint()
    upload = SimpleUploadedFile("persons.xlsx", content)
    response = client.post("/people/import/", {"file": upload})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    assert fingerprint() == before


def test_the_import_refuses_a_file_over_the_limit(world, db, settings):
    settings.IMPORT_MAX_BYTES = 2048
    client = staff_page(world)
    before = fingerprint()
    upload = SimpleUploadedFile("persons.xlsx", b"PK" + b"x" * 4096)
    response = client.post("/people/import/", {"file": upload})
    assert response.status_code in (200, 400, 413)
    assert fingerprint() == before
