"""The unit's worklist: who may open it, filters, bulk reassignment (stale versions and an
assignee outside the unit refused, nothing overwritten), and the masked, logged export."""

import io

import pytest
from openpyxl import load_workbook

from audit.models import AuditEntry
from core.errors import NotAllowed, ValidationFailed
from privacy.models import PersonalDataAccess
from tests.conftest import make_user
from tests.worklist.conftest import days, item, someone
from worklist.models import Kind, WorkItem
from worklist.services import work_items_reassign

pytestmark = pytest.mark.django_db
URL = "/worklist/unit/"


@pytest.fixture
def jiri_item(today, personas):
    jiri = personas["counsellor_jiri"]
    return item(jiri, days(-2), person=someone(jiri, unit_code="540102003"))


# --- the service --------------------------------------------------------------------------------


def test_reassign_moves_each_item_named_with_its_version(today, head, counsellor, colleague):
    a = item(counsellor, days(0), assignee=counsellor)
    b = item(counsellor, days(1))
    result = work_items_reassign(
        acting_user=head, items=[(a.pk, a.version), (b.pk, b.version)], assignee=colleague
    )
    assert (result.moved, result.stale, result.closed, result.refused) == ([a.pk, b.pk], [], [], [])
    assert set(WorkItem.objects.filter(assignee=colleague).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert AuditEntry.objects.filter(object_type="worklist.workitem", action="update").count() == 2


def test_a_stale_item_is_reported_and_left_alone(today, head, counsellor, colleague):
    fresh = item(counsellor, days(0))
    stale = item(counsellor, days(0))
    read_version = stale.version
    # Someone took it after the page was read.
    WorkItem.objects.filter(pk=stale.pk).update(assignee=counsellor, version=read_version + 1)
    closed = item(counsellor, days(0))
    WorkItem.objects.filter(pk=closed.pk).update(done_on=today)
    result = work_items_reassign(
        acting_user=head,
        items=[(fresh.pk, fresh.version), (stale.pk, read_version), (closed.pk, closed.version)],
        assignee=colleague,
    )
    assert (result.moved, result.stale, result.closed) == ([fresh.pk], [stale.pk], [closed.pk])
    stale.refresh_from_db()
    assert stale.assignee == counsellor


def test_an_assignee_outside_the_unit_is_refused(today, head, counsellor, personas):
    work = item(counsellor, days(0))
    for outsider in (personas["counsellor_jiri"], personas["district_chengguan"], personas["sysadmin"]):
        with pytest.raises(ValidationFailed) as refused:
            work_items_reassign(acting_user=head, items=[(work.pk, work.version)], assignee=outsider)
        assert "assignee" in refused.value.errors
    work.refresh_from_db()
    assert work.assignee is None


def test_items_out_of_the_heads_area_are_refused(today, head, colleague, jiri_item):
    result = work_items_reassign(
        acting_user=head, items=[(jiri_item.pk, jiri_item.version)], assignee=colleague
    )
    assert result.refused == [jiri_item.pk] and result.moved == []
    jiri_item.refresh_from_db()
    assert jiri_item.assignee is None


def test_only_station_heads_reassign(today, counsellor, colleague, personas):
    work = item(counsellor, days(0))
    for persona in ("counsellor_chengguan", "district_chengguan", "city"):
        with pytest.raises(NotAllowed):
            work_items_reassign(
                acting_user=personas[persona], items=[(work.pk, work.version)], assignee=colleague
            )


def test_back_to_the_pool(today, head, counsellor):
    work = item(counsellor, days(0), assignee=counsellor)
    result = work_items_reassign(acting_user=head, items=[(work.pk, work.version)], assignee=None)
    work.refresh_from_db()
    assert result.moved == [work.pk] and work.assignee is None


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "can_reassign"),
    [
        ("head_chengguan", 200, True),
        ("district_chengguan", 200, False),
        ("city", 200, False),
        ("counsellor_chengguan", 403, None),
        ("auditadmin", 403, None),
    ],
)
def test_who_opens_the_unit_list(today, personas, page_client, persona, status, can_reassign):
    response = page_client(personas[persona]).get(URL)
    assert response.status_code == status
    if status == 200:
        assert response.context["can_reassign"] is can_reassign
        assert ('name="item"' in response.content.decode()) is False  # no rows yet


def test_scope_and_filters(today, head, counsellor, colleague, personas, page_client, jiri_item):
    mine = item(counsellor, days(-3), kind=Kind.MONTHLY_UPDATE, assignee=counsellor)
    pool = item(counsellor, days(0))
    theirs = item(counsellor, days(5), assignee=colleague)
    WorkItem.objects.filter(pk=theirs.pk).update(escalated_at="2026-11-20T09:00:00+08:00")

    def listed(user, query=""):
        return [i.pk for i in page_client(user).get(f"{URL}?{query}").context["page"]]

    assert listed(head) == [mine.pk, pool.pk, theirs.pk]
    assert listed(personas["district_chengguan"]) == [mine.pk, jiri_item.pk, pool.pk, theirs.pk]
    assert listed(head, "kind=monthly_update") == [mine.pk]
    assert listed(head, "assignee=none") == [pool.pk]
    assert listed(head, f"assignee={colleague.pk}") == [theirs.pk]
    assert listed(head, "overdue=on") == [mine.pk]
    assert listed(head, "escalated=on") == [theirs.pk]
    assert listed(personas["district_chengguan"], "unit=540102003") == [jiri_item.pk]
    # An assignee from elsewhere is not a choice: the filter is refused, not widened.
    response = page_client(head).get(f"{URL}?assignee={personas['counsellor_jiri'].pk}")
    assert response.context["form"].errors


def test_bulk_reassignment_through_the_page_reports_stale_rows(
    today, head, counsellor, colleague, page_client
):
    a = item(counsellor, days(0))
    b = item(counsellor, days(0))
    WorkItem.objects.filter(pk=b.pk).update(assignee=counsellor, version=2)
    response = page_client(head).post(
        f"{URL}reassign/",
        {
            "item": [f"{a.pk}:{a.version}", f"{b.pk}:1"],
            "assignee": str(colleague.pk),
            "query": "kind=first_assistance",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{URL}?kind=first_assistance"
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success", "warning"]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.assignee, b.assignee) == (colleague, counsellor)


def test_a_garbled_item_list_is_refused(today, head, colleague, page_client):
    response = page_client(head).post(
        f"{URL}reassign/", {"item": ["12;x"], "assignee": str(colleague.pk)}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_supervisors_cannot_post_a_reassignment(today, counsellor, colleague, personas, page_client):
    work = item(counsellor, days(0))
    response = page_client(personas["district_chengguan"]).post(
        f"{URL}reassign/", {"item": [f"{work.pk}:{work.version}"], "assignee": str(colleague.pk)}
    )
    assert response.status_code == 403


def test_the_export_is_masked_and_logged(today, head, counsellor, page_client):
    person = someone(counsellor, name_zh="央金")
    item(counsellor, days(-2), person=person, assignee=counsellor)
    response = page_client(head).get(f"{URL}?overdue=on&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][2:5] == ("央金", person.name_bo, person.id_number_masked)
    assert rows[1][9] == 2
    assert person.id_number not in str(rows)
    log = PersonalDataAccess.objects.get(user=head, kind="export")
    assert (log.record_count, log.subject_type, log.query) == (1, "work_item", "overdue=on")
    assert AuditEntry.objects.filter(action="export", actor=head).exists()


def test_a_new_counsellor_appears_among_the_assignees(today, head, page_client):
    newcomer = make_user("counsellor_new", "counsellor", "540102002")
    choices = dict(page_client(head).get(URL).context["reassign_form"].fields["assignee"].choices)
    assert str(newcomer.pk) in choices
