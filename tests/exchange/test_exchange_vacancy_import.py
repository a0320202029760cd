"""Importing vacancies from the regional platform: idempotent by external id, all or nothing."""

import pytest

from audit.models import AuditEntry
from core.errors import NotAllowed, ValidationFailed
from employers.models import Employer
from exchange.services import vacancies_import
from tests.exchange.exchange_records import credit_code, vacancy_json
from vacancies.models import Source, Status, Transition, Vacancy


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]


def test_a_new_vacancy_is_created_as_a_draft_with_its_employer(head, industry):
    report = vacancies_import(acting_user=head, records=[vacancy_json()])
    assert report.committed and report.errors == []
    vacancy = Vacancy.objects.get(external_id="XZ-V-0001")
    # The platform said "published", but publication waits for our own review (§5.3.2).
    assert vacancy.status == Status.DRAFT
    assert (vacancy.source, vacancy.channel) == (Source.REGIONAL_PLATFORM, "regional_platform")
    assert (vacancy.salary_min, vacancy.salary_max, vacancy.headcount, vacancy.meals) == (4000, 6000, 2, True)
    assert vacancy.occupation.code == "4-03-02-01" and vacancy.unit.code == "540102002"
    assert "厨师" in vacancy.search_text.split()
    employer = vacancy.employer
    assert (employer.credit_code, employer.name_zh, employer.channel) == (
        credit_code(1),
        "拉萨雪域餐饮有限公司",
        "regional_platform",
    )
    assert report.as_dict()["results"] == [
        {"index": 0, "external_id": "XZ-V-0001", "outcome": "created", "id": vacancy.pk}
    ]


def test_importing_the_same_json_twice_gives_one_vacancy_reported_unchanged(head, industry):
    vacancies_import(acting_user=head, records=[vacancy_json()])
    entries = AuditEntry.objects.count()
    report = vacancies_import(acting_user=head, records=[vacancy_json()])
    assert report.committed
    assert Vacancy.objects.filter(external_id="XZ-V-0001").count() == 1
    assert Employer.objects.count() == 1
    assert [r.outcome for r in report.results] == ["unchanged"]
    assert Vacancy.objects.get().version == 1
    # Only the import itself is recorded; the vacancy was not touched.
    assert AuditEntry.objects.count() == entries + 1


def test_changed_data_updates_the_vacancy_with_a_new_version(head, industry):
    vacancies_import(acting_user=head, records=[vacancy_json()])
    report = vacancies_import(acting_user=head, records=[vacancy_json(salary_max=7000, headcount=3)])
    assert [r.outcome for r in report.results] == ["updated"]
    vacancy = Vacancy.objects.get()
    assert (vacancy.salary_max, vacancy.headcount, vacancy.version) == (7000, 3, 2)
    entry = AuditEntry.objects.filter(object_type="vacancies.vacancy", action="update").get()
    assert entry.changes["salary_max"] == {"before": 6000, "after": 7000}


def test_a_published_vacancy_changed_by_the_platform_goes_back_to_review(head, personas, industry):
    vacancies_import(acting_user=head, records=[vacancy_json()])
    Vacancy.objects.update(
        status=Status.PUBLISHED, reviewed_by=head, published_at="2026-03-02T10:00:00+08:00"
    )
    vacancies_import(acting_user=head, records=[vacancy_json(title_zh="川菜厨师")])
    vacancy = Vacancy.objects.get()
    assert vacancy.status == Status.UNDER_REVIEW
    transition = Transition.objects.get(vacancy=vacancy)
    assert (transition.from_status, transition.to_status, transition.by) == (
        "published",
        "under_review",
        head,
    )


def test_the_platform_can_close_a_vacancy_but_not_publish_it(head, industry):
    vacancies_import(acting_user=head, records=[vacancy_json()])
    report = vacancies_import(acting_user=head, records=[vacancy_json(status="closed")])
    assert [r.outcome for r in report.results] == ["updated"]
    assert Vacancy.objects.get().status == Status.CLOSED


def test_a_bad_record_writes_nothing_and_names_index_and_field(head, industry):
    records = [
        vacancy_json("XZ-V-0001"),
        vacancy_json("XZ-V-0002", salary_min="a lot"),
        vacancy_json("XZ-V-0003", occupation="9-99-99-99", code="91540100MA6T000100"),
    ]
    report = vacancies_import(acting_user=head, records=records)
    assert not report.committed
    assert Vacancy.objects.count() == 0 and Employer.objects.count() == 0
    found = {(e.index, e.field) for e in report.errors}
    assert found == {(1, "salary_min"), (2, "occupation"), (2, "employer.credit_code")}
    assert report.results == []


def test_valid_only_writes_the_good_records(head, industry):
    records = [vacancy_json("XZ-V-0001"), vacancy_json("XZ-V-0002", salary_max=100)]
    report = vacancies_import(acting_user=head, records=records, valid_only=True)
    assert report.committed
    assert list(Vacancy.objects.values_list("external_id", flat=True)) == ["XZ-V-0001"]
    assert [(e.index, e.field) for e in report.errors] == [(1, "salary_max")]


def test_an_existing_employer_is_matched_by_credit_code(head, industry):
    vacancies_import(acting_user=head, records=[vacancy_json()])
    # The second vacancy names only the credit code: the employer is already registered.
    record = vacancy_json("XZ-V-0002", employer={"credit_code": credit_code(1).lower()})
    report = vacancies_import(acting_user=head, records=[record])
    assert report.committed, report.errors
    assert Employer.objects.count() == 1
    assert Vacancy.objects.get(external_id="XZ-V-0002").employer == Employer.objects.get()


def test_a_new_employer_needs_name_industry_and_unit(head, industry):
    record = vacancy_json(employer={"credit_code": credit_code(2)})
    report = vacancies_import(acting_user=head, records=[record])
    assert {e.field for e in report.errors} == {"employer.name_zh", "employer.industry", "employer.unit"}


def test_records_outside_the_importers_area_are_refused(head, personas, industry):
    report = vacancies_import(acting_user=head, records=[vacancy_json(unit="540121100")])
    assert [(e.index, e.field) for e in report.errors] == [(0, "unit")]
    vacancies_import(acting_user=head, records=[vacancy_json()])
    sibling = personas["counsellor_jiri"]
    sibling.role = "station_head"
    sibling.save()
    # The sibling station may not take over the record by sending its id again.
    report = vacancies_import(acting_user=sibling, records=[vacancy_json(unit="540102003")])
    assert ("external_id" in {e.field for e in report.errors}) and not report.committed
    assert Vacancy.objects.get().unit.code == "540102002"


def test_duplicates_within_one_list_are_reported(head, industry):
    report = vacancies_import(acting_user=head, records=[vacancy_json(), vacancy_json()])
    assert [(e.index, e.field) for e in report.errors] == [(1, "external_id")]


@pytest.mark.parametrize("records", [{}, [], "text", [1, 2]])
def test_malformed_input_is_a_clear_error(head, industry, records):
    try:
        report = vacancies_import(acting_user=head, records=records)
    except ValidationFailed as exc:
        assert "records" in exc.errors
    else:
        assert not report.committed and {e.field for e in report.errors} == {""}


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "district_chengguan", "city"])
def test_only_a_station_head_imports(personas, industry, persona):
    with pytest.raises(NotAllowed):
        vacancies_import(acting_user=personas[persona], records=[vacancy_json()])


def test_a_record_refused_while_writing_rolls_everything_back(head, industry):
    # "4-03" is a group, not an occupation: the vacancy service refuses it when it is written.
    records = [vacancy_json("XZ-V-0001"), vacancy_json("XZ-V-0002", occupation="4-03", code=credit_code(3))]
    report = vacancies_import(acting_user=head, records=records)
    assert not report.committed and report.results == []
    assert [(e.index, e.field) for e in report.errors] == [(1, "occupation")]
    assert Vacancy.objects.count() == 0 and Employer.objects.count() == 0
    report = vacancies_import(acting_user=head, records=records, valid_only=True)
    assert report.committed and [r.external_id for r in report.results] == ["XZ-V-0001"]
    assert Employer.objects.count() == 1  # the second record's new employer went back with it


def test_an_employer_refused_by_its_service_is_named_in_the_record(head, industry):
    # Industry "H" is a section; the employer service wants a division.
    record = vacancy_json(employer={**vacancy_json()["employer"], "industry": "H"})
    report = vacancies_import(acting_user=head, records=[record])
    assert [(e.index, e.field) for e in report.errors] == [(0, "employer.industry")]
    assert Employer.objects.count() == 0
