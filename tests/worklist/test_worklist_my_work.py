""" "My work today": the three groups at their boundaries, whose items show, the actions,
taking an item, and the dashboard card."""

import pytest
from django.utils import translation

from tests.worklist.conftest import days, item, someone
from worklist.models import Kind, WorkItem
from worklist.selectors import my_counts, my_work
from worklist.services import ALREADY_ASSIGNED

pytestmark = pytest.mark.django_db
URL = "/worklist/"


def test_the_groups_at_their_boundaries(today, counsellor):
    yesterday = item(counsellor, days(-1))
    due_today = item(counsellor, days(0))
    in_a_week = item(counsellor, days(7))
    item(counsellor, days(8))  # beyond UPCOMING_DAYS: not listed yet
    groups = my_work(user=counsellor, today=today)
    assert [i.pk for i in groups["overdue"]] == [yesterday.pk]
    assert [i.pk for i in groups["today"]] == [due_today.pk]
    assert [i.pk for i in groups["upcoming"]] == [in_a_week.pk]
    assert groups["overdue"][0].days_overdue == 1


def test_upcoming_follows_the_setting(today, counsellor, settings):
    settings.CASE_MANAGEMENT = {**settings.CASE_MANAGEMENT, "UPCOMING_DAYS": 3}
    item(counsellor, days(3))
    item(counsellor, days(4))
    assert [i.due_on for i in my_work(user=counsellor, today=today)["upcoming"]] == [days(3)]


def test_sorted_by_due_date_then_kind(today, counsellor):
    late = item(counsellor, days(-5), kind=Kind.MONTHLY_UPDATE)
    first = item(counsellor, days(-2), kind=Kind.MONTHLY_UPDATE)
    second = item(counsellor, days(-2), kind=Kind.FIRST_ASSISTANCE)
    overdue = my_work(user=counsellor, today=today)["overdue"]
    assert [i.pk for i in overdue] == [late.pk, second.pk, first.pk]


def test_mine_and_the_unassigned_ones_of_my_area_only(today, counsellor, colleague, personas):
    mine = item(counsellor, days(0), assignee=counsellor)
    pool = item(counsellor, days(0))
    item(counsellor, days(0), assignee=colleague)
    jiri = personas["counsellor_jiri"]
    item(jiri, days(0), person=someone(jiri, unit_code="540102003"))
    done = item(counsellor, days(0))
    WorkItem.objects.filter(pk=done.pk).update(done_on=today)
    listed = {i.pk for i in my_work(user=counsellor, today=today)["today"]}
    assert listed == {mine.pk, pool.pk}
    assert my_counts(user=counsellor, today=today) == {"overdue": 0, "today": 2}


def test_the_page_shows_the_groups_with_masked_ids_and_one_click_actions(today, counsellor, page_client):
    person = someone(counsellor, name_zh="卓玛")
    overdue = item(counsellor, days(-3), person=person)
    update = item(counsellor, days(2), kind=Kind.MONTHLY_UPDATE, person=person)
    response = page_client(counsellor).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert person.id_number_masked in html and person.id_number not in html
    groups = response.context["groups"]
    assert groups["overdue"][0].action_url == f"/people/{person.pk}/#assistance"
    assert groups["upcoming"][0].action_url == f"/people/{person.pk}/#contacts"
    assert f'data-item="{overdue.pk}"' in html and f'data-item="{update.pk}"' in html
    assert 'class="days-overdue">3<' in html


def test_recommendation_and_household_items_link_to_their_pages(today, counsellor, head):
    from households.services import household_create
    from people.services import person_set_household
    from recommendations.models import State
    from tests.recommendations.recommendation_builders import recommendation
    from tests.worklist.conftest import unit
    from worklist.actions import with_actions
    from worklist.sync import sync_all

    rec = recommendation(State.SHOWN, counsellor=counsellor, head=head)
    household = household_create(acting_user=counsellor, unit=unit("540102002"))
    member = someone(counsellor)
    person_set_household(
        acting_user=counsellor, person=member, household=household, relation="head", expected_version=1
    )
    sync_all(today=today)
    links = {i.kind: i.action_url for i in with_actions(WorkItem.objects.all())}
    assert links[Kind.RECOMMENDATION_STEP] == f"/recommendations/{rec.pk}/"
    assert links[Kind.ZERO_EMPLOYMENT] == f"/households/{household.pk}/"


def test_taking_an_unassigned_item(today, counsellor, colleague, page_client):
    pool = item(counsellor, days(0))
    response = page_client(counsellor).post(f"/worklist/{pool.pk}/take/", {"version": pool.version})
    assert response.status_code == 302 and response.url == URL
    pool.refresh_from_db()
    assert pool.assignee == counsellor and pool.version == 2
    # Too late for the colleague, who read the old version: nothing is overwritten.
    page_client(colleague).post(f"/worklist/{pool.pk}/take/", {"version": 1})
    pool.refresh_from_db()
    assert pool.assignee == counsellor
    # And with the fresh version: it is someone's already.
    response = page_client(colleague).post(f"/worklist/{pool.pk}/take/", {"version": 2}, follow=True)
    pool.refresh_from_db()
    assert pool.assignee == counsellor
    with translation.override("zh-hans"):
        expected = str(ALREADY_ASSIGNED % {"name": counsellor.display_name})
    assert [str(m) for m in response.context["messages"]] == [expected]


def test_taking_an_item_outside_my_area_is_not_found(today, counsellor, personas, page_client):
    jiri = personas["counsellor_jiri"]
    theirs = item(jiri, days(0), person=someone(jiri, unit_code="540102003"))
    response = page_client(counsellor).post(f"/worklist/{theirs.pk}/take/", {"version": 1})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor_chengguan", 200),
        ("head_chengguan", 200),
        ("district_chengguan", 403),
        ("sysadmin", 403),
    ],
)
def test_who_opens_my_work(today, personas, page_client, persona, status):
    assert page_client(personas[persona]).get(URL).status_code == status


def test_the_dashboard_card_counts_overdue_and_due_today(today, counsellor, page_client):
    item(counsellor, days(-1))
    item(counsellor, days(-4))
    item(counsellor, days(0))
    response = page_client(counsellor).get("/dashboard/")
    assert response.context["summary"]["work"] == {"overdue": 2, "today": 1}
    assert 'data-count="work_overdue" href="/worklist/#overdue">2<' in response.content.decode()


def test_plan_items_link_to_the_guidance_page(today, counsellor):
    from worklist.actions import with_actions

    person = someone(counsellor)
    review = item(counsellor, days(0), kind=Kind.PLAN_REVIEW, person=person)
    policy = item(counsellor, days(0), kind=Kind.PERSONAL_POLICY, person=person)
    links = {i.pk: i.action_url for i in with_actions([review, policy])}
    assert links == {
        review.pk: f"/guidance/person/{person.pk}/#plans",
        policy.pk: f"/guidance/person/{person.pk}/#personal-policy",
    }


def test_a_data_subject_request_item_links_to_the_request(today, counsellor):
    from subjectrights.services import request_receive
    from worklist.actions import with_actions

    request = request_receive(
        acting_user=counsellor,
        person=someone(counsellor),
        kind="copy",
        channel="in_person",
        received_on=today,
        details="a copy of my file",
    )
    [work] = with_actions(WorkItem.objects.filter(kind=Kind.SUBJECT_REQUEST))
    assert work.action_url == f"/subject-requests/{request.pk}/"
