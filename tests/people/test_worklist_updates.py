"""The monthly information-update worklist for key-group persons (§5.9.2)."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from people.models import Person
from people.services import contact_record
from privacy.models import PersonalDataAccess
from tests.factories import person

URL = "/worklists/updates/"


def at(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


def updated(user, p, day: str) -> None:
    with at(day):
        contact_record(
            acting_user=user,
            person=Person.objects.get(pk=p.pk),
            at=timezone.now(),
            channel="phone",
            outcome="reached",
            info_updated=True,
        )


@pytest.fixture
def people(counsellor):
    """Everyone in a key group through a disability grade, except the employed person."""
    with at("2026-09-15"):
        updated_last_month = person(user=counsellor, name_zh="上月更新", sequence=3, disability="2")
    with at("2026-10-10"):
        never_updated = person(user=counsellor, name_zh="从未更新", sequence=1, disability="2")
        updated_this_month = person(user=counsellor, name_zh="本月更新", sequence=2, disability="2")
    with at("2026-11-03"):
        joined_this_month = person(user=counsellor, name_zh="本月加入", sequence=4, disability="2")
        not_key_group = person(user=counsellor, name_zh="非重点", sequence=5, employment_status="employed")
    updated(counsellor, updated_last_month, "2026-10-12")
    updated(counsellor, updated_this_month, "2026-11-05")
    return {
        "never_updated": never_updated,
        "updated_this_month": updated_this_month,
        "updated_last_month": updated_last_month,
        "joined_this_month": joined_this_month,
        "not_key_group": not_key_group,
    }


def listed(client, query: str = "") -> dict[int, object]:
    with at("2026-11-28"):
        response = client.get(URL + query)
    assert response.status_code == 200
    return {p.pk: p for p in response.context["page"]}


def test_overdue_tab(counsellor, page_client, people):
    rows = listed(page_client(counsellor))
    assert set(rows) == {people["never_updated"].pk}
    row = rows[people["never_updated"].pk]
    assert row.due_on == datetime.date(2026, 10, 31)  # joined in October: October's update
    assert row.days_overdue == 28
    assert set(row.key_groups) == {"残疾人", "就业困难人员"}


def test_due_this_month_tab_holds_the_rest(counsellor, page_client, people):
    rows = listed(page_client(counsellor), "?tab=due")
    assert set(rows) == {people["updated_last_month"].pk, people["joined_this_month"].pk}
    assert {p.days_overdue for p in rows.values()} == {0}
    assert rows[people["updated_last_month"].pk].due_on == datetime.date(2026, 11, 30)


def test_updated_this_month_and_non_key_group_are_never_listed(counsellor, page_client, people):
    client = page_client(counsellor)
    everyone = set(listed(client)) | set(listed(client, "?tab=due"))
    assert people["updated_this_month"].pk not in everyone
    assert people["not_key_group"].pk not in everyone


def test_an_information_update_takes_the_person_off_the_list(counsellor, page_client, people):
    updated(counsellor, people["never_updated"], "2026-11-28")
    client = page_client(counsellor)
    assert people["never_updated"].pk not in listed(client)
    assert people["never_updated"].pk not in listed(client, "?tab=due")


def test_scope_with_three_personas(personas, page_client, people):
    assert listed(page_client(personas["counsellor_jiri"])) == {}
    assert set(listed(page_client(personas["district_chengguan"]))) == {people["never_updated"].pk}
    assert set(listed(page_client(personas["city"]), "?unit=540121")) == set()
    with at("2026-11-28"):
        assert page_client(personas["sysadmin"]).get(URL).status_code == 403


def test_page_links_to_the_person_and_shows_masked_phone(counsellor, page_client, people):
    with at("2026-11-28"):
        body = page_client(counsellor).get(URL + "?tab=bogus&unit=x&page=99").content.decode()
    p = people["never_updated"]
    assert f"/people/{p.pk}/" in body
    assert p.phone_masked in body and p.phone not in body


def test_export_is_masked_and_logged(counsellor, page_client, people):
    with at("2026-11-28"):
        response = page_client(counsellor).get(URL + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    p = people["never_updated"]
    assert [(r[0], r[2], r[8]) for r in rows] == [("从未更新", p.phone_masked, 28)]
    assert p.phone not in str(rows)
    log = PersonalDataAccess.objects.get(user=counsellor)
    assert (log.kind, log.subject_type, log.record_count) == ("export", "person", 1)
