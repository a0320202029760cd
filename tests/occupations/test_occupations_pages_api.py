"""The occupational classification: browsing, search, detail, and the read-only API."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from occupations.models import Occupation
from occupations.selectors import leaf_choices, occupation_ancestors, occupation_get, occupation_list

LIST = "/occupations/"
API = "/api/v1/occupations/"


def test_the_whole_classification_is_loaded(db):
    assert Occupation.objects.count() == 2176
    assert occupation_list(level=1).count() == 8
    assert occupation_list(level=4).count() == 1639
    # Every group below the top has a parent one level up, whose code starts its own.
    for o in Occupation.objects.filter(level__gt=1).select_related("parent"):
        assert o.parent.level == o.level - 1
        assert o.code.startswith(o.parent.code + "-")


def test_leaf_choices_for_forms(db):
    with translation.override("zh-hans"):
        choices = leaf_choices()
    assert len(choices) == 1639
    cook = Occupation.objects.get(code="4-03-02-01")
    assert (cook.pk, "4-03-02-01 中式烹调师") in choices
    assert [label for _pk, label in choices] == sorted(label for _pk, label in choices)


def test_ancestors_come_from_the_code(db):
    cook = occupation_get(code="4-03-02-01")
    assert [a.code for a in occupation_ancestors(cook)] == ["4", "4-03", "4-03-02"]
    assert occupation_ancestors(occupation_get(code="4")) == []


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "city", "sysadmin", "auditadmin", "secadmin"])
def test_every_staff_member_may_read(personas, page_client, api, persona):
    assert page_client(personas[persona]).get(LIST).status_code == 200
    assert api(personas[persona]).get(API).status_code == 200


def test_anonymous_api_is_refused(api, db):
    assert api().get(API).status_code in (401, 403)


def test_start_page_lists_the_eight_major_groups(personas, page_client):
    response = page_client(personas["counsellor_chengguan"]).get(LIST)
    body = response.content.decode()
    assert response.context["page"].paginator.count == 8
    assert "社会生产服务和生活服务人员" in body
    assert "住宿和餐饮服务人员" not in body


def test_tree_navigation_with_breadcrumbs(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    medium = client.get(LIST, {"parent": "4"})
    codes = [o.code for o in medium.context["page"]]
    assert codes and all(c.startswith("4-") and c.count("-") == 1 for c in codes)
    assert "住宿和餐饮服务人员" in medium.content.decode()

    small = client.get(LIST, {"parent": "4-03-02"})
    body = small.content.decode()
    assert {o.level for o in small.context["page"]} == {4}
    assert "中式烹调师" in body
    # Breadcrumbs: all majors › 4 › 4-03 › (current) 4-03-02.
    assert [a.code for a in small.context["ancestors"]] == ["4", "4-03"]
    assert "?parent=4-03" in body and "社会生产服务和生活服务人员" in body
    assert "餐饮服务人员" in body


def test_unknown_parent_is_404(personas, page_client):
    assert page_client(personas["counsellor_chengguan"]).get(LIST, {"parent": "9-99"}).status_code == 404


@pytest.mark.parametrize("q, code", [("中式烹调", "4-03-02-01"), ("导游", "4-07-04-01")])
def test_search_by_name(personas, page_client, api, q, code):
    response = page_client(personas["counsellor_chengguan"]).get(LIST, {"q": q})
    assert code in [o.code for o in response.context["page"]]
    results = api(personas["counsellor_chengguan"]).get(API, {"q": q}).json()["results"]
    assert code in [row["code"] for row in results]


def test_search_by_code_prefix(personas, api, page_client):
    client = api(personas["counsellor_chengguan"])
    body = client.get(API, {"q": "4-03", "page_size": 500}).json()
    assert body["count"] == Occupation.objects.filter(code__startswith="4-03").count() > 10
    assert all(row["code"].startswith("4-03") for row in body["results"])
    page = page_client(personas["counsellor_chengguan"]).get(LIST, {"q": "4-03-02"})
    assert page.context["page"][0].code == "4-03-02"
    assert page.context["searching"]


def test_htmx_search_returns_the_partial(personas, page_client):
    response = page_client(personas["counsellor_chengguan"]).get(LIST, {"q": "导游"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "导游" in body
    assert "<html" not in body


def test_detail_page(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    body = client.get("/occupations/4-03-02/").content.decode()
    assert "餐饮服务人员" in body
    assert "中式烹调师" in body  # children listed
    assert "住宿和餐饮服务人员" in body  # breadcrumb
    assert client.get("/occupations/4-03-02-01/").status_code == 200


@pytest.mark.parametrize("code", ["9-99-99-99", "x", "4-03-02-01-extra-long-code", "%E4%B8%AD"])
def test_unknown_code_is_404(personas, page_client, api, code):
    assert page_client(personas["counsellor_chengguan"]).get(f"/occupations/{code}/").status_code == 404
    response = api(personas["counsellor_chengguan"]).get(f"{API}{code}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_contract(personas, api):
    body = api(personas["counsellor_chengguan"]).get(f"{API}4-03-02-01/").json()
    assert body == {
        "code": "4-03-02-01",
        "name_zh": "中式烹调师",
        "name_bo": body["name_bo"],
        "level": 4,
        "parent": "4-03-02",
    }
    majors = api(personas["counsellor_chengguan"]).get(API, {"level": 1}).json()
    assert majors["count"] == 8
    assert all(row["parent"] is None for row in majors["results"])


def test_api_lists_are_paginated_and_filter_by_parent(personas, api):
    client = api(personas["counsellor_chengguan"])
    everything = client.get(API).json()
    assert everything["count"] == 2176
    assert len(everything["results"]) == 50
    assert everything["next"]
    children = client.get(API, {"parent": "4-03-02"}).json()["results"]
    assert children and {row["parent"] for row in children} == {"4-03-02"}
    assert client.get(API, {"parent": "nope"}).json()["count"] == 0


@pytest.mark.parametrize("level", ["0", "5", "abc", "1.5", "-1", "99999999999999999999999"])
def test_bad_level_is_a_400_in_the_api(personas, api, level):
    response = api(personas["counsellor_chengguan"]).get(API, {"level": level})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert "level" in body["errors"]


@pytest.mark.parametrize("params", [{"level": "abc"}, {"level": "7"}, {"page": "x"}, {"q": "中" * 500}])
def test_bad_input_on_the_page_is_not_a_500(personas, page_client, params):
    response = page_client(personas["counsellor_chengguan"]).get(LIST, params)
    assert response.status_code == 200
    if "level" in params or "q" in params:
        assert 'class="errorlist"' in response.content.decode()


def test_bad_page_size_is_a_400(personas, api):
    assert api(personas["counsellor_chengguan"]).get(API, {"page": "0"}).status_code == 400


def test_export(personas, page_client):
    response = page_client(personas["counsellor_chengguan"]).get(
        LIST, {"parent": "4-03-02", "format": "xlsx"}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert ("4-03-02-01" in {row[0] for row in rows[1:]}) and all(row[6] == "4-03-02" for row in rows[1:])
