"""Assistance pages: the section on the person's file and its actions, the list with its
Excel export, the station head's closure queue, coverage, the dashboard card, languages."""

import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assistance.models import AssistanceFile, FileStatus
from audit.models import Action, AuditEntry
from privacy.models import AccessKind, PersonalDataAccess
from servicerecords.models import ServiceRecord
from tests.core.test_translations import ALLOWED, _Text
from worklist.models import Kind, WorkItem


def _body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _count(body: str, name: str) -> str:
    match = re.search(rf'data-count="{name}"[^>]*>([^<]*)<', body)
    assert match, name
    return match.group(1).strip()


def _json(body: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def _file_url(p) -> str:
    return reverse("people:person_detail", args=[p.pk])


def _section(body: str) -> str:
    match = re.search(r'<section id="assistance".*?</section>', body, re.S)
    assert match
    return match.group(0)


# --- the person's file ------------------------------------------------------------------


def test_the_section_shows_due_given_and_overdue(personas, page_client, world, frozen):
    client = page_client(personas["counsellor_chengguan"])
    assisted = _section(_body(client.get(_file_url(world["a"]))))
    assert "2026/11/16" in assisted or "2026-11-16" in assisted or "11月16日" in assisted
    assert 'data-file-status="open"' in assisted and "tag bad" not in assisted
    assert 'data-measure="public_welfare_post"' in assisted
    assert "?type=follow_up_visit" in assisted  # record assistance: a follow-up now
    AssistanceFile.objects.filter(person=world["b"]).update(first_assistance_due="2026-11-15")
    late = _section(_body(client.get(_file_url(world["b"]))))
    assert "tag bad" in late and "?type=home_visit" in late


def test_a_supervisor_sees_the_file_without_the_actions(personas, page_client, world, frozen):
    section = _section(_body(page_client(personas["district_chengguan"]).get(_file_url(world["a"]))))
    assert 'data-file-status="open"' in section
    assert "/services/person/" not in section and "propose-closure" not in section


def test_open_a_file_by_hand_from_the_person_file(personas, page_client, world, frozen):
    counsellor = personas["counsellor_chengguan"]
    p = world["e"]  # a veteran: close the file first, then open a new one by hand
    AssistanceFile.objects.filter(person=p).update(
        status=FileStatus.CLOSED, closed_on=frozen, outcome="employed"
    )
    client = page_client(counsellor)
    section = _section(_body(client.get(_file_url(p))))
    assert reverse("assistance:open", args=[p.pk]) in section
    veteran_id = str(p.key_group_memberships.get(category__code="veteran").category_id)
    response = client.post(
        reverse("assistance:open", args=[p.pk]), {"category": veteran_id, "opened_on": "2026-11-16"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#assistance")
    new = AssistanceFile.objects.exclude(status=FileStatus.CLOSED).get(person=p)
    assert new.opened_by == counsellor
    refused = client.post(
        reverse("assistance:open", args=[p.pk]), {"category": veteran_id, "opened_on": "2026-11-17"}
    )
    assert refused.status_code == 200 and 'class="errorlist"' in refused.content.decode()


def test_record_assistance_with_the_preselected_service(personas, page_client, world, frozen):
    client = page_client(personas["counsellor_chengguan"])
    form = _body(client.get(reverse("servicerecords:add", args=[world["b"].pk]) + "?type=home_visit"))
    home_visit = re.search(r'<option value="(\d+)" selected>', form)
    assert home_visit
    response = client.post(
        reverse("servicerecords:add", args=[world["b"].pk]),
        {"service_type": home_visit.group(1), "on": "2026-11-16", "channel": "home_visit", "language": "bo"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#services")
    file = AssistanceFile.objects.get(person=world["b"])
    assert file.first_assistance_on == frozen
    item = WorkItem.objects.get(kind=Kind.FIRST_ASSISTANCE, source_id=file.pk)
    assert item.done_on == frozen


def test_propose_and_decide_a_closure_through_the_pages(personas, page_client, world, frozen):
    file = AssistanceFile.objects.get(person=world["a"])
    counsellor = page_client(personas["counsellor_chengguan"])
    url = reverse("assistance:propose", args=[file.pk])
    assert "outcome" in _body(counsellor.get(url))
    refused = counsellor.post(url, {"outcome": "moved_away", "note": "", "version": file.version})
    assert refused.status_code == 200 and 'class="errorlist"' in refused.content.decode()
    response = counsellor.post(url, {"outcome": "moved_away", "note": "迁往成都", "version": file.version})
    assert response.status_code == 302
    assert counsellor.get(reverse("assistance:closures")).status_code == 403
    head = page_client(personas["head_chengguan"])
    queue = _body(head.get(reverse("assistance:closures")))
    assert f'data-file="{file.pk}"' in queue and "迁往成都" in queue
    file.refresh_from_db()
    response = head.post(
        reverse("assistance:decide", args=[file.pk]),
        {"decision": "approve", "note": "", "version": file.version, "next": "queue"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("assistance:closures")
    file.refresh_from_db()
    assert (file.status, file.closed_by) == (FileStatus.CLOSED, personas["head_chengguan"])


def test_the_head_cannot_decide_their_own_proposal(personas, page_client, world, frozen):
    head = page_client(personas["head_chengguan"])
    file = AssistanceFile.objects.get(person=world["b"])
    head.post(
        reverse("assistance:propose", args=[file.pk]), {"outcome": "employed", "note": "", "version": 1}
    )
    queue = _body(head.get(reverse("assistance:closures")))
    assert f'action="{reverse("assistance:decide", args=[file.pk])}"' not in queue
    response = head.post(reverse("assistance:decide", args=[file.pk]), {"decision": "approve", "version": 2})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert AssistanceFile.objects.get(pk=file.pk).status == FileStatus.CLOSING


def test_a_measure_is_marked_from_the_file(personas, page_client, world, frozen):
    measure = AssistanceFile.objects.get(person=world["a"]).measures.get(kind="subsidy")
    client = page_client(personas["counsellor_chengguan"])
    url = reverse("assistance:measure", args=[measure.pk])
    response = client.post(
        url, {"started_on": "2026-11-16", "done_on": "", "note": "残疾人就业补贴", "version": 1}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (str(measure.started_on), measure.note) == ("2026-11-16", "残疾人就业补贴")
    client.post(url, {"started_on": "", "done_on": "", "note": "", "version": 1})  # stale: refused
    measure.refresh_from_db()
    assert measure.note == "残疾人就业补贴"
    assert page_client(personas["counsellor_jiri"]).post(url, {"version": 2}).status_code == 404


# --- lists --------------------------------------------------------------------------------


def test_the_list_filters_by_status_overdue_unit_and_group(personas, page_client, world, frozen):
    client = page_client(personas["district_chengguan"])
    body = _body(client.get(reverse("assistance:list")))
    files = {f.person_id: f.pk for f in AssistanceFile.objects.all()}
    shown = set(map(int, re.findall(r'data-file="(\d+)"', body)))
    expected = {files[world[k].pk] for k in "abcdegh" + "i"}
    assert shown == expected  # not j (林周县)
    closed = set(map(int, re.findall(r'data-file="(\d+)"', _body(client.get("/assistance/?status=closed")))))
    assert closed == {files[world["c"].pk]}
    AssistanceFile.objects.filter(person=world["b"]).update(first_assistance_due="2026-11-10")
    overdue = _body(client.get("/assistance/?overdue=on", headers={"HX-Request": "true"}))
    assert "<html" not in overdue
    assert set(map(int, re.findall(r'data-file="(\d+)"', overdue))) == {files[world["b"].pk]}
    jiri = _body(client.get("/assistance/?unit=540102003&category=disabled"))
    assert set(map(int, re.findall(r'data-file="(\d+)"', jiri))) == {files[world["i"].pk]}


def test_the_export_is_masked_audited_and_logged(personas, page_client, world, frozen):
    user = personas["counsellor_chengguan"]
    response = page_client(user).get("/assistance/?category=disabled&format=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3  # a, b, g
    assert {row[0] for row in rows[1:]} == {"阿旺", "白玛", "格桑"}
    assert world["a"].id_number not in {row[2] for row in rows[1:]}
    assert world["a"].id_number_masked in {row[2] for row in rows[1:]}
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.actor == user and "assistance-files.xlsx (3 rows)" in entry.note
    access = PersonalDataAccess.objects.get()
    assert (access.kind, access.record_count, access.subject_type) == (
        AccessKind.EXPORT,
        3,
        "assistance_file",
    )


def test_an_invalid_filter_refuses_the_export(personas, page_client, world, frozen):
    response = page_client(personas["counsellor_chengguan"]).get("/assistance/?status=bogus&format=xlsx")
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_administrators_have_no_assistance_pages(personas, page_client, world, frozen):
    client = page_client(personas["sysadmin"])
    for url in ("/assistance/", "/assistance/coverage/", "/assistance/closures/"):
        assert client.get(url).status_code == 403


# --- coverage and the dashboard ------------------------------------------------------------


def test_the_coverage_page(personas, page_client, world, frozen):
    body = _body(page_client(personas["city"]).get("/assistance/coverage/"))
    assert _count(body, "coverage_share") == "57%"
    assert _count(body, "not_covered") == "3"
    assert _count(body, "zero_open") == "3"
    chart = _json(body, "coverage-chart-data")
    assert chart["categories"][0] == "城关区" and chart["series"][0]["data"][:4] == [50, 0, 0, 100]
    zero = _json(body, "zero-chart-data")
    assert [series["data"][0] for series in zero["series"]] == [2, 1]
    assert "js/ratio-charts.js" in body and "<script>" not in body
    partial = _body(
        page_client(personas["city"]).get("/assistance/coverage/?unit=540102", headers={"HX-Request": "true"})
    )
    assert "<html" not in partial and _count(partial, "coverage_share") == "50%"
    assert re.search(r'data-unit="540102002">\s*<td>八廓街道</td><td>4</td><td>2</td><td>50%</td>', partial)


def test_the_dashboard_card(personas, page_client, world, frozen):
    city = _body(page_client(personas["city"]).get("/dashboard/"))
    assert _count(city, "coverage_share") == "57%" and _count(city, "zero_open_households") == "3"
    assert "coverage-chart-data" in city
    counsellor = _body(page_client(personas["counsellor_chengguan"]).get("/dashboard/"))
    assert _count(counsellor, "coverage_share") == "50%" and "coverage-chart-data" not in counsellor
    assert 'data-count="coverage_share"' not in _body(page_client(personas["sysadmin"]).get("/dashboard/"))


# --- languages ----------------------------------------------------------------------------


def _paths(world):
    file = AssistanceFile.objects.get(person=world["b"])
    return [
        "/assistance/",
        "/assistance/closures/",
        "/assistance/coverage/",
        reverse("assistance:propose", args=[file.pk]),
        reverse("assistance:open", args=[world["f"].pk]),
        _file_url(world["b"]),
        _file_url(world["c"]),  # a closed file in the history
        "/dashboard/",
    ]


@pytest.mark.parametrize(("language", "html_lang"), [("zh-hans", "zh-Hans"), ("en", "en"), ("bo", "bo")])
def test_pages_render_in_every_language(personas, page_client, world, frozen, language, html_lang):
    user = personas["head_chengguan"]
    user.language = language
    user.save(update_fields=["language"])
    client = page_client(user)
    for path in _paths(world):
        body = _body(client.get(path))
        assert f'<html lang="{html_lang}">' in body, path


def test_tibetan_pages_show_no_english(personas, page_client, world, frozen, pending_msgids_as_tibetan):
    from network.models import OrgUnit

    user = personas["head_chengguan"]
    user.language = "bo"
    user.save(update_fields=["language"])
    client = page_client(user)
    # User names (staff who recorded services, the user in the top bar) are data.
    allowed = set(ALLOWED) | {"head", "chengguan", "counsellor", "jiri"}
    allowed |= {word for name in OrgUnit.objects.values_list("name_en", flat=True) for word in name.split()}
    for path in _paths(world):
        parser = _Text()
        parser.feed(_body(client.get(path)))
        words = set(re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", " ".join(parser.chunks)))
        assert words - allowed == set(), (path, words - allowed)
    assert ServiceRecord.objects.exists()
