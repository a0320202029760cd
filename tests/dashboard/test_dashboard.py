import datetime

import pytest
import time_machine

from network.models import OrgUnit
from network.services import orgunit_create
from tests.factories import ServicePointFactory


def test_counts_are_real_and_scoped(personas, page_client, sysadmin_creates_village):
    ServicePointFactory.in_unit("540102002")
    ServicePointFactory.in_unit("540121100")
    response = page_client(personas["district_chengguan"]).get("/dashboard/")
    counts = response.context["summary"]
    assert counts["units"]["district"] == 1
    assert counts["units"]["township"] == OrgUnit.objects.filter(parent__code="540102").count() == 12
    assert counts["units"]["village"] == 1
    assert counts["service_points"] == 1
    assert counts["staff"] == 4  # counsellor ×2, head and the district supervisor of 城关区
    city = page_client(personas["city"]).get("/dashboard/").context["summary"]
    assert city["service_points"] == 2
    assert city["units"]["district"] == 12


def test_missing_schedule_is_flagged(personas, page_client):
    with time_machine.travel(datetime.datetime(2026, 11, 28, 10, tzinfo=datetime.UTC)):
        response = page_client(personas["counsellor_chengguan"]).get("/dashboard/")
    assert response.context["summary"]["missing_schedules"] == [2027]
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC)):
        response = page_client(personas["counsellor_chengguan"]).get("/dashboard/")
    assert response.context["summary"]["missing_schedules"] == []


def test_administrators_see_no_service_counts(personas, page_client):
    summary = page_client(personas["auditadmin"]).get("/dashboard/").context["summary"]
    assert "service_points" not in summary


def test_anonymous_is_sent_to_login(db, client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.fixture
def sysadmin_creates_village(personas):
    return orgunit_create(
        acting_user=personas["sysadmin"],
        code="540102002001",
        parent=OrgUnit.objects.get(code="540102002"),
        name_zh="冲赛康社区",
        name_bo="ཚོམས་གསར་ཁང་སྡོད་ཁུལ།",
    )


def test_supervisor_chart_counts_staff_per_unit_below(personas, page_client):
    response = page_client(personas["district_chengguan"]).get("/dashboard/")
    rows = {row["code"]: row["value"] for row in response.context["summary"]["staff_chart"]}
    assert len(rows) == 12
    assert rows["540102002"] == 2  # counsellor and station head of 八廓街道
    assert rows["540102003"] == 1
    assert sum(rows.values()) == 3
    assert 'id="staff-chart-data"' in response.content.decode()


def test_counsellors_get_no_staff_chart(personas, page_client):
    summary = page_client(personas["counsellor_chengguan"]).get("/dashboard/").context["summary"]
    assert "staff_chart" not in summary


def test_register_cards_and_key_group_chart_are_scoped(personas, page_client):
    from tests.factories import person

    person(user=personas["counsellor_chengguan"], disability="2", sequence=1)
    person(user=personas["counsellor_linzhou"], unit_code="540121100", sequence=2)
    response = page_client(personas["district_chengguan"]).get("/dashboard/")
    register = response.context["summary"]["register"]
    assert register["persons"] == 1
    assert register["key_group_members"] == 1
    chart = {row["code"]: row["value"] for row in response.context["summary"]["key_group_chart"]}
    assert chart["disabled"] == 1 and chart["hard_to_employ"] == 1 and chart["veteran"] == 0
    assert 'id="key-group-chart-data"' in response.content.decode()
    city = page_client(personas["city"]).get("/dashboard/").context["summary"]["register"]
    assert city["persons"] == 2


def test_admins_see_no_register_figures(personas, page_client):
    response = page_client(personas["sysadmin"]).get("/dashboard/")
    assert "register" not in response.context["summary"]
