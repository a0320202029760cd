"""The import pages: template download, upload form, result table, full report, access."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from people import imports
from people.models import Person
from tests.factories import valid_id_number

UPLOAD = "/people/import/"
TEMPLATE = "/people/import/template/"
REPORT = "/people/import/report/"


def upload_file(rows: list[list], *, header_rows=None, name="persons.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for header in header_rows or [[c.zh for c in imports.COLUMNS], [c.bo for c in imports.COLUMNS]]:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def row(sequence: int, unit: str = "540102002", phone: str = "13812345678") -> list:
    number = valid_id_number(sequence=sequence)
    values = {"name_zh": "卓玛", "id_number": number, "phone": phone, "unit": unit}
    return [values.get(c.key) for c in imports.COLUMNS]


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "head_chengguan"])
def test_front_line_staff_open_the_page_and_the_template(personas, page_client, persona):
    client = page_client(personas[persona])
    page = client.get(UPLOAD)
    assert page.status_code == 200
    assert TEMPLATE in page.content.decode()

    response = client.get(TEMPLATE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["persons", imports.NOTES_SHEET]
    sheet = workbook["persons"]
    chinese = [cell.value for cell in sheet[1]]
    tibetan = [cell.value for cell in sheet[2]]
    assert chinese[:3] == ["中文姓名", "藏文姓名", "身份证号码*"]
    assert tibetan[0] == "རྒྱ་ཡིག་གི་མིང་།" and all("\u0f00" <= value[0] <= "\u0fff" for value in tibetan)
    assert len(chinese) == len(imports.COLUMNS)
    notes = workbook[imports.NOTES_SHEET]
    codes = {(r[1], r[2]) for r in notes.iter_rows(values_only=True) if r[1]}
    assert any(code == "bachelor" for code, _label in codes)
    assert any(code == "unemployed" for code, _label in codes)


def test_the_template_itself_imports_once_filled_in(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    workbook = load_workbook(io.BytesIO(client.get(TEMPLATE).content))
    sheet = workbook["persons"]
    sheet.append(row(1))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("filled.xlsx", buffer.getvalue())})
    assert response.status_code == 200
    assert response.context["report"].imported == 1
    assert Person.objects.count() == 1


def test_upload_shows_counts(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(UPLOAD, {"file": upload_file([row(1), row(2)])})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.total, report.imported, report.committed) == (2, 2, True)
    assert response.context["report_token"] == ""
    assert Person.objects.count() == 2


def test_errors_are_listed_and_the_full_report_downloads(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    file = upload_file([row(1), row(2, unit="540121100"), row(3, phone="1")])
    response = client.post(UPLOAD, {"file": file})
    assert response.status_code == 200
    body = response.content.decode()
    assert str(imports.UNIT_OUT_OF_SCOPE % {"code": "540121100"}) in body
    assert Person.objects.count() == 0  # all or nothing

    token = response.context["report_token"]
    download = client.post(REPORT, {"report": token})
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    values = [r for r in sheet.iter_rows(values_only=True)]
    assert (4, imports.column_label("unit"), str(imports.UNIT_OUT_OF_SCOPE % {"code": "540121100"})) in values
    assert any(r[0] == 5 and r[1] == imports.column_label("phone") for r in values)


def test_valid_rows_only_checkbox(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    file = upload_file([row(1), row(2, unit="540121100")])
    response = client.post(UPLOAD, {"file": file, "valid_rows_only": "on"})
    assert response.context["report"].imported == 1
    assert Person.objects.count() == 1


def test_only_the_first_500_errors_are_shown(personas, page_client, monkeypatch):
    monkeypatch.setattr("people.import_views.SHOWN_ERRORS", 2)
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(UPLOAD, {"file": upload_file([row(n, phone="1") for n in range(1, 6)])})
    assert len(response.context["shown_errors"]) == 2 and response.context["more_errors"] == 3
    download = client.post(REPORT, {"report": response.context["report_token"]})
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert sum(1 for r in rows if r[1] == imports.column_label("phone")) == 5


def test_a_huge_report_is_capped_and_says_so(personas, page_client, monkeypatch):
    monkeypatch.setattr("people.import_views.REPORT_MAX_ERRORS", 3)
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(UPLOAD, {"file": upload_file([row(n, phone="1") for n in range(1, 6)])})
    download = client.post(REPORT, {"report": response.context["report_token"]})
    rows = list(load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))
    assert sum(1 for r in rows if r[1] == imports.column_label("phone")) == 3
    assert rows[-1][2] == str(imports.MORE_ERRORS % {"count": 2})


@pytest.mark.parametrize(
    ("name", "content"),
    [("persons.csv", b"name,id\n"), ("persons.xlsx", b"name,id\n"), ("persons.xlsx", b"PK\x03\x04junk")],
)
def test_not_an_xlsx_gives_a_form_error(personas, page_client, name, content):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert Person.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(personas, page_client, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(UPLOAD, {"file": upload_file([row(n) for n in range(1, 60)])})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert Person.objects.count() == 0


def test_a_tampered_or_foreign_report_is_a_400(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(UPLOAD, {"file": upload_file([row(1, phone="1")])})
    token = response.context["report_token"]
    assert client.post(REPORT, {"report": token[:-2] + "xx"}).status_code == 400
    assert client.post(REPORT, {}).status_code == 400
    other = page_client(personas["head_chengguan"])
    assert other.post(REPORT, {"report": token}).status_code == 400
    assert client.get(REPORT).status_code == 405


@pytest.mark.parametrize("persona", ["district_chengguan", "city", "sysadmin", "auditadmin"])
def test_others_get_403(personas, page_client, persona):
    client = page_client(personas[persona])
    assert client.get(UPLOAD).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert client.post(UPLOAD, {"file": upload_file([row(1)])}).status_code == 403
    assert client.post(REPORT, {"report": "x"}).status_code == 403
    assert Person.objects.count() == 0


def test_anonymous_is_refused(client, db):
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": upload_file([row(1)])}).status_code == 403
    assert Person.objects.count() == 0


def test_errors_come_in_the_users_language(personas, page_client):
    user = personas["counsellor_chengguan"]
    user.language = "bo"
    user.save(update_fields=["language"])
    client = page_client(user)
    response = client.post(UPLOAD, {"file": upload_file([row(1, unit="540121100")])})
    error = response.context["report"].errors[0]
    assert error.column == imports.COLUMN_BY_KEY["unit"].bo
    assert error.column in response.content.decode()
    assert response["Content-Language"] == "bo"
