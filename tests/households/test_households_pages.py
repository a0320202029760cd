"""Household pages: scope with three personas, create/edit, members, zero-employment worklist, export."""

import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from households.models import Household
from households.services import household_create
from network.models import OrgUnit
from people.models import Person
from people.services import person_set_household, person_update
from privacy.models import PersonalDataAccess
from tests.factories import person, valid_id_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def at(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture(autouse=True)
def _today():
    with at("2026-11-28"):
        yield


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


def new_household(user, code="540102002", **values) -> Household:
    return household_create(acting_user=user, unit=OrgUnit.objects.get(code=code), **values)


def join(user, p, household, relation="head"):
    p = Person.objects.get(pk=p.pk)
    return person_set_household(
        acting_user=user, person=p, household=household, relation=relation, expected_version=p.version
    )


@pytest.fixture
def barkhor(counsellor):
    household = new_household(counsellor, address="八廓街 8 号")
    join(counsellor, person(user=counsellor, name_zh="次仁", sequence=1), household)
    return household


@pytest.fixture
def linzhou(personas):
    user = personas["counsellor_linzhou"]
    household = new_household(user, code="540121100", address="甘丹曲果镇 3 号")
    join(
        user,
        person(user=user, unit_code="540121100", name_zh="多吉", id_number=valid_id_number(area="540121")),
        household,
    )
    return household


def test_list_holds_only_the_subtree(personas, page_client, barkhor, linzhou):
    def listed(name):
        response = page_client(personas[name]).get("/households/")
        assert response.status_code == 200
        return {h.pk for h in response.context["page"]}

    assert listed("counsellor_chengguan") == {barkhor.pk}
    assert listed("counsellor_jiri") == set()
    assert listed("district_chengguan") == {barkhor.pk}
    assert listed("city") == {barkhor.pk, linzhou.pk}


def test_list_filters_and_htmx_partial(counsellor, page_client, barkhor):
    other = new_household(counsellor, address="北京东路 2 号")
    client = page_client(counsellor)
    assert {h.pk for h in client.get("/households/?q=八廓").context["page"]} == {barkhor.pk}
    assert {h.pk for h in client.get("/households/?q=次仁").context["page"]} == {barkhor.pk}  # member name
    assert {h.pk for h in client.get(f"/households/?q=%23{other.pk}").context["page"]} == {other.pk}
    assert {h.pk for h in client.get("/households/?zero=yes").context["page"]} == {barkhor.pk}
    assert {h.pk for h in client.get("/households/?zero=no").context["page"]} == {other.pk}
    assert client.get("/households/?q=" + "9" * 40 + "&unit=abc&page=x").status_code == 200
    partial = client.get("/households/?q=八廓", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "八廓街 8 号" in partial.content.decode()


def test_detail_scope_and_content(personas, page_client, barkhor):
    client = page_client(personas["counsellor_chengguan"])
    response = client.get(f"/households/{barkhor.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    member = barkhor.members.get()
    assert member.id_number_masked in body
    assert member.id_number not in body
    assert f"/people/{member.pk}/" in body
    assert response.context["days_left"] == 33  # 28 Nov → 31 Dec
    assert [e.cleared_on for e in response.context["episodes"]] == [None]
    assert page_client(personas["counsellor_jiri"]).get(f"/households/{barkhor.pk}/").status_code == 404
    assert page_client(personas["district_chengguan"]).get(f"/households/{barkhor.pk}/").status_code == 200
    assert page_client(personas["sysadmin"]).get(f"/households/{barkhor.pk}/").status_code == 403
    assert client.get("/households/999999999/").status_code == 404


def test_create_and_edit_with_version_conflict(counsellor, personas, page_client):
    client = page_client(counsellor)
    unit = OrgUnit.objects.get(code="540102002")
    response = client.post(
        "/households/new/", {"unit": unit.pk, "address": "娘热路 5 号", "allowance_status": "dibao"}
    )
    household = Household.objects.get(address="娘热路 5 号")
    assert response.status_code == 302
    assert response["Location"] == f"/households/{household.pk}/"
    assert household.allowance_status == "dibao"

    form = client.get(f"/households/{household.pk}/edit/").context["form"]
    assert form.initial["version"] == 1
    # Someone else saves first.
    assert (
        client.post(
            f"/households/{household.pk}/edit/",
            {"unit": unit.pk, "address": "娘热路 6 号", "allowance_status": "none", "version": 1},
        ).status_code
        == 302
    )
    stale = client.post(
        f"/households/{household.pk}/edit/",
        {"unit": unit.pk, "address": "娘热路 7 号", "allowance_status": "none", "version": 1},
    )
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors()
    assert Household.objects.get(pk=household.pk).address == "娘热路 6 号"


def test_create_refuses_bad_input_and_other_units(counsellor, personas, page_client):
    client = page_client(counsellor)
    linzhou = OrgUnit.objects.get(code="540121100")
    response = client.post("/households/new/", {"unit": linzhou.pk, "allowance_status": "none"})
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    response = client.post("/households/new/", {"unit": "x", "allowance_status": "lots"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {
        "unit",
        "allowance_status",
    }
    assert not Household.objects.exists()
    assert page_client(personas["district_chengguan"]).get("/households/new/").status_code == 403


def test_member_set_join_and_leave(counsellor, page_client, barkhor, linzhou):
    client = page_client(counsellor)
    newcomer = person(user=counsellor, name_zh="卓玛", id_number=valid_id_number(sequence=7, male=False))
    url = f"/households/member/{newcomer.pk}/"
    found = client.get(url + "?q=次仁", headers={"HX-Request": "true"})
    assert [h.pk for h in found.context["choices"]] == [barkhor.pk]
    assert client.get(url + "?q=甘丹").context["choices"] == []  # out of scope: not offered

    missing_relation = client.post(url, {"household": barkhor.pk, "relation_to_head": "", "version": 1})
    assert missing_relation.status_code == 200 and missing_relation.context["form"].errors["relation_to_head"]
    outside = client.post(url, {"household": linzhou.pk, "relation_to_head": "spouse", "version": 1})
    assert outside.status_code == 200 and outside.context["form"].errors["household"]

    response = client.post(url, {"household": barkhor.pk, "relation_to_head": "spouse", "version": 1})
    assert response.status_code == 302 and response["Location"] == f"/households/{barkhor.pk}/"
    newcomer = Person.objects.get(pk=newcomer.pk)
    assert (newcomer.household_id, newcomer.relation_to_head) == (barkhor.pk, "spouse")

    response = client.post(url, {"household": "", "relation_to_head": "", "version": newcomer.version})
    assert response.status_code == 302 and response["Location"] == f"/people/{newcomer.pk}/"
    assert Person.objects.get(pk=newcomer.pk).household is None


def test_member_set_is_scoped(personas, page_client, barkhor):
    member = barkhor.members.get()
    assert page_client(personas["counsellor_jiri"]).get(f"/households/member/{member.pk}/").status_code == 404
    assert (
        page_client(personas["district_chengguan"]).get(f"/households/member/{member.pk}/").status_code == 403
    )


@pytest.fixture
def zero_households(counsellor, personas):
    """At 2026-12-20: one overdue since 30 Sep, one due 31 Dec, one cleared this quarter, one elsewhere."""
    with at("2026-09-10"):
        overdue = new_household(counsellor, address="逾期户")
        join(counsellor, person(user=counsellor, sequence=11), overdue)
    with at("2026-10-15"):
        cleared = new_household(counsellor, address="已清零户")
        worker = join(counsellor, person(user=counsellor, sequence=12), cleared)
    with at("2026-11-02"):
        person_update(
            acting_user=counsellor,
            person=worker,
            expected_version=worker.version,
            changes={"employment_status": "employed"},
        )
    with at("2026-11-28"):
        soon = new_household(counsellor, address="临期户")
        join(counsellor, person(user=counsellor, sequence=13), soon)
        user = personas["counsellor_linzhou"]
        elsewhere = new_household(user, code="540121100", address="林周户")
        join(
            user,
            person(user=user, unit_code="540121100", id_number=valid_id_number(area="540121", sequence=14)),
            elsewhere,
        )
    return {"overdue": overdue, "soon": soon, "cleared": cleared, "elsewhere": elsewhere}


def test_zero_list_shows_days_left_and_overdue(counsellor, page_client, zero_households):
    with at("2026-12-20"):
        response = page_client(counsellor).get("/households/zero-employment/")
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [h.pk for h in rows] == [zero_households["overdue"].pk, zero_households["soon"].pk]
    assert [h.days_left for h in rows] == [-81, 11]
    assert [(h.is_overdue, h.is_due_soon) for h in rows] == [(True, False), (False, True)]
    body = response.content.decode()
    assert 'class="overdue"' in body and 'class="due-soon"' in body
    assert "-81" in body


def test_zero_list_summary_per_unit_is_scoped(personas, page_client, zero_households):
    with at("2026-12-20"):
        city = page_client(personas["city"]).get("/households/zero-employment/")
        district = page_client(personas["district_chengguan"]).get("/households/zero-employment/")
        sibling = page_client(personas["counsellor_jiri"]).get("/households/zero-employment/")
        filtered = page_client(personas["city"]).get("/households/zero-employment/?unit=540121")
    summary = {s.unit.code: (s.open, s.overdue, s.cleared_this_quarter) for s in city.context["summary"]}
    assert summary == {"540102002": (2, 1, 1), "540121100": (1, 0, 0)}
    assert {s.unit.code for s in district.context["summary"]} == {"540102002"}
    assert list(sibling.context["summary"]) == [] and list(sibling.context["page"]) == []
    assert [h.pk for h in filtered.context["page"]] == [zero_households["elsewhere"].pk]
    # The next quarter starts with nothing cleared yet.
    with at("2027-01-05"):
        later = page_client(personas["city"]).get("/households/zero-employment/")
    assert {s.unit.code: s.cleared_this_quarter for s in later.context["summary"]}["540102002"] == 0


def test_zero_list_export(counsellor, page_client, zero_households):
    with at("2026-12-20"):
        response = page_client(counsellor).get("/households/zero-employment/?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[7]) for r in rows] == [
        (zero_households["overdue"].pk, "逾期户", -81),
        (zero_households["soon"].pk, "临期户", 11),
    ]
    log = PersonalDataAccess.objects.get(user=counsellor)
    assert (log.kind, log.record_count) == ("export", 2)


def test_household_list_export_is_logged_and_scoped(counsellor, page_client, barkhor, linzhou):
    response = page_client(counsellor).get("/households/?format=xlsx")
    assert response["Content-Type"] == XLSX
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [barkhor.pk]
    assert PersonalDataAccess.objects.filter(
        user=counsellor, kind="export", subject_type="household"
    ).exists()


def test_member_set_bad_input_gets_form_errors(counsellor, page_client, barkhor):
    newcomer = person(user=counsellor, id_number=valid_id_number(sequence=8))
    url = f"/households/member/{newcomer.pk}/"
    client = page_client(counsellor)
    for data in (
        {"household": barkhor.pk, "relation_to_head": "spouse", "version": "abc"},
        {"household": barkhor.pk, "relation_to_head": "spouse", "version": 10**30},
        {"household": "99999999999999999999", "relation_to_head": "spouse", "version": 1},
        {"household": barkhor.pk, "relation_to_head": "cousin", "version": 1},
    ):
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    stale = client.post(url, {"household": barkhor.pk, "relation_to_head": "spouse", "version": 5})
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert Person.objects.get(pk=newcomer.pk).household is None
    assert client.get("/households/member/999999999/").status_code == 404
