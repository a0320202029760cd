"""Employment and unemployment registration through the pages, and the head's closure queue."""

import datetime

import pytest
import time_machine

from people.selectors import key_group_codes_by_person
from registrations.models import CloseReason, Kind, Registration, Status
from tests.factories import person as make_person


@pytest.fixture(autouse=True)
def _today():
    # The dates posted below must not lie in the future.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def tashi(personas):
    return make_person(user=personas["counsellor_chengguan"])


def _open_unemployment(client, person):
    return client.post(
        f"/registrations/open/{person.pk}/",
        {"kind": "unemployment", "registered_on": "2026-01-05", "reason": "contract ended"},
    )


@pytest.fixture
def unemployment(personas, page_client, tashi):
    response = _open_unemployment(page_client(personas["counsellor_chengguan"]), tashi)
    assert response.status_code == 302
    return Registration.objects.get(person=tashi, kind=Kind.UNEMPLOYMENT)


def test_open_unemployment_registration_puts_the_person_in_the_key_group(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    page = client.get(f"/registrations/open/{tashi.pk}/?kind=unemployment")
    assert page.status_code == 200
    response = _open_unemployment(client, tashi)
    assert response["Location"] == f"/people/{tashi.pk}/#registrations"
    assert "registered_unemployed" in key_group_codes_by_person([tashi.pk])[tashi.pk]
    tashi.refresh_from_db()
    assert tashi.employment_status == "unemployed"
    html = client.get(f"/people/{tashi.pk}/").content.decode()
    assert "contract ended" in html
    assert f"/registrations/{Registration.objects.get().pk}/propose/" in html


def test_a_second_open_unemployment_registration_is_refused(personas, page_client, unemployment, tashi):
    response = _open_unemployment(page_client(personas["counsellor_chengguan"]), tashi)
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert Registration.objects.count() == 1


def test_employment_registration_closes_unemployment_as_employed(personas, page_client, unemployment, tashi):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(
        f"/registrations/open/{tashi.pk}/",
        {
            "kind": "employment",
            "registered_on": "2026-02-01",
            "employment_type": "employee",
            "employer_name": "拉萨净土产业公司",
            "employer_credit_code": "91110000600037341L",
            "job_title": "仓库管理员",
        },
    )
    assert response.status_code == 302
    unemployment.refresh_from_db()
    assert (unemployment.status, unemployment.close_reason) == (Status.CLOSED, CloseReason.EMPLOYED)
    tashi.refresh_from_db()
    assert tashi.employment_status == "employed"
    assert "registered_unemployed" not in key_group_codes_by_person([tashi.pk]).get(tashi.pk, [])


def test_bad_input_on_the_open_form(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(
        f"/registrations/open/{tashi.pk}/",
        {"kind": "employment", "registered_on": "2099-01-01", "employer_credit_code": "123"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["employer_credit_code"]
    response = client.post(
        f"/registrations/open/{tashi.pk}/", {"kind": "employment", "registered_on": "2026-01-01"}
    )
    assert response.context["form"].errors["employer_name"]
    response = client.post(f"/registrations/open/{tashi.pk}/", {"kind": "bogus", "registered_on": "x"})
    assert set(response.context["form"].errors) == {"kind", "registered_on"}
    assert not Registration.objects.exists()


def test_counsellor_cannot_close_directly_for_no_contact(personas, page_client, unemployment):
    client = page_client(personas["counsellor_chengguan"])
    page = client.get(f"/registrations/{unemployment.pk}/close/")
    assert 'value="no_contact_6_months"' not in page.content.decode()
    response = client.post(
        f"/registrations/{unemployment.pk}/close/",
        {"reason": "no_contact_6_months", "closed_on": "2026-02-01", "version": unemployment.version},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    unemployment.refresh_from_db()
    assert unemployment.status == Status.OPEN


def test_counsellor_closes_with_an_allowed_reason(personas, page_client, unemployment, tashi):
    response = page_client(personas["counsellor_chengguan"]).post(
        f"/registrations/{unemployment.pk}/close/",
        {
            "reason": "entered_education",
            "closed_on": "2026-02-01",
            "note": "大学",
            "version": unemployment.version,
        },
    )
    assert response.status_code == 302
    unemployment.refresh_from_db()
    assert (unemployment.status, unemployment.close_reason) == (Status.CLOSED, CloseReason.ENTERED_EDUCATION)
    tashi.refresh_from_db()
    assert tashi.employment_status == "student"


def test_propose_no_contact_then_head_approves_from_the_queue(personas, page_client, unemployment, tashi):
    counsellor = page_client(personas["counsellor_chengguan"])
    page = counsellor.get(f"/registrations/{unemployment.pk}/propose/")
    assert 'value="no_contact_6_months" selected' in page.content.decode()
    response = counsellor.post(
        f"/registrations/{unemployment.pk}/propose/",
        {"reason": "no_contact_6_months", "note": "电话停机", "version": unemployment.version},
    )
    assert response.status_code == 302
    unemployment.refresh_from_db()
    assert unemployment.status == Status.CLOSURE_PROPOSED

    head = page_client(personas["head_chengguan"])
    queue = head.get("/registrations/proposals/")
    assert queue.status_code == 200
    assert [r.pk for r in queue.context["page"]] == [unemployment.pk]
    assert "电话停机" in queue.content.decode()

    file_page = head.get(f"/people/{tashi.pk}/").content.decode()
    assert f'action="/registrations/{unemployment.pk}/decide/"' in file_page
    assert (
        f'action="/registrations/{unemployment.pk}/decide/"'
        not in counsellor.get(f"/people/{tashi.pk}/").content.decode()
    )

    # The counsellor may neither see the queue nor decide.
    assert counsellor.get("/registrations/proposals/").status_code == 403
    denied = counsellor.post(
        f"/registrations/{unemployment.pk}/decide/", {"decision": "approve", "version": unemployment.version}
    )
    assert denied.status_code == 403
    unemployment.refresh_from_db()
    assert unemployment.status == Status.CLOSURE_PROPOSED

    response = head.post(
        f"/registrations/{unemployment.pk}/decide/",
        {"decision": "approve", "note": "同意", "version": unemployment.version, "next": "queue"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/registrations/proposals/"
    unemployment.refresh_from_db()
    assert (unemployment.status, unemployment.close_reason) == (Status.CLOSED, CloseReason.NO_CONTACT)
    assert unemployment.closed_by == personas["head_chengguan"]
    assert list(head.get("/registrations/proposals/").context["page"]) == []


def test_head_rejects_and_the_registration_stays_open(personas, page_client, unemployment):
    page_client(personas["counsellor_chengguan"]).post(
        f"/registrations/{unemployment.pk}/propose/",
        {"reason": "no_contact_6_months", "version": unemployment.version},
    )
    unemployment.refresh_from_db()
    response = page_client(personas["head_chengguan"]).post(
        f"/registrations/{unemployment.pk}/decide/", {"decision": "reject", "version": unemployment.version}
    )
    assert response.status_code == 302
    unemployment.refresh_from_db()
    assert unemployment.status == Status.OPEN


def test_queue_and_actions_are_scoped(personas, page_client, unemployment):
    other = page_client(personas["counsellor_jiri"])
    assert other.get(f"/registrations/{unemployment.pk}/close/").status_code == 404
    assert other.get(f"/registrations/{unemployment.pk}/propose/").status_code == 404
    assert page_client(personas["district_chengguan"]).get("/registrations/proposals/").status_code == 403


def test_stale_version_on_close_is_a_conflict(personas, page_client, unemployment):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(
        f"/registrations/{unemployment.pk}/close/",
        {"reason": "employed", "closed_on": "2026-02-01", "version": unemployment.version + 5},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    unemployment.refresh_from_db()
    assert unemployment.status == Status.OPEN
