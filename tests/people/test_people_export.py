"""Excel export of the person list: masked by default, full only for a station head with a reason."""

import io

import openpyxl
import pytest

from privacy.models import AccessKind, PersonalDataAccess
from tests.factories import person as make_person
from tests.factories import valid_id_number

FULL_ID = valid_id_number(sequence=21)
PHONE = "13812345678"


@pytest.fixture
def persons(personas):
    user = personas["counsellor_chengguan"]
    return [
        make_person(user=user, id_number=FULL_ID, phone=PHONE),
        make_person(user=user, sequence=22, name_zh="卓玛", name_bo="སྒྲོལ་མ།", phone="13900001111"),
    ]


def _cells(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_masked_export_holds_masked_values_and_is_logged(personas, page_client, persons):
    response = page_client(personas["counsellor_chengguan"]).get(
        "/people/", {"format": "xlsx", "status": "unemployed"}
    )
    rows = _cells(response)
    assert len(rows) == 3  # header and two persons
    text = repr(rows)
    assert persons[0].id_number_masked in text and persons[0].phone_masked in text
    assert FULL_ID not in text and PHONE not in text
    log = PersonalDataAccess.objects.get()
    assert (log.kind, log.subject_type, log.record_count, log.user) == (
        AccessKind.EXPORT,
        "person",
        2,
        personas["counsellor_chengguan"],
    )
    assert log.query == "status=unemployed"
    assert "id_number_masked" in log.fields


def test_export_follows_the_filters_and_the_scope(personas, page_client, persons):
    rows = _cells(
        page_client(personas["counsellor_chengguan"]).get("/people/", {"format": "xlsx", "q": "zhuoma"})
    )
    assert len(rows) == 2 and rows[1][0] == "卓玛"
    rows = _cells(page_client(personas["counsellor_jiri"]).get("/people/", {"format": "xlsx"}))
    assert len(rows) == 1  # the header only: nothing in a sibling's area
    assert PersonalDataAccess.objects.filter(record_count=0).count() == 1


def test_station_head_full_export_with_reason(personas, page_client, persons):
    response = page_client(personas["head_chengguan"]).get(
        "/people/", {"format": "xlsx", "full": "on", "reason": "list for the job fair"}
    )
    text = repr(_cells(response))
    assert FULL_ID in text and PHONE in text
    log = PersonalDataAccess.objects.get()
    assert (log.kind, log.record_count, log.reason) == (AccessKind.EXPORT, 2, "list for the job fair")
    assert "id_number" in log.fields.split(",")


def test_full_export_without_reason_is_refused(personas, page_client, persons):
    response = page_client(personas["head_chengguan"]).get("/people/", {"format": "xlsx", "full": "on"})
    assert response.status_code == 302
    assert "format" not in response["Location"]
    assert not PersonalDataAccess.objects.exists()


def test_counsellor_asking_for_full_values_is_refused(personas, page_client, persons):
    response = page_client(personas["counsellor_chengguan"]).get(
        "/people/", {"format": "xlsx", "full": "on", "reason": "please"}
    )
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_only_the_station_head_sees_the_full_export_control(personas, page_client, persons):
    html = page_client(personas["counsellor_chengguan"]).get("/people/").content.decode()
    assert 'name="full"' not in html
    html = page_client(personas["head_chengguan"]).get("/people/").content.decode()
    assert 'name="reason"' in html and 'name="full"' in html


def test_export_is_capped(personas, page_client, persons, monkeypatch):
    monkeypatch.setattr("people.views.EXPORT_CAP", 1)
    response = page_client(personas["counsellor_chengguan"]).get("/people/", {"format": "xlsx"})
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_export_with_a_bad_filter_is_refused_not_widened(personas, page_client, persons):
    response = page_client(personas["counsellor_chengguan"]).get(
        "/people/", {"format": "xlsx", "status": "bogus"}
    )
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()
