"""The work-items API: the scoped list and its filters, the bulk reassignment, the transfer."""

import pytest

from people.models import Person, Transfer
from tests.worklist.conftest import days, item, someone
from worklist.models import Kind, WorkItem

pytestmark = pytest.mark.django_db
LIST = "/api/v1/work-items/"
REASSIGN = "/api/v1/work-items/reassign"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def items(today, counsellor, colleague, personas):
    jiri = personas["counsellor_jiri"]
    return {
        "late": item(counsellor, days(-1), assignee=counsellor),
        "today": item(counsellor, days(0), kind=Kind.MONTHLY_UPDATE),
        "soon": item(counsellor, days(7), assignee=colleague),
        "later": item(counsellor, days(8), assignee=counsellor),
        "jiri": item(jiri, days(0), person=someone(jiri, unit_code="540102003")),
    }


def test_the_list_is_scoped_and_filtered(api, personas, items, counsellor, head):
    order = ["late", "jiri", "today", "soon", "later"]  # by due date, then kind
    expected = [items[name].pk for name in order]
    district = api(personas["district_chengguan"])
    assert ids(district.get(LIST)) == expected
    assert ids(district.get(LIST, {"unit": "540102003"})) == [items["jiri"].pk]
    assert ids(api(head).get(LIST)) == [items[n].pk for n in order if n != "jiri"]
    assert ids(api(head).get(LIST, {"state": "overdue"})) == [items["late"].pk]
    assert ids(api(head).get(LIST, {"state": "today"})) == [items["today"].pk]
    assert ids(api(head).get(LIST, {"state": "upcoming"})) == [items["soon"].pk]
    assert ids(api(head).get(LIST, {"kind": "monthly_update"})) == [items["today"].pk]
    assert ids(api(personas["district_linzhou"]).get(LIST)) == []


def test_mine_is_my_work(api, items, counsellor):
    mine = [items["late"].pk, items["today"].pk, items["later"].pk]
    assert ids(api(counsellor).get(LIST, {"mine": "true"})) == mine
    # A counsellor has no unit-wide view: the list is theirs either way.
    assert ids(api(counsellor).get(LIST)) == mine


def test_a_row(api, items, counsellor, today):
    [row] = [r for r in api(counsellor).get(LIST).json()["results"] if r["id"] == items["late"].pk]
    person = items["late"].person
    assert row["person"] == {
        "id": person.pk,
        "name": person.display_name,
        "id_number": person.id_number_masked,
    }
    assert (row["kind"], row["unit"], row["due_on"], row["state"], row["days_overdue"]) == (
        "first_assistance",
        "540102002",
        days(-1).isoformat(),
        "overdue",
        1,
    )
    assert row["assignee"]["id"] == counsellor.pk and row["version"] == 1


@pytest.mark.parametrize(
    ("name", "value"), [("state", "soon"), ("kind", "x"), ("unit", "999999"), ("mine", "ja")]
)
def test_bad_filters_are_a_400_naming_the_parameter(api, head, today, name, value):
    response = api(head).get(LIST, {name: value})
    assert response.status_code == 400
    assert name in response.json()["errors"]


def test_administrators_read_no_items(api, personas, items):
    assert api(personas["sysadmin"]).get(LIST).status_code == 403


def test_reassign_reports_each_item(api, head, colleague, items):
    stale = items["late"]
    body = {
        "items": [
            {"id": items["today"].pk, "version": items["today"].version},
            {"id": stale.pk, "version": stale.version + 1},
            {"id": items["jiri"].pk, "version": 1},
        ],
        "assignee": colleague.pk,
    }
    response = api(head).post(REASSIGN, body, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "moved": [items["today"].pk],
        "stale": [stale.pk],
        "closed": [],
        "refused": [items["jiri"].pk],
    }
    assert WorkItem.objects.get(pk=items["today"].pk).assignee == colleague


def test_reassign_refusals(api, head, counsellor, personas, items):
    one = [{"id": items["today"].pk, "version": 1}]
    outsider = api(head).post(
        REASSIGN, {"items": one, "assignee": personas["counsellor_jiri"].pk}, format="json"
    )
    assert outsider.status_code == 400 and "assignee" in outsider.json()["errors"]
    empty = api(head).post(REASSIGN, {"items": [], "assignee": None}, format="json")
    assert empty.status_code == 400 and "items" in empty.json()["errors"]
    assert api(counsellor).post(REASSIGN, {"items": one, "assignee": None}, format="json").status_code == 403
    assert WorkItem.objects.get(pk=items["today"].pk).assignee is None


def test_transfer_through_the_api(api, counsellor, today):
    person = someone(counsellor)
    work = item(counsellor, days(0), person=person, assignee=counsellor)
    url = f"/api/v1/persons/{person.pk}/transfer"
    body = {"unit": "540102003", "reason": "搬家", "version": person.version, "move_residence": True}
    response = api(counsellor).post(url, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["from_unit"], data["to_unit"], data["items_moved"], data["residence_moved"]) == (
        "540102002",
        "540102003",
        1,
        True,
    )
    assert data["person_version"] == Person.objects.get(pk=person.pk).version
    work.refresh_from_db()
    assert work.unit.code == "540102003" and work.assignee is None
    # The file is out of the sender's area now: a second try is a 404, not a second transfer.
    assert api(counsellor).post(url, body, format="json").status_code == 404
    assert Transfer.objects.count() == 1


def test_transfer_api_errors(api, counsellor, today):
    person = someone(counsellor)
    url = f"/api/v1/persons/{person.pk}/transfer"
    stale = api(counsellor).post(url, {"unit": "540102003", "reason": "搬家", "version": 9}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_edit"
    unknown = api(counsellor).post(url, {"unit": "123456", "reason": "搬家", "version": 1}, format="json")
    assert unknown.status_code == 400 and "unit" in unknown.json()["errors"]
    district = api(counsellor).post(url, {"unit": "540102", "reason": "搬家", "version": 1}, format="json")
    assert district.status_code == 400 and "unit" in district.json()["errors"]
