"""Service pages: the section on the person's file, recording and correcting, the list
with its Excel export, the catalogue for administrators, and the three languages."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Action, AuditEntry
from privacy.models import AccessKind, PersonalDataAccess
from servicerecords.models import ServiceRecord, ServiceType
from tests.assistance.assistance_builders import disabled, give, outsider
from tests.core.test_translations import ALLOWED, _Text


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def people(personas):
    barkor, jiri = personas["counsellor_chengguan"], personas["counsellor_jiri"]
    p = disabled(barkor)
    give(barkor, p, "2026-11-16", code="home_visit", outcome="愿意参加培训")
    give(barkor, p, "2026-10-02", code="consultation")
    n = outsider(jiri, "540102003", name_zh="邻居")
    give(jiri, n, "2026-11-03", code="consultation")
    return {"p": p, "neighbour": n}


def _section(body: str) -> str:
    match = re.search(r'<section id="services".*?</section>', body, re.S)
    assert match
    return match.group(0)


def test_the_person_file_lists_services_in_time_order_with_the_form(personas, page_client, people):
    section = _section(_body(page_client(personas["counsellor_chengguan"]).get(f"/people/{people['p'].pk}/")))
    ids = [int(i) for i in re.findall(r'data-service="(\d+)"', section)]
    ons = list(ServiceRecord.objects.filter(pk__in=ids).order_by("on").values_list("pk", flat=True))
    assert ids == ons and len(ids) == 2
    assert "愿意参加培训" in section and reverse("servicerecords:add", args=[people["p"].pk]) in section
    supervisor = _section(
        _body(page_client(personas["district_chengguan"]).get(f"/people/{people['p'].pk}/"))
    )
    assert "/services/person/" not in supervisor and "愿意参加培训" in supervisor


def test_record_a_service_and_a_refused_form(personas, page_client, people):
    client = page_client(personas["counsellor_chengguan"])
    url = reverse("servicerecords:add", args=[people["p"].pk])
    consultation = ServiceType.objects.get(code="consultation").pk
    refused = client.post(
        url, {"service_type": consultation, "on": "2026-11-17", "channel": "phone", "language": "bo"}
    )
    assert refused.status_code == 200 and 'class="errorlist"' in refused.content.decode()
    response = client.post(
        url,
        {
            "service_type": consultation,
            "on": "2026-11-16",
            "channel": "phone",
            "language": "bo",
            "notes": "电话咨询",
        },
    )
    assert response.status_code == 302
    assert ServiceRecord.objects.filter(person=people["p"], notes="电话咨询", channel="phone").exists()
    assert page_client(personas["counsellor_jiri"]).post(url, {}).status_code == 404
    assert page_client(personas["district_chengguan"]).get(url).status_code == 403


def test_correct_a_service(personas, page_client, people):
    record = ServiceRecord.objects.get(person=people["p"], service_type__code="consultation")
    client = page_client(personas["counsellor_chengguan"])
    url = reverse("servicerecords:edit", args=[record.pk])
    assert "咨询" in _body(client.get(url))
    data = {"channel": "phone", "language": "both", "notes": "补记", "outcome": "", "version": 1}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, data)
    assert stale.status_code == 200 and 'class="errorlist"' in stale.content.decode()
    record.refresh_from_db()
    assert (record.channel, record.notes, record.version) == ("phone", "补记", 2)


def test_the_list_filters_and_htmx(personas, page_client, people):
    client = page_client(personas["district_chengguan"])
    body = _body(client.get("/services/"))
    assert body.count("<tr>") - 1 == 3  # header row + three services in the district
    partial = _body(client.get("/services/?unit=540102003", headers={"HX-Request": "true"}))
    assert "<html" not in partial and "邻居" in partial and people["p"].name_zh not in partial
    by_type = _body(client.get("/services/?service_type=home_visit&date_from=2026-11-01"))
    assert "愿意参加培训" in by_type and "邻居" not in by_type
    by_person = _body(client.get(f"/services/?person={people['p'].pk}"))
    assert "邻居" not in by_person
    bad = _body(client.get("/services/?date_from=2026-11-10&date_to=2026-11-01"))
    assert 'class="errorlist"' in bad
    assert page_client(personas["counsellor_jiri"]).get("/services/").content.decode().count("邻居") >= 1


def test_the_export_is_masked_audited_and_logged(personas, page_client, people):
    user = personas["district_chengguan"]
    response = page_client(user).get("/services/?service_type=consultation&format=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {row[3] for row in rows[1:]} == {
        people["p"].id_number_masked,
        people["neighbour"].id_number_masked,
    }
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.actor == user and "services.xlsx (2 rows)" in entry.note
    access = PersonalDataAccess.objects.get()
    assert (access.kind, access.record_count, access.subject_type) == (AccessKind.EXPORT, 2, "service_record")
    refused = page_client(user).get("/services/?date_from=nonsense&format=xlsx")
    assert refused.status_code == 302 and AuditEntry.objects.filter(action=Action.EXPORT).count() == 1


def test_the_catalogue_pages(personas, page_client, db):
    admin = page_client(personas["sysadmin"])
    body = _body(admin.get("/services/types/"))
    assert "入户走访" in body and reverse("servicerecords:type_create") in body
    response = admin.post(
        "/services/types/new/",
        {
            "code": "job_fair",
            "name_zh": "招聘会",
            "name_bo": "ལས་ཁུངས་འཚོང་འདུས།",
            "name_en": "",
            "is_assistance": "on",
            "is_active": "on",
            "sort": 5,
        },
    )
    assert response.status_code == 302
    created = ServiceType.objects.get(code="job_fair")
    edit = f"/services/types/{created.pk}/edit/"
    assert (
        admin.post(
            edit, {"name_zh": "招聘会", "name_bo": "ལས་ཁུངས་འཚོང་འདུས།", "sort": 5, "version": 1}
        ).status_code
        == 302
    )
    created.refresh_from_db()
    assert (created.is_active, created.is_assistance) == (False, False)
    head = page_client(personas["head_chengguan"])
    listed = _body(head.get("/services/types/"))
    assert "job_fair" in listed and reverse("servicerecords:type_create") not in listed
    assert head.get("/services/types/new/").status_code == 403
    assert page_client(personas["auditadmin"]).get("/services/types/").status_code == 403


@pytest.mark.parametrize(("language", "html_lang"), [("zh-hans", "zh-Hans"), ("en", "en"), ("bo", "bo")])
def test_pages_render_in_every_language(personas, page_client, people, language, html_lang):
    user = personas["head_chengguan"]
    user.language = language
    user.save(update_fields=["language"])
    client = page_client(user)
    record = ServiceRecord.objects.filter(person=people["p"]).first()
    for path in _paths(people, record):
        body = _body(client.get(path))
        assert f'<html lang="{html_lang}">' in body, path
    if language == "bo":
        assert ServiceType.objects.get(code="home_visit").name_bo in _body(client.get("/services/"))


def _paths(people, record):
    return [
        "/services/",
        "/services/types/",
        reverse("servicerecords:add", args=[people["p"].pk]),
        reverse("servicerecords:edit", args=[record.pk]),
        f"/people/{people['p'].pk}/",
    ]


def test_tibetan_pages_show_no_english(personas, page_client, people, pending_msgids_as_tibetan):
    from network.models import OrgUnit

    user = personas["head_chengguan"]
    user.language = "bo"
    user.save(update_fields=["language"])
    client = page_client(user)
    allowed = set(ALLOWED) | {"head", "chengguan", "counsellor", "jiri"}
    allowed |= {word for name in OrgUnit.objects.values_list("name_en", flat=True) for word in name.split()}
    # Codes are shown as codes on the catalogue page.
    allowed |= {
        part for code in ServiceType.objects.values_list("code", flat=True) for part in code.split("_")
    }
    record = ServiceRecord.objects.filter(person=people["p"]).first()
    for path in _paths(people, record):
        parser = _Text()
        parser.feed(_body(client.get(path)))
        words = set(re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", " ".join(parser.chunks)))
        assert words - allowed == set(), (path, words - allowed)
