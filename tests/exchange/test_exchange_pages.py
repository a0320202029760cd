"""Pages under /exchange/: upload a JSON or .xlsx file with its report; download exports."""

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exchange import person_format, vacancy_format
from exchange.files import flat_keys
from exchange.services import job_seekers_import, vacancies_import
from people.models import Person
from privacy.models import PersonalDataAccess
from tests.exchange.exchange_records import job_seeker_json, vacancy_json
from tests.factories import valid_id_number
from vacancies.models import Vacancy


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]


def _json_file(records, name="vacancies.json"):
    return SimpleUploadedFile(name, json.dumps(records, ensure_ascii=False).encode(), "application/json")


def _sheet(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return [
        list(row)
        for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]


def test_upload_json_shows_the_report(page_client, head, industry):
    client = page_client(head)
    response = client.post("/exchange/import/", {"what": "vacancies", "file": _json_file([vacancy_json()])})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-count="created">1<' in html
    assert Vacancy.objects.get().external_id == "XZ-V-0001"


def test_a_bad_record_shows_its_number_and_field_and_nothing_is_written(page_client, head, industry):
    records = [vacancy_json("A"), vacancy_json("B", salary_min="lots")]
    response = page_client(head).post("/exchange/import/", {"what": "vacancies", "file": _json_file(records)})
    html = response.content.decode()
    assert "<td>2</td><td><code>salary_min</code>" in html  # the second record, counted from 1
    assert Vacancy.objects.count() == 0


def test_an_exported_sheet_imports_again_unchanged(page_client, head, industry):
    vacancies_import(acting_user=head, records=[vacancy_json()])
    client = page_client(head)
    export = client.get("/exchange/export/", {"what": "vacancies", "format": "xlsx"})
    rows = _sheet(export)
    assert rows[0] == list(vacancy_format.COLUMNS)
    upload = SimpleUploadedFile("vacancies.xlsx", export.content)
    response = client.post("/exchange/import/", {"what": "vacancies", "file": upload})
    assert 'data-count="unchanged">1<' in response.content.decode()
    assert Vacancy.objects.get().version == 1


def test_an_edited_sheet_row_is_reported_by_row_number(page_client, head, industry):
    vacancies_import(acting_user=head, records=[vacancy_json()])
    client = page_client(head)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get("/exchange/export/", {"what": "vacancies", "format": "xlsx"}).content)
    )
    sheet = workbook.active
    sheet.cell(row=2, column=list(vacancy_format.COLUMNS).index("salary_max") + 1, value=10)
    sheet.insert_rows(2)  # a blank row above: the record is now on row 3
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("vacancies.xlsx", buffer.getvalue())
    html = client.post("/exchange/import/", {"what": "vacancies", "file": upload}).content.decode()
    assert "<td>3</td><td><code>salary_max</code>" in html


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("list.csv", b"a,b"),
        ("list.json", b"{not json"),
        ("list.json", b'{"records": 3}'),
        ("x.xlsx", b"PK\x03\x04zz"),
    ],
)
def test_unreadable_files_are_form_errors(page_client, head, name, content):
    response = page_client(head).post(
        "/exchange/import/", {"what": "vacancies", "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "district_chengguan", "city"])
def test_only_station_heads_open_the_import_page(page_client, personas, persona):
    assert page_client(personas[persona]).get("/exchange/import/").status_code == 403


def test_the_counsellor_cannot_export(page_client, personas):
    assert page_client(personas["counsellor_chengguan"]).get("/exchange/export/").status_code == 403


@pytest.fixture
def seeker(head):
    job_seekers_import(acting_user=head, records=[job_seeker_json()])
    return Person.objects.get()


def test_job_seeker_export_is_masked_and_logged(page_client, personas, seeker):
    client = page_client(personas["district_chengguan"])
    page = client.get("/exchange/export/").content.decode()
    assert 'name="full"' not in page  # a supervisor has no full export
    rows = _sheet(client.get("/exchange/export/", {"what": "job_seekers", "format": "xlsx"}))
    assert rows[0] == list(person_format.COLUMNS)
    assert seeker.id_number_masked in rows[1] and valid_id_number(sequence=31) not in rows[1]
    assert PersonalDataAccess.objects.get().record_count == 1


def test_full_job_seeker_export_needs_a_reason(page_client, head, seeker):
    client = page_client(head)
    response = client.get("/exchange/export/", {"what": "job_seekers", "format": "json", "full": "on"})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert PersonalDataAccess.objects.count() == 0
    response = client.get(
        "/exchange/export/",
        {"what": "job_seekers", "format": "json", "full": "on", "reason": "自治区平台核对"},
    )
    records = json.loads(response.content)
    assert records[0]["id_number"] == valid_id_number(sequence=31)
    assert PersonalDataAccess.objects.get().reason == "自治区平台核对"


def test_a_full_json_export_imports_again_unchanged(page_client, head, seeker):
    client = page_client(head)
    exported = client.get(
        "/exchange/export/", {"what": "job_seekers", "format": "json", "full": "on", "reason": "round trip"}
    ).content
    upload = SimpleUploadedFile("job-seekers.json", exported)
    html = client.post("/exchange/import/", {"what": "job_seekers", "file": upload}).content.decode()
    assert 'data-count="unchanged">1<' in html, html


def test_export_columns_match_the_records(head, industry, seeker):
    from exchange.person_format import job_seeker_record
    from exchange.vacancy_format import vacancy_record

    vacancies_import(acting_user=head, records=[vacancy_json()])
    assert tuple(flat_keys(vacancy_record(Vacancy.objects.get()))) == vacancy_format.COLUMNS
    record = job_seeker_record(seeker, full=True, key_groups=[], occupations=[])
    assert tuple(flat_keys(record)) == person_format.FULL_COLUMNS


def test_a_bad_export_filter_is_a_form_error(page_client, head):
    response = page_client(head).get(
        "/exchange/export/", {"what": "vacancies", "format": "xlsx", "since": "x"}
    )
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
