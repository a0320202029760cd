"""persons_import: per-row checks, all-or-nothing, valid rows only, idempotence, atomicity."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation
from openpyxl import Workbook
from stdnum.cn import ric

from audit.models import AuditEntry
from core.errors import NotAllowed, ValidationFailed
from keygroups.models import Membership
from people import imports
from people.choices import Education
from people.identity import ID_BAD_DATE, ID_WRONG_CHECKSUM, PHONE_INVALID
from people.models import Person
from tests.factories import valid_id_number

TODAY = datetime.date(2026, 3, 2)


def xlsx(rows: list[dict], *, headers=("zh", "bo"), name="persons.xlsx", keys=None) -> SimpleUploadedFile:
    """A workbook like the template: header rows in the given languages, then one row per dict."""
    keys = keys or [c.key for c in imports.COLUMNS]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "persons"
    for language in headers:
        sheet.append([getattr(imports.COLUMN_BY_KEY[k], language) for k in keys])
    for values in rows:
        sheet.append([values.get(k) for k in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def person_row(sequence: int, **values) -> dict:
    row = {
        "name_zh": "扎西",
        "name_bo": "བཀྲ་ཤིས།",
        "id_number": valid_id_number(sequence=sequence),
        "phone": "13812345678",
        "unit": "540102002",
    }
    row.update(values)
    return row


def with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "X")


def run(user, rows, **kwargs):
    return imports.persons_import(acting_user=user, file=xlsx(rows), today=TODAY, **kwargs)


def errors_of(report) -> set[tuple[int, str, str]]:
    return {(e.row, e.column, e.message) for e in report.errors}


def label(key: str) -> str:
    return imports.column_label(key)


def test_good_rows_are_created_with_derived_values(personas):
    user = personas["counsellor_chengguan"]
    rows = [
        person_row(1, name_zh="次仁卓玛", name_bo="ཚེ་རིང་སྒྲོལ་མ།", phone="13987654321"),
        person_row(
            2,
            id_number=valid_id_number(birth="19851120", sequence=2, male=False),
            employment_status="employed",
            education="bachelor",
            graduation_date=datetime.date(2008, 7, 1),
            desired_occupations="4-03-02-01；4-07-03-02",
            salary_expectation=6000,
            willing_outside_county="是",
            household_unit="540102003",
            residence_unit=540102003,  # a number typed into a General cell
        ),
    ]
    report = run(user, rows)

    assert (report.total, report.imported, report.already_registered, report.errors) == (2, 2, 0, [])
    assert report.committed
    first = Person.objects.get(name_zh="次仁卓玛")
    assert first.id_number == rows[0]["id_number"]
    assert first.id_number_masked == rows[0]["id_number"][:6] + "********" + rows[0]["id_number"][-4:]
    assert (first.birth_date, first.sex) == (datetime.date(1990, 3, 7), "male")
    assert first.phone == "13987654321" and first.phone_masked == "139****4321"
    assert "cirenzhuoma" in first.name_pinyin and first.name_wylie
    assert (first.unit.code, first.household_unit.code, first.residence_unit.code) == ("540102002",) * 3
    assert first.employment_status == "unemployed" and first.unemployed_since == TODAY
    assert first.registered_by == user
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person WHERE id = %s", [first.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert stored_id.startswith("e1:") and rows[0]["id_number"] not in stored_id
    assert stored_phone.startswith("e1:")

    second = Person.objects.exclude(pk=first.pk).get()
    assert (second.birth_date, second.sex) == (datetime.date(1985, 11, 20), "female")
    assert (second.education, second.graduation_date) == ("bachelor", datetime.date(2008, 7, 1))
    assert second.unemployed_since is None
    assert (second.salary_expectation, second.willing_outside_county) == (6000, True)
    assert sorted(second.desired_occupations.values_list("code", flat=True)) == ["4-03-02-01", "4-07-03-02"]
    assert (second.household_unit.code, second.residence_unit.code) == ("540102003", "540102003")

    entry = AuditEntry.objects.get(note__startswith="import:")
    assert entry.actor == user and entry.note == "import: 2 persons from persons.xlsx"


def test_every_bad_row_is_reported_and_nothing_is_written(personas):
    user = personas["counsellor_chengguan"]
    good = valid_id_number(sequence=1)
    rows = [
        person_row(1),  # row 3
        person_row(2, id_number=good[:-1] + ("0" if good[-1] != "0" else "1")),  # 4: checksum
        person_row(3, id_number=with_check_digit("54010219900231001")),  # 5: 31 February
        person_row(4, unit="540199999"),  # 6: no such unit
        person_row(5, unit="540121100"),  # 7: 林周县, outside 城关区
        person_row(6, phone="12345"),  # 8
        person_row(7, id_number=good),  # 9: same as row 3
        person_row(8, name_zh="", name_bo="", education="博士后", graduation_date="2020-13-01"),  # 10
    ]
    people_before, memberships_before = Person.objects.count(), Membership.objects.count()

    report = run(user, rows)

    assert not report.committed and report.imported == 0
    assert errors_of(report) == {
        (4, label("id_number"), str(ID_WRONG_CHECKSUM)),
        (5, label("id_number"), str(ID_BAD_DATE)),
        (6, label("unit"), str(imports.UNKNOWN_UNIT % {"code": "540199999"})),
        (7, label("unit"), str(imports.UNIT_OUT_OF_SCOPE % {"code": "540121100"})),
        (8, label("phone"), str(PHONE_INVALID)),
        (9, label("id_number"), str(imports.DUPLICATE_IN_FILE % {"row": 3})),
        (10, label("name_zh"), str(imports.NAME_REQUIRED)),
        (10, label("education"), str(imports.BAD_CHOICE % {"value": "博士后", "sheet": imports.NOTES_SHEET})),
        (10, label("graduation_date"), str(imports.BAD_DATE)),
    }
    assert report.total == 8 and report.rows_with_errors == 7
    assert Person.objects.count() == people_before
    assert Membership.objects.count() == memberships_before
    assert not AuditEntry.objects.filter(note__startswith="import:").exists()


def test_valid_rows_only_writes_exactly_the_good_rows(personas):
    rows = [person_row(1), person_row(2, unit="540121100"), person_row(3), person_row(4, phone="x")]
    report = run(personas["counsellor_chengguan"], rows, valid_rows_only=True)

    assert report.committed and report.imported == 2 and report.rows_with_errors == 2
    assert {p.id_number for p in Person.objects.all()} == {rows[0]["id_number"], rows[2]["id_number"]}


def test_reimporting_the_same_file_creates_nothing_twice(personas):
    user = personas["counsellor_chengguan"]
    rows = [person_row(n, disability="1") for n in range(1, 6)]
    first = run(user, rows)
    memberships = Membership.objects.count()

    again = run(user, rows)

    assert (first.imported, first.already_registered) == (5, 0)
    assert (again.imported, again.already_registered, again.errors) == (0, 5, [])
    assert again.committed
    assert Person.objects.count() == 5 and Membership.objects.count() == memberships


def test_registered_elsewhere_counts_as_already_registered(personas):
    from tests.factories import person

    person(user=personas["counsellor_linzhou"], unit_code="540121100", sequence=1)
    report = run(personas["counsellor_chengguan"], [person_row(1), person_row(2)])
    assert (report.imported, report.already_registered, report.errors) == (1, 1, [])


@pytest.mark.parametrize("target", ["memberships_refresh", "bulk_create"])
def test_a_crash_half_way_leaves_no_persons(personas, monkeypatch, target):
    monkeypatch.setattr(imports, "BATCH", 2)  # five rows: three batches
    calls = {"n": 0}

    def crash_on_second(original):
        def wrapper(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("disk full")
            return original(*args, **kwargs)

        return wrapper

    if target == "memberships_refresh":
        from keygroups import services

        monkeypatch.setattr(services, "memberships_refresh", crash_on_second(services.memberships_refresh))
    else:  # the second batch of persons
        monkeypatch.setattr(Person.objects, "bulk_create", crash_on_second(Person.objects.bulk_create))

    with pytest.raises(RuntimeError):
        run(personas["counsellor_chengguan"], [person_row(n, disability="2") for n in range(1, 6)])

    assert calls["n"] == 2
    assert Person.objects.count() == 0
    assert Membership.objects.count() == 0
    assert not AuditEntry.objects.filter(note__startswith="import:").exists()


def test_derived_key_groups_are_set(personas):
    rows = [
        person_row(1, name_zh="残疾失业", disability="2"),
        person_row(2, name_zh="残疾就业", disability="2", employment_status="employed"),
        person_row(3, name_zh="毕业生", education="bachelor", graduation_date="2025-07-01"),
    ]
    run(personas["counsellor_chengguan"], rows)

    def groups(name):
        return set(
            Membership.objects.filter(person__name_zh=name, ended_on__isnull=True).values_list(
                "category__code", flat=True
            )
        )

    assert groups("残疾失业") == {"disabled", "hard_to_employ"}
    assert groups("残疾就业") == set()
    assert "unemployed_graduate" in groups("毕业生")


def test_choice_cells_take_the_chinese_label_and_dates_take_excel_dates(personas):
    with translation.override("zh-hans"):
        bachelor = str(Education.BACHELOR.label)
    rows = [person_row(1, education=bachelor, graduation_date=datetime.datetime(2010, 7, 1))]
    report = run(personas["counsellor_chengguan"], rows)
    assert report.errors == []
    created = Person.objects.get()
    assert (created.education, created.graduation_date) == ("bachelor", datetime.date(2010, 7, 1))


def test_a_sheet_with_only_tibetan_headers_imports(personas):
    file = xlsx([person_row(1)], headers=("bo",))
    report = imports.persons_import(acting_user=personas["counsellor_chengguan"], file=file, today=TODAY)
    assert (report.imported, report.errors) == (1, [])


def test_a_sheet_with_english_headers_and_fewer_columns_imports(personas):
    keys = ["name_bo", "id_number", "unit"]
    file = xlsx([{"name_bo": "བཀྲ་ཤིས།", "id_number": valid_id_number(sequence=9), "unit": 540102002}],
                headers=("en",), keys=keys)  # fmt: skip
    report = imports.persons_import(acting_user=personas["counsellor_chengguan"], file=file, today=TODAY)
    assert (report.imported, report.errors) == (1, [])
    assert Person.objects.get().name_zh == ""


def test_missing_required_column_is_refused(personas):
    file = xlsx([{"name_zh": "扎西", "unit": "540102002"}], keys=["name_zh", "unit"])
    with pytest.raises(ValidationFailed) as caught:
        imports.persons_import(acting_user=personas["counsellor_chengguan"], file=file, today=TODAY)
    assert label("id_number") in caught.value.errors["file"][0]


@pytest.mark.parametrize("content", [b"name,id\n", b"PK\x03\x04 broken zip", b""])
def test_not_an_xlsx_is_refused_with_a_message(personas, content):
    file = SimpleUploadedFile("persons.xlsx", content)
    with pytest.raises(ValidationFailed) as caught:
        imports.persons_import(acting_user=personas["counsellor_chengguan"], file=file, today=TODAY)
    assert caught.value.errors == {"file": [str(imports.NOT_XLSX)]}


def test_a_file_with_only_headers_is_refused(personas):
    with pytest.raises(ValidationFailed) as caught:
        run(personas["counsellor_chengguan"], [{}, {}])
    assert caught.value.errors == {"file": [str(imports.NO_ROWS)]}


@pytest.mark.parametrize("persona", ["district_chengguan", "city", "sysadmin"])
def test_only_front_line_staff_may_import(personas, persona):
    with pytest.raises(NotAllowed):
        run(personas[persona], [person_row(1)])
    assert Person.objects.count() == 0


def test_bad_values_in_many_columns_are_all_reported(personas):
    rows = [
        person_row(
            1,
            salary_expectation="lots",
            willing_outside_county="maybe",
            desired_occupations="4-03-02-01;9-99-99-99",
            household_unit="123",
            address="x" * 201,
        )
    ]
    report = run(personas["counsellor_chengguan"], rows)
    assert {e.column for e in report.errors} == {
        label("salary_expectation"),
        label("willing_outside_county"),
        label("desired_occupations"),
        label("household_unit"),
        label("address"),
    }
    assert str(imports.UNKNOWN_OCCUPATIONS % {"codes": "9-99-99-99"}) in {e.message for e in report.errors}


def test_key_groups_match_a_full_refresh_afterwards(personas):
    """Skipping people who meet no rule must leave nothing for memberships_refresh to do."""
    from keygroups.services import memberships_refresh

    births = ["19660105", "19700610", "19751201", "19900307", "20000101", "19850505"]
    rows = []
    for n, birth in enumerate(births * 4, start=1):
        rows.append(
            person_row(
                n,
                id_number=valid_id_number(birth=birth, sequence=n, male=n % 2 == 0),
                employment_status=["unemployed", "employed", "student", "unemployed"][n % 4],
                disability=["none", "none", "1", "4"][n % 4 - 1],
                education=["bachelor", "senior", "college"][n % 3],
                graduation_date=["2024-07-01", "", "2010-07-01"][n % 3],
            )
        )
    report = run(personas["counsellor_chengguan"], rows)
    assert report.imported == len(rows) and report.errors == []
    assert Membership.objects.count() > 0

    result = memberships_refresh(person_ids=list(Person.objects.values_list("pk", flat=True)), today=TODAY)
    assert result == {"opened": 0, "closed": 0}


def test_an_id_registered_meanwhile_rolls_everything_back(personas, monkeypatch):
    from tests.factories import person

    monkeypatch.setattr(imports, "BATCH", 2)
    person(user=personas["counsellor_chengguan"], sequence=5)  # row 5 of the file will collide
    monkeypatch.setattr(imports, "_registered", lambda indexes: set())  # as if checked before it existed

    with pytest.raises(ValidationFailed) as caught:
        run(personas["counsellor_chengguan"], [person_row(n) for n in range(1, 7)])

    assert caught.value.errors == {"file": [str(imports.REGISTERED_MEANWHILE)]}
    assert Person.objects.count() == 1


def test_a_blank_unit_does_not_hide_other_unit_errors(personas):
    report = run(personas["counsellor_chengguan"], [person_row(1, unit="", residence_unit="999")])
    assert errors_of(report) == {
        (3, label("unit"), str(imports.VALUE_REQUIRED)),
        (3, label("residence_unit"), str(imports.UNKNOWN_UNIT % {"code": "999"})),
    }
