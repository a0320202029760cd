"""The exchange API: who may import and export, scope, masking and the access log."""

import pytest

from exchange.services import job_seekers_import, vacancies_import
from people.models import Person
from privacy.models import AccessKind, PersonalDataAccess
from tests.exchange.exchange_records import credit_code, job_seeker_json, vacancy_json
from tests.factories import person as make_person
from tests.factories import valid_id_number
from vacancies.models import Vacancy

VACANCIES = "/api/v1/exchange/vacancies"
JOB_SEEKERS = "/api/v1/exchange/job-seekers"


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]


@pytest.fixture
def linzhou_head(personas):
    from tests.conftest import make_user

    return make_user("head_linzhou", "station_head", "540121100")


def test_a_station_head_imports_vacancies_and_a_second_run_is_unchanged(api, head, industry):
    client = api(head)
    response = client.post(VACANCIES, [vacancy_json()], format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["committed"], body["created"], body["unchanged"]) == (True, 1, 0)
    again = client.post(VACANCIES, {"records": [vacancy_json()]}, format="json").json()
    assert (again["created"], again["unchanged"]) == (0, 1)
    assert Vacancy.objects.count() == 1


def test_a_rejected_import_answers_400_with_the_report(api, head, industry):
    records = [vacancy_json("A"), vacancy_json("B", salary_min=-5)]
    response = api(head).post(VACANCIES, records, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    assert list(body["errors"]) == ["records[1].salary_min"]
    assert body["report"]["committed"] is False
    assert body["report"]["errors"][0]["index"] == 1 and body["report"]["errors"][0]["field"] == "salary_min"
    assert Vacancy.objects.count() == 0


def test_valid_only_imports_the_good_records(api, head, industry):
    body = {"records": [vacancy_json("A"), vacancy_json("B", occupation="x")], "valid_only": True}
    response = api(head).post(VACANCIES, body, format="json")
    assert response.status_code == 200
    assert response.json()["created"] == 1 and len(response.json()["errors"]) == 1


@pytest.mark.parametrize("body", [{"records": "x"}, {"records": [vacancy_json()], "valid_only": "yes"}, 5])
def test_a_malformed_body_is_a_400(api, head, industry, body):
    response = api(head).post(VACANCIES, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"


def test_a_body_that_is_not_json_is_a_400(api, head):
    response = api(head).post(VACANCIES, "[{", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "malformed"


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "district_chengguan", "city", "sysadmin"])
def test_only_station_heads_import(api, personas, industry, persona):
    client = api(personas[persona])
    assert client.post(VACANCIES, [vacancy_json()], format="json").status_code == 403
    assert client.post(JOB_SEEKERS, [job_seeker_json()], format="json").status_code == 403
    assert Vacancy.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "sysadmin", "auditadmin"])
def test_counsellors_and_administrators_cannot_export(api, personas, persona):
    client = api(personas[persona])
    assert client.get(VACANCIES).status_code == 403
    assert client.get(JOB_SEEKERS).status_code == 403


def test_anonymous_callers_are_refused(api):
    assert api().get(VACANCIES).status_code == 401
    assert api().post(JOB_SEEKERS, [], format="json").status_code == 401


def test_vacancy_export_follows_scope_and_since(api, head, personas, linzhou_head, industry):
    vacancies_import(acting_user=head, records=[vacancy_json("CG-1")])
    employer = {**vacancy_json()["employer"], "credit_code": credit_code(2), "unit": "540121100"}
    record = vacancy_json("LZ-1", unit="540121100", work_unit="540121100", employer=employer)
    assert vacancies_import(acting_user=linzhou_head, records=[record]).committed
    ids = lambda user: [r["external_id"] for r in api(user).get(VACANCIES).json()["results"]]  # noqa: E731
    assert ids(head) == ["CG-1"]
    assert ids(personas["district_chengguan"]) == ["CG-1"]
    assert ids(personas["district_linzhou"]) == ["LZ-1"]
    assert sorted(ids(personas["city"])) == ["CG-1", "LZ-1"]
    record = api(head).get(VACANCIES).json()["results"][0]
    assert record["employer"]["credit_code"] == vacancy_json()["employer"]["credit_code"]
    assert record["occupation"] == "4-03-02-01" and record["status"] == "draft"
    assert "contact_phone" not in record["employer"]
    later = api(head).get(VACANCIES, {"since": "2100-01-01"}).json()
    assert later["count"] == 0


@pytest.mark.parametrize("since", ["yesterday", "2026-02-30", "1800-01-01", "2026-01-01T25:00"])
def test_a_bad_since_is_a_400(api, head, since):
    response = api(head).get(VACANCIES, {"since": since})
    assert response.status_code == 400
    assert "since" in response.json()["errors"]


def test_a_bad_status_filter_is_a_400(api, head):
    assert api(head).get(VACANCIES, {"status": "everything"}).status_code == 400


@pytest.fixture
def seekers(head, personas):
    job_seekers_import(acting_user=head, records=[job_seeker_json()])
    make_person(user=personas["counsellor_linzhou"], unit_code="540121100", sequence=41, name_zh="央金")
    return Person.objects.get(external_id="XZ-P-0001")


def test_job_seeker_export_is_masked_by_default_and_logged(api, head, seekers):
    response = api(head).get(JOB_SEEKERS)
    assert response.status_code == 200
    records = response.json()["results"]
    assert [r["external_id"] for r in records] == ["XZ-P-0001"]  # the 林周 file is out of scope
    record = records[0]
    assert record["id_number_masked"] == seekers.id_number_masked
    assert "id_number" not in record and "phone" not in record
    assert valid_id_number(sequence=31) not in response.content.decode()
    assert record["desired_occupations"] == ["4-03-02-01"]
    log = PersonalDataAccess.objects.get()
    assert (log.kind, log.subject_type, log.record_count, log.user) == (AccessKind.EXPORT, "person", 1, head)
    assert "id_number_masked" in log.fields


def test_full_export_for_a_station_head_with_a_reason(api, head, seekers):
    client = api(head)
    assert client.get(JOB_SEEKERS, {"full": "true"}).status_code == 400  # no reason
    assert PersonalDataAccess.objects.count() == 0
    response = client.get(JOB_SEEKERS, {"full": "true", "reason": "交换到自治区平台"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    record = response.json()["results"][0]
    assert record["id_number"] == valid_id_number(sequence=31) and record["phone"] == "13912345678"
    log = PersonalDataAccess.objects.get()
    assert log.reason == "交换到自治区平台" and "id_number" in log.fields.split(",")
    assert "reason" not in log.query and "full=true" in log.query


@pytest.mark.parametrize("persona", ["district_chengguan", "city"])
def test_supervisors_export_masked_only(api, personas, seekers, persona):
    client = api(personas[persona])
    assert client.get(JOB_SEEKERS).status_code == 200
    assert client.get(JOB_SEEKERS, {"full": "true", "reason": "x"}).status_code == 403


def test_job_seeker_filters(api, personas, seekers):
    client = api(personas["city"])
    assert client.get(JOB_SEEKERS).json()["count"] == 2
    assert client.get(JOB_SEEKERS, {"unit": "540121"}).json()["results"][0]["name_zh"] == "央金"
    assert client.get(JOB_SEEKERS, {"key_group": "no-such-group"}).json()["count"] == 0
    assert client.get(JOB_SEEKERS, {"unit": "99"}).status_code == 400
    assert client.get(JOB_SEEKERS, {"full": "perhaps"}).status_code == 400


def test_a_station_head_imports_job_seekers_through_the_api(api, head):
    response = api(head).post(JOB_SEEKERS, [job_seeker_json()], format="json")
    assert response.status_code == 200
    assert response.json()["results"][0]["outcome"] == "created"
    response = api(head).post(JOB_SEEKERS, [job_seeker_json(unit="540121100")], format="json")
    assert response.status_code == 400
    assert "records[0].unit" in response.json()["errors"]


def test_the_schema_describes_the_exchange(api, personas):
    schema = api(personas["city"]).get("/api/schema/?format=json").json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/exchange/vacancies"])
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/exchange/job-seekers"])
    names = {p["name"] for p in schema["paths"]["/api/v1/exchange/job-seekers"]["get"]["parameters"]}
    assert {"since", "unit", "key_group", "full", "reason", "page"} <= names
