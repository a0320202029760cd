"""Key-group catalogue pages (sysadmin edits, service roles read) and manual memberships."""

import datetime

import pytest
import time_machine

from core.errors import ValidationFailed
from keygroups.models import Category, Membership
from keygroups.selectors import membership_counts_by_category
from keygroups.services import membership_add_manual, memberships_refresh_all
from tests.factories import person, valid_id_number

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 28, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def open_codes(p) -> set[str]:
    return set(
        Membership.objects.filter(person=p, ended_on__isnull=True).values_list("category__code", flat=True)
    )


def category_post(c: Category, **changes) -> dict:
    data = {
        "name_zh": c.name_zh,
        "name_bo": c.name_bo,
        "name_en": c.name_en,
        "parent": c.parent_id or "",
        "rule": c.rule,
        "evidence_hint": c.evidence_hint,
        "is_active": "on" if c.is_active else "",
        "order": c.order,
        "version": c.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("name", ["counsellor_chengguan", "district_chengguan", "sysadmin"])
def test_catalogue_is_visible_to_service_roles_and_sysadmin(personas, page_client, name):
    response = page_client(personas[name]).get("/key-groups/")
    assert response.status_code == 200
    categories = response.context["categories"]
    assert len(categories) == Category.objects.count()
    codes = [c.code for c in categories]
    # The tree: each child right under its parent.
    assert codes.index("single_parent") > codes.index("hard_to_employ")
    assert [c.depth for c in categories if c.code in ("hard_to_employ", "single_parent")] == [0, 1]
    assert "单亲家庭成员" in response.content.decode() or "Single parent" in response.content.decode()


def test_catalogue_is_closed_to_other_admins(personas, page_client):
    assert page_client(personas["secadmin"]).get("/key-groups/").status_code == 403
    assert page_client(personas["auditadmin"]).get("/key-groups/").status_code == 403


def test_only_sysadmin_edits(personas, page_client):
    veteran = category("veteran")
    for name in ("counsellor_chengguan", "city"):
        client = page_client(personas[name])
        assert client.get("/key-groups/new/").status_code == 403
        assert (
            client.post(f"/key-groups/{veteran.pk}/edit/", category_post(veteran, name_zh="x")).status_code
            == 403
        )
    assert Category.objects.get(pk=veteran.pk).name_zh == "退役军人"


def test_sysadmin_creates_and_edits_with_version(personas, page_client):
    client = page_client(personas["sysadmin"])
    response = client.post(
        "/key-groups/new/",
        {
            "code": "released_prisoner",
            "name_zh": "刑满释放人员",
            "name_bo": "བཙོན་ཁང་ནས་ཐར་བ།",
            "name_en": "Released from prison",
            "parent": category("hard_to_employ").pk,
            "rule": "manual",
            "evidence_hint": "释放证明",
            "is_active": "on",
            "order": 125,
        },
    )
    assert response.status_code == 302
    created = category("released_prisoner")
    assert (created.parent.code, created.rule, created.version) == ("hard_to_employ", "manual", 1)

    duplicate = client.post("/key-groups/new/", category_post(created, code="released_prisoner"))
    assert duplicate.status_code == 200 and duplicate.context["form"].errors["code"]

    assert (
        client.post(
            f"/key-groups/{created.pk}/edit/", category_post(created, name_en="Ex-offender")
        ).status_code
        == 302
    )
    stale = client.post(f"/key-groups/{created.pk}/edit/", category_post(created, name_en="Stale"))
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    assert category("released_prisoner").name_en == "Ex-offender"
    assert client.get("/key-groups/999999/edit/").status_code == 404


def test_a_category_cannot_sit_under_its_own_child(personas, page_client):
    parent = category("hard_to_employ")
    response = page_client(personas["sysadmin"]).post(
        f"/key-groups/{parent.pk}/edit/", category_post(parent, parent=category("single_parent").pk)
    )
    assert response.status_code == 200 and response.context["form"].errors["parent"]
    assert category("hard_to_employ").parent is None


def test_a_changed_rule_applies_at_the_next_refresh(counsellor, personas, page_client):
    p = person(user=counsellor, disability="2")
    veteran = category("veteran")
    page_client(personas["sysadmin"]).post(
        f"/key-groups/{veteran.pk}/edit/", category_post(veteran, rule="disabled")
    )
    assert "veteran" not in open_codes(p)
    memberships_refresh_all(today=TODAY)
    assert "veteran" in open_codes(p)


def test_manual_membership_needs_evidence(counsellor, page_client):
    p = person(user=counsellor, employment_status="employed")
    single = category("single_parent")
    url = f"/key-groups/person/{p.pk}/add/"
    response = page_client(counsellor).post(
        url, {"category": single.pk, "started_on": "2026-11-01", "evidence": " "}
    )
    assert response.status_code == 200 and response.context["form"].errors["evidence"]
    with pytest.raises(ValidationFailed) as refused:
        membership_add_manual(
            acting_user=counsellor, person=p, category=single, started_on=TODAY, evidence="   "
        )
    assert "evidence" in refused.value.errors
    assert not Membership.objects.filter(person=p).exists()


def test_a_derived_category_cannot_be_added_by_hand(counsellor, page_client):
    p = person(user=counsellor, employment_status="employed")
    disabled = category("disabled")
    response = page_client(counsellor).post(
        f"/key-groups/person/{p.pk}/add/",
        {"category": disabled.pk, "started_on": "2026-11-01", "evidence": "残疾人证"},
    )
    assert response.status_code == 200 and response.context["form"].errors["category"]
    assert disabled not in response.context["form"].fields["category"].queryset
    with pytest.raises(ValidationFailed) as refused:
        membership_add_manual(
            acting_user=counsellor, person=p, category=disabled, started_on=TODAY, evidence="证"
        )
    assert "category" in refused.value.errors


def test_parent_follows_a_manual_child_and_ending_keeps_history(counsellor, page_client):
    p = person(user=counsellor, employment_status="employed")
    client = page_client(counsellor)
    response = client.post(
        f"/key-groups/person/{p.pk}/add/",
        {"category": category("single_parent").pk, "started_on": "2026-11-01", "evidence": "离婚证 2024-123"},
    )
    assert response.status_code == 302 and response["Location"] == f"/people/{p.pk}/"
    assert open_codes(p) == {"single_parent", "hard_to_employ"}
    membership = Membership.objects.get(person=p, category__code="single_parent")
    assert (membership.source, membership.started_on, membership.recorded_by) == (
        "manual",
        datetime.date(2026, 11, 1),
        counsellor,
    )

    url = f"/key-groups/memberships/{membership.pk}/end/"
    assert client.post(url, {"ended_on": "2026-10-01", "reason": "再婚"}).context["form"].errors
    assert client.post(url, {"ended_on": "2027-01-01", "reason": "再婚"}).context["form"].errors["ended_on"]
    response = client.post(url, {"ended_on": "2026-11-20", "reason": "再婚"})
    assert response.status_code == 302 and response["Location"] == f"/people/{p.pk}/"
    assert open_codes(p) == set()
    history = {m.category.code: (m.started_on, m.ended_on) for m in Membership.objects.filter(person=p)}
    assert history["single_parent"] == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 20))
    assert history["hard_to_employ"][1] == datetime.date(2026, 11, 20)
    assert Membership.objects.get(pk=membership.pk).end_reason == "再婚"
    again = client.post(url, {"ended_on": "2026-11-21", "reason": "x"})
    assert again.status_code == 200 and again.context["form"].non_field_errors()


def test_membership_pages_are_scoped(counsellor, personas, page_client):
    p = person(user=counsellor, employment_status="employed")
    membership = membership_add_manual(
        acting_user=counsellor, person=p, category=category("veteran"), started_on=TODAY, evidence="退役证"
    )
    sibling = page_client(personas["counsellor_jiri"])
    assert sibling.get(f"/key-groups/person/{p.pk}/add/").status_code == 404
    assert (
        sibling.post(
            f"/key-groups/memberships/{membership.pk}/end/", {"ended_on": "2026-11-28", "reason": "x"}
        ).status_code
        == 404
    )
    supervisor = page_client(personas["district_chengguan"])
    assert supervisor.get(f"/key-groups/person/{p.pk}/add/").status_code == 403
    assert page_client(counsellor).get(f"/key-groups/person/{p.pk}/add/").status_code == 200
    assert Membership.objects.get(pk=membership.pk).ended_on is None


def test_counts_by_category_are_scoped(counsellor, personas, page_client):
    person(user=counsellor, disability="2", sequence=1)
    person(user=counsellor, disability="3", sequence=2)
    linzhou = personas["counsellor_linzhou"]
    person(user=linzhou, unit_code="540121100", disability="1", id_number=valid_id_number(area="540121"))
    disabled = category("disabled").pk

    def count(name):
        return membership_counts_by_category(user=personas[name]).get(disabled, 0)

    assert count("counsellor_chengguan") == 2
    assert count("counsellor_jiri") == 0
    assert count("district_linzhou") == 1
    assert count("city") == 3
    assert membership_counts_by_category(user=personas["sysadmin"]) == {}
    response = page_client(counsellor).get("/key-groups/")
    assert {c.code: c.open_members for c in response.context["categories"]}["disabled"] == 2
    assert "/people/?key_group=disabled" in response.content.decode()
    assert page_client(personas["sysadmin"]).get("/key-groups/").context["show_counts"] is False


def test_bad_input_gets_form_errors_not_500(counsellor, personas, page_client):
    p = person(user=counsellor, employment_status="employed")
    client = page_client(counsellor)
    single = category("single_parent").pk
    for data in (
        {"category": "abc", "started_on": "2026-11-01", "evidence": "证"},
        {"category": single, "started_on": "2026-13-45", "evidence": "证"},
        {"category": single, "started_on": "2027-01-01", "evidence": "证"},  # in the future
        {"category": single, "started_on": "2026-11-01", "evidence": "证" * 301},
    ):
        response = client.post(f"/key-groups/person/{p.pk}/add/", data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not Membership.objects.filter(person=p).exists()
    veteran = category("veteran")
    admin = page_client(personas["sysadmin"])
    for changes in ({"order": 10**9}, {"version": 10**30}, {"parent": "x"}, {"rule": "nonsense"}):
        response = admin.post(f"/key-groups/{veteran.pk}/edit/", category_post(veteran, **changes))
        assert response.status_code == 200 and response.context["form"].errors
    assert client.get("/key-groups/memberships/999999999/end/").status_code == 404
