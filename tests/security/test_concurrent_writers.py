"""Concurrency (issue 7, item 8): two staff editing one record, and 20 writers at once.

Optimistic locking (core/concurrency.py) must refuse the second of two saves made from the
same version, on pages and in the API, and keep the first one's change. Real parallel
writers must never show a user "database is locked" (SQLite: IMMEDIATE transactions and a
busy timeout; PostgreSQL: row locks taken in an order that cannot deadlock).
"""

import datetime
import re
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import Action, AuditEntry
from core.errors import ConcurrentEdit
from employers.models import Employer
from employers.services import employer_create
from people.models import ContactAttempt, Person
from registrations.services import registration_open
from tests.conftest import make_user
from tests.employers.conftest import employer_values
from tests.factories import person as make_person
from tests.factories import valid_id_number

WRITERS = 20
VERSION_INPUT = re.compile(r'name="version" value="(\d+)"')


def conflict_message(language: str) -> str:
    with translation.override(language):
        return str(ConcurrentEdit.default_message)


def browser_for(user, language="zh-hans") -> Client:
    # Pages speak the language saved on the account.
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def api_for(user, language="zh-hans") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def version_on_form(response) -> int:
    match = VERSION_INPUT.search(response.content.decode())
    assert match, "the edit form must carry the version it was loaded with"
    return int(match.group(1))


def person_form(p: Person, **overrides) -> dict:
    """What the edit form posts back for `p`, with the staff member's own changes."""
    unit = p.unit_id
    data = {
        "name_zh": p.name_zh,
        "name_bo": p.name_bo,
        "id_number": "",  # empty keeps the stored number
        "phone": "",
        "unit": unit,
        "household_unit": unit,
        "residence_unit": unit,
        "address": p.address,
        "education": "senior",
        "tibetan_level": "fluent",
        "chinese_level": "good",
        "disability": "none",
        "work_mode": "any",
        "employment_status": p.employment_status,
        "able_and_willing": "on",
        "preferred_language": "bo",
        "contact_channel": "phone",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(personas):
    """Two counsellors of the same street office (a station head would first be asked for a
    second factor on pages, which is not what these tests are about)."""
    colleague = make_user("counsellor_chengguan_2", Role.COUNSELLOR, "540102002")
    return personas["counsellor_chengguan"], colleague


@pytest.fixture
def tashi(staff):
    return make_person(user=staff[0], id_number=valid_id_number(sequence=41), address="八廓街1号")


# --- two staff, one person: pages -------------------------------------------------------


def test_second_page_save_from_the_same_version_is_refused_and_keeps_the_input(staff, tashi):
    first, second = browser_for(staff[0]), browser_for(staff[1], language="bo")
    url = f"/people/{tashi.pk}/edit/"
    seen_by_first = version_on_form(first.get(url))
    seen_by_second = version_on_form(second.get(url))
    assert seen_by_first == seen_by_second == tashi.version

    saved = first.post(url, person_form(tashi, address="北京东路8号", version=seen_by_first))
    assert saved.status_code == 302
    refused = second.post(url, person_form(tashi, address="江苏路3号", major="旅游", version=seen_by_second))

    assert refused.status_code == 200
    html = refused.content.decode()
    message = conflict_message("bo")
    assert message != conflict_message("en"), "the Tibetan catalogue must translate the conflict"
    assert escape(message) in html
    assert 'value="江苏路3号"' in html and 'value="旅游"' in html  # the second user's input is kept
    tashi.refresh_from_db()
    assert tashi.address == "北京东路8号" and tashi.major == ""
    assert tashi.version == seen_by_first + 1
    updates = AuditEntry.objects.filter(object_type="people.person", object_id=str(tashi.pk), action="update")
    assert updates.count() == 1


def test_an_edit_form_opened_before_a_registration_cannot_undo_it(staff, tashi):
    """A registration changes the person's status behind an open edit form; saving the form
    must not silently put the old status back."""
    counsellor, colleague = staff
    browser = browser_for(counsellor)
    url = f"/people/{tashi.pk}/edit/"
    version = version_on_form(browser.get(url))
    registration_open(
        acting_user=colleague,
        person=tashi,
        kind="employment",
        registered_on=timezone.localdate(),
        employer_name="拉萨市某建筑公司",
        job_title="钢筋工",
    )
    response = browser.post(url, person_form(tashi, address="北京东路8号", version=version))
    assert response.status_code == 200
    assert escape(conflict_message("zh-hans")) in response.content.decode()
    tashi.refresh_from_db()
    assert tashi.employment_status == "employed" and tashi.address == "八廓街1号"


# --- two staff, one person: API ---------------------------------------------------------


def test_second_api_save_from_the_same_version_is_a_409(staff, tashi):
    first, second = api_for(staff[0]), api_for(staff[1], language="bo")
    url = f"/api/v1/persons/{tashi.pk}/"
    v1 = first.get(url).json()["version"]
    v2 = second.get(url).json()["version"]
    assert v1 == v2

    assert first.patch(url, {"major": "会计", "version": v1}, format="json").status_code == 200
    response = second.patch(url, {"major": "旅游管理", "version": v2}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == "concurrent_edit"
    assert body["message"] == conflict_message("bo")
    tashi.refresh_from_db()
    assert tashi.major == "会计" and tashi.version == v1 + 1


# --- two staff, one employer: page and API ----------------------------------------------


@pytest.fixture
def teahouse(staff):
    return employer_create(acting_user=staff[0], values=employer_values(77))


def employer_form(employer: Employer, **overrides) -> dict:
    data = {
        "name_zh": employer.name_zh,
        "name_bo": employer.name_bo,
        "credit_code": employer.credit_code,
        "industry": employer.industry_id,
        "size": employer.size,
        "ownership": employer.ownership,
        "unit": employer.unit_id,
        "address": employer.address,
        "contact_name": employer.contact_name,
        "contact_phone": employer.contact_phone,
        "description": "",
        "channel": employer.channel,
        "external_id": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_second_employer_page_save_is_refused_with_the_message(staff, teahouse):
    first, second = browser_for(staff[0]), browser_for(staff[1])
    url = f"/employers/{teahouse.pk}/edit/"
    v1, v2 = version_on_form(first.get(url)), version_on_form(second.get(url))

    assert first.post(url, employer_form(teahouse, address="北京中路1号", version=v1)).status_code == 302
    refused = second.post(url, employer_form(teahouse, address="金珠西路2号", version=v2))

    assert refused.status_code == 200
    html = refused.content.decode()
    assert escape(conflict_message("zh-hans")) in html
    assert 'value="金珠西路2号"' in html
    teahouse.refresh_from_db()
    assert teahouse.address == "北京中路1号" and teahouse.version == v1 + 1


def test_second_employer_api_save_is_a_409(staff, teahouse):
    first, second = api_for(staff[0]), api_for(staff[1], language="en")
    url = f"/api/v1/employers/{teahouse.pk}/"
    v1, v2 = first.get(url).json()["version"], second.get(url).json()["version"]

    assert first.patch(url, {"address": "北京中路1号", "version": v1}, format="json").status_code == 200
    response = second.patch(url, {"address": "金珠西路2号", "version": v2}, format="json")

    assert response.status_code == 409
    assert response.json() == {"code": "concurrent_edit", "message": conflict_message("en"), "errors": {}}
    teahouse.refresh_from_db()
    assert teahouse.address == "北京中路1号"


# --- 20 writers at once -----------------------------------------------------------------


@pytest.fixture
def file_database(transactional_db, personas, tmp_path):
    """Point every connection at a database FILE for this test.

    pytest-django keeps the SQLite test database in memory with a shared cache. There a
    second writer fails at once ("database table is locked") instead of waiting for the
    busy timeout, which is not how the service runs. So the in-memory database (already
    holding the reference data and personas) is copied to a file with SQLite's backup API,
    and new connections open that file in WAL mode with the project's settings.
    PostgreSQL needs none of this: each thread has its own connection to a real server.
    """
    if connection.vendor != "sqlite":
        yield None
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "writers.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    settings_dict = connection.settings_dict
    memory_name = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    connection.connection = None  # the next query opens the file
    try:
        yield path
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.connection = memory


def run_at_once(work, items):
    """Run work(item) on WRITERS threads released together; each closes its own connection."""
    barrier = threading.Barrier(len(items))

    def one(item):
        try:
            barrier.wait(timeout=30)
            return work(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(one, items))


def test_the_writers_really_use_a_file_on_sqlite(file_database):
    if file_database is None:
        pytest.skip("PostgreSQL: every thread has its own server connection")
    names = run_at_once(lambda _: connections["default"].settings_dict["NAME"], range(2))
    assert names == [str(file_database)] * 2
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_twenty_staff_saving_twenty_persons_at_once(file_database, staff):
    counsellor = staff[0]
    persons = [
        make_person(user=counsellor, id_number=valid_id_number(sequence=100 + i), name_zh=f"次仁{i}")
        for i in range(WRITERS)
    ]
    audit_before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def save(p):
        client = api_for(counsellor)
        response = client.patch(
            f"/api/v1/persons/{p.pk}/", {"major": f"专业{p.pk}", "version": p.version}, format="json"
        )
        return response.status_code, response.content[:300]

    results = run_at_once(save, persons)

    assert [status for status, _ in results] == [200] * WRITERS, results
    for p in persons:
        p.refresh_from_db()
        assert p.major == f"专业{p.pk}" and p.version == 2
    new_entries = AuditEntry.objects.filter(pk__gt=audit_before).order_by("pk")
    assert [e.action for e in new_entries] == [Action.UPDATE] * WRITERS
    assert sorted(int(e.object_id) for e in new_entries) == sorted(p.pk for p in persons)
    assert_chain_is_not_forked()


def test_twenty_contacts_on_one_person_at_once(file_database, staff):
    """One shared row: every attempt bumps the same person's failed-contact counter."""
    counsellor, colleague = staff
    tashi = make_person(user=counsellor, id_number=valid_id_number(sequence=42))
    started = timezone.now() - datetime.timedelta(hours=1)

    def record(i):
        client = api_for(colleague if i % 2 else counsellor)
        response = client.post(
            f"/api/v1/persons/{tashi.pk}/contacts",
            {
                "at": (started + datetime.timedelta(seconds=i)).isoformat(),
                "channel": "phone",
                "outcome": "no_answer",
                "note": f"第{i}次",
            },
            format="json",
        )
        return response.status_code, response.content[:300]

    results = run_at_once(record, range(WRITERS))

    assert [status for status, _ in results] == [201] * WRITERS, results
    assert ContactAttempt.objects.filter(person=tashi).count() == WRITERS
    tashi.refresh_from_db()
    assert tashi.failed_contacts == WRITERS
    assert tashi.unreachable_since is not None
    created = AuditEntry.objects.filter(object_type="people.contactattempt", action=Action.CREATE)
    assert created.count() == WRITERS
    assert_chain_is_not_forked()


def test_twenty_staff_saving_the_same_person_at_once_one_wins(file_database, staff):
    """All 20 read version v; exactly one save lands, the other 19 get a clear 409."""
    counsellor, colleague = staff
    tashi = make_person(user=counsellor, id_number=valid_id_number(sequence=43))
    version = tashi.version

    def save(i):
        client = api_for(colleague if i % 2 else counsellor)
        response = client.patch(
            f"/api/v1/persons/{tashi.pk}/", {"major": f"专业{i}", "version": version}, format="json"
        )
        return response.status_code, response.json()

    results = run_at_once(save, range(WRITERS))

    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * (WRITERS - 1), results
    assert all(body["code"] == "concurrent_edit" for status, body in results if status == 409)
    winner = next(body for status, body in results if status == 200)
    tashi.refresh_from_db()
    assert tashi.major == winner["major"] and tashi.version == version + 1
    updates = AuditEntry.objects.filter(object_type="people.person", object_id=str(tashi.pk), action="update")
    assert updates.count() == 1


def assert_chain_is_not_forked():
    """Once the audit trail is hash-chained, concurrent appends must still form one chain."""
    field_names = {f.name for f in AuditEntry._meta.get_fields()}
    if not {"seq", "prev_hash", "entry_hash"} <= field_names:
        return
    entries = list(AuditEntry.objects.order_by("seq").values_list("seq", "prev_hash", "entry_hash"))
    seqs = [seq for seq, _, _ in entries]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    for (_, _, previous_hash), (_, prev_hash, _) in zip(entries, entries[1:], strict=False):
        assert prev_hash == previous_hash
