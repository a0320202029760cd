"""Employer pages: the unit's staff, a sibling unit's staff and supervisors above (three personas)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from employers.models import Employer, KeyEnterpriseFlag
from employers.services import key_enterprise_flag
from industries.models import Industry
from privacy.models import PersonalDataAccess
from tests.employers.conftest import credit_code


def test_list_shows_the_units_employers_only(personas, page_client, barkhor, linzhou):
    body = page_client(personas["counsellor_chengguan"]).get("/employers/").content.decode()
    assert "八廓街藏餐馆" in body
    assert "林周县青稞加工厂" not in body


def test_sibling_unit_sees_nothing_and_gets_404(personas, page_client, barkhor):
    client = page_client(personas["counsellor_jiri"])
    assert "八廓街藏餐馆" not in client.get("/employers/").content.decode()
    for url in (
        f"/employers/{barkhor.pk}/",
        f"/employers/{barkhor.pk}/edit/",
        f"/employers/{barkhor.pk}/key-enterprise/add/",
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["district_chengguan", "city"])
def test_supervisors_above_read_but_do_not_edit(personas, page_client, barkhor, persona):
    client = page_client(personas[persona])
    response = client.get(f"/employers/{barkhor.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "八廓街藏餐馆" in body and barkhor.credit_code in body and "0891-6321234" in body
    assert f"/employers/{barkhor.pk}/edit/" not in body
    assert client.get(f"/employers/{barkhor.pk}/edit/").status_code == 403
    assert client.get("/employers/new/").status_code == 403


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_see_no_employers(personas, page_client, barkhor, persona):
    client = page_client(personas[persona])
    assert client.get("/employers/").status_code == 403
    assert client.get(f"/employers/{barkhor.pk}/").status_code == 403
    assert client.get("/employers/key-enterprises/").status_code == 403


def test_out_of_district_detail_is_404(personas, page_client, linzhou):
    assert page_client(personas["district_chengguan"]).get(f"/employers/{linzhou.pk}/").status_code == 404
    assert page_client(personas["counsellor_chengguan"]).get("/employers/999999/").status_code == 404


def _form(**values):
    data = {
        "name_zh": "拉萨圣地旅行社",
        "name_bo": "ལྷ་ས་འགྲུལ་བཞུད་ཁང་།",
        "credit_code": credit_code(31),
        "industry": "72",
        "size": "small",
        "ownership": "private",
        "unit": "",
        "address": "北京中路",
        "contact_name": "次仁",
        "contact_phone": "13800138000",
        "description": "",
        "channel": "township_collection",
        "external_id": "",
    }
    data.update(values)
    return data


def test_counsellor_registers_an_employer(personas, page_client):
    from network.models import OrgUnit

    client = page_client(personas["counsellor_chengguan"])
    page = client.get("/employers/new/").content.decode()
    assert 'optgroup label="H ' in page and "62 " in page  # divisions grouped under sections
    unit = OrgUnit.objects.get(code="540102002")
    response = client.post("/employers/new/", _form(unit=unit.pk))
    employer = Employer.objects.get(name_zh="拉萨圣地旅行社")
    assert response.status_code == 302
    assert response["Location"] == f"/employers/{employer.pk}/"
    assert (employer.industry.code, employer.unit.code, employer.channel) == (
        "72",
        "540102002",
        "township_collection",
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9154010200000003", "18 characters; this one has 16"),
        ("I154010200000003XX", "starts with 8 digits"),
        (credit_code(31)[:-1] + ("0" if credit_code(31)[-1] != "0" else "1"), "check digit"),
    ],
)
def test_credit_code_errors_are_clear(personas, page_client, code, message):
    from network.models import OrgUnit

    client = page_client(personas["counsellor_chengguan"])
    client.cookies["django_language"] = "en"
    personas["counsellor_chengguan"].language = "en"
    personas["counsellor_chengguan"].save()
    unit = OrgUnit.objects.get(code="540102002")
    response = client.post("/employers/new/", _form(unit=unit.pk, credit_code=code))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Employer.objects.filter(name_zh="拉萨圣地旅行社").exists()


def test_duplicate_code_shows_on_the_form(personas, page_client, linzhou):
    from network.models import OrgUnit

    client = page_client(personas["counsellor_chengguan"])
    unit = OrgUnit.objects.get(code="540102002")
    response = client.post("/employers/new/", _form(unit=unit.pk, credit_code=linzhou.credit_code))
    assert response.status_code == 200
    assert "甘丹曲果镇" in response.content.decode()
    assert Employer.objects.filter(credit_code=linzhou.credit_code).count() == 1


def test_bad_industry_and_unit_are_form_errors_not_500(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post("/employers/new/", _form(industry="H", unit="999999"))
    assert response.status_code == 200
    assert not Employer.objects.exists()


def test_edit_with_stale_version_says_someone_else_saved(personas, page_client, barkhor):
    client = page_client(personas["counsellor_chengguan"])
    form = client.get(f"/employers/{barkhor.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in form
    data = _form(
        name_zh="八廓街藏餐馆（新）", credit_code=barkhor.credit_code, unit=barkhor.unit_id, industry="62"
    )
    assert (
        client.post(f"/employers/{barkhor.pk}/edit/", {**data, "version": 1, "is_active": "on"}).status_code
        == 302
    )
    assert Employer.objects.get(pk=barkhor.pk).name_zh == "八廓街藏餐馆（新）"
    response = client.post(f"/employers/{barkhor.pk}/edit/", {**data, "name_zh": "旧名", "version": 1})
    assert response.status_code == 200
    assert Employer.objects.get(pk=barkhor.pk).name_zh == "八廓街藏餐馆（新）"


def test_flag_and_unflag_through_the_pages(personas, page_client, barkhor):
    client = page_client(personas["head_chengguan"])
    today = datetime.date.today().isoformat()
    response = client.post(
        f"/employers/{barkhor.pk}/key-enterprise/add/", {"reason": "吸纳脱贫劳动力", "flagged_on": today}
    )
    assert response.status_code == 302
    detail = client.get(f"/employers/{barkhor.pk}/").content.decode()
    assert "吸纳脱贫劳动力" in detail
    again = client.post(f"/employers/{barkhor.pk}/key-enterprise/add/", {"reason": "x", "flagged_on": today})
    assert again.status_code == 200  # already listed: shown on the form
    assert KeyEnterpriseFlag.objects.filter(employer=barkhor).count() == 1
    bad_date = client.post(
        f"/employers/{barkhor.pk}/key-enterprise/remove/", {"reason": "停业", "ended_on": "2026-13-45"}
    )
    assert bad_date.status_code == 200
    response = client.post(
        f"/employers/{barkhor.pk}/key-enterprise/remove/", {"reason": "停业", "ended_on": today}
    )
    assert response.status_code == 302
    assert KeyEnterpriseFlag.objects.get(employer=barkhor).end_reason == "停业"


def test_supervisors_may_not_flag(personas, page_client, barkhor):
    client = page_client(personas["district_chengguan"])
    response = client.post(
        f"/employers/{barkhor.pk}/key-enterprise/add/", {"reason": "x", "flagged_on": "2026-01-05"}
    )
    assert response.status_code == 403
    assert not KeyEnterpriseFlag.objects.exists()


def test_directory_page_in_scope(personas, page_client, barkhor, linzhou):
    key_enterprise_flag(
        acting_user=personas["counsellor_chengguan"],
        employer=barkhor,
        reason="本街道重点",
        flagged_on=datetime.date(2026, 1, 5),
    )
    key_enterprise_flag(
        acting_user=personas["counsellor_linzhou"],
        employer=linzhou,
        reason="青稞龙头",
        flagged_on=datetime.date(2026, 1, 6),
    )
    city = page_client(personas["city"]).get("/employers/key-enterprises/").content.decode()
    assert "本街道重点" in city and "青稞龙头" in city
    district = page_client(personas["district_chengguan"]).get("/employers/key-enterprises/").content.decode()
    assert "本街道重点" in district and "青稞龙头" not in district
    sibling = page_client(personas["counsellor_jiri"]).get("/employers/key-enterprises/").content.decode()
    assert "本街道重点" not in sibling
    filtered = page_client(personas["city"]).get("/employers/key-enterprises/?unit=540121").content.decode()
    assert "青稞龙头" in filtered and "本街道重点" not in filtered
    export = page_client(personas["city"]).get("/employers/key-enterprises/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {r[7] for r in rows[1:]} == {"本街道重点", "青稞龙头"}


def test_export_holds_the_filtered_list_and_is_logged(personas, page_client, barkhor, linzhou, make_employer):
    make_employer(
        12,
        name_zh="城关建筑公司",
        industry=Industry.objects.get(code="47"),
    )
    client = page_client(personas["city"])
    response = client.get("/employers/?industry=H&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["八廓街藏餐馆"]
    assert rows[1][2] == barkhor.credit_code and rows[1][11] == "0891-6321234"
    log = PersonalDataAccess.objects.get(subject_type="employer")
    assert (log.kind, log.record_count, log.user) == ("export", 1, personas["city"])
    assert "industry=H" in log.query


def test_export_with_a_bad_filter_exports_nothing(personas, page_client, barkhor):
    response = page_client(personas["city"]).get("/employers/?key_enterprise=maybe&format=xlsx")
    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_filters_and_htmx_partial(personas, page_client, barkhor, make_employer):
    make_employer(
        13,
        name_zh="八廓街建材批发部",
        industry=Industry.objects.get(code="51"),
    )
    client = page_client(personas["counsellor_chengguan"])
    body = client.get("/employers/?industry=51").content.decode()
    assert "八廓街建材批发部" in body and "八廓街藏餐馆" not in body
    body = client.get(f"/employers/?q={barkhor.credit_code.lower()}").content.decode()
    assert "八廓街藏餐馆" in body and "八廓街建材批发部" not in body
    partial = client.get("/employers/?q=建材", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "八廓街建材批发部" in partial.content.decode()


def test_tibetan_page_renders(personas, page_client, barkhor):
    user = personas["counsellor_chengguan"]
    user.language = "bo"
    user.save()
    response = page_client(user).get(f"/employers/{barkhor.pk}/")
    assert response.status_code == 200
    assert "62 ཟ་བཏུང་ལས་རིགས།" in response.content.decode()  # the industry in Tibetan


def test_detail_links_to_the_employers_vacancies(personas, page_client, barkhor):
    from django.urls import reverse

    body = page_client(personas["counsellor_chengguan"]).get(f"/employers/{barkhor.pk}/").content.decode()
    assert f"{reverse('vacancies:vacancy_list')}?employer={barkhor.pk}" in body


def test_nav_shows_employers_to_service_roles_only(personas, page_client):
    body = page_client(personas["counsellor_chengguan"]).get("/employers/").content.decode()
    assert 'href="/employers/key-enterprises/"' in body
    body = page_client(personas["sysadmin"]).get("/accounts/profile/").content.decode()
    assert 'href="/employers/"' not in body
