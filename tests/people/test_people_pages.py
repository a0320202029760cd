"""The register's pages: scope with three personas, search, masking, reveal, register and edit."""

import pytest
from django.utils import translation
from django.utils.html import escape

from core.errors import ConcurrentEdit
from network.models import OrgUnit
from people.models import Person
from privacy.models import AccessKind, PersonalDataAccess
from tests.factories import person as make_person
from tests.factories import valid_id_number
from tests.people.person_forms import person_form_data as form_data

FULL_ID = valid_id_number(sequence=18)
MASKED_ID = f"{FULL_ID[:6]}********{FULL_ID[-4:]}"
PHONE = "13812345678"


@pytest.fixture
def tashi(personas):
    return make_person(user=personas["counsellor_chengguan"], id_number=FULL_ID, phone=PHONE)


# --- scope ---------------------------------------------------------------------------


def test_own_counsellor_sees_the_file_and_the_list_row(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    assert client.get(f"/people/{tashi.pk}/").status_code == 200
    assert MASKED_ID in client.get("/people/").content.decode()


@pytest.mark.parametrize("persona", ["counsellor_jiri", "counsellor_linzhou"])
def test_sibling_and_other_district_get_404_and_an_empty_list(personas, page_client, tashi, persona):
    client = page_client(personas[persona])
    assert client.get(f"/people/{tashi.pk}/").status_code == 404
    assert client.get(f"/people/{tashi.pk}/edit/").status_code == 404
    listing = client.get("/people/")
    assert listing.status_code == 200
    assert MASKED_ID not in listing.content.decode()
    assert tashi.pk not in [p.pk for p in listing.context["page"]]


@pytest.mark.parametrize("persona", ["district_chengguan", "city"])
def test_supervisors_above_see_it(personas, page_client, tashi, persona):
    client = page_client(personas[persona])
    assert client.get(f"/people/{tashi.pk}/").status_code == 200
    assert MASKED_ID in client.get("/people/").content.decode()


def test_system_admin_is_refused(personas, page_client, tashi):
    client = page_client(personas["sysadmin"])
    assert client.get("/people/").status_code == 403
    assert client.get(f"/people/{tashi.pk}/").status_code == 403


def test_bad_ids_are_404_not_500(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    assert client.get("/people/999999/").status_code == 404
    assert client.get("/people/999999999999999999999/").status_code == 404


# --- search and masking --------------------------------------------------------------


@pytest.mark.parametrize("query", ["zhaxi", "zx", "bkra shis", "扎西", "བཀྲ་ཤིས", MASKED_ID, FULL_ID, PHONE])
def test_one_search_box_finds_the_person(personas, page_client, tashi, query):
    make_person(
        user=personas["counsellor_chengguan"],
        sequence=40,
        name_zh="卓玛",
        name_bo="སྒྲོལ་མ།",
        phone="13900001111",
    )
    client = page_client(personas["counsellor_chengguan"])
    response = client.get("/people/", {"q": query}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"]] == [tashi.pk]
    # htmx gets only the results block.
    assert "<html" not in response.content.decode()


def test_search_for_someone_else_finds_nothing(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    response = client.get("/people/", {"q": "dorje"})
    assert list(response.context["page"]) == []


def test_a_bad_filter_value_is_a_form_error_not_a_500(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    response = client.get("/people/", {"status": "nonsense", "unit": "540121", "unreachable": "maybe"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert "unit" in response.context["form"].errors  # outside the counsellor's area


def test_filters_narrow_the_list(personas, page_client, tashi):
    client = page_client(personas["district_chengguan"])
    assert [p.pk for p in client.get("/people/", {"unit": "540102002"}).context["page"]] == [tashi.pk]
    assert list(client.get("/people/", {"unit": "540102003"}).context["page"]) == []
    assert list(client.get("/people/", {"status": "employed"}).context["page"]) == []
    assert list(client.get("/people/", {"unreachable": "yes"}).context["page"]) == []


def test_list_shows_masked_values_only(personas, page_client, tashi):
    html = page_client(personas["counsellor_chengguan"]).get("/people/").content.decode()
    assert MASKED_ID in html
    assert tashi.phone_masked in html
    assert FULL_ID not in html
    assert PHONE not in html


def test_file_page_never_shows_full_values_before_reveal(personas, page_client, tashi):
    html = page_client(personas["counsellor_chengguan"]).get(f"/people/{tashi.pk}/").content.decode()
    assert MASKED_ID in html
    assert "扎西" in html and "བཀྲ་ཤིས།" in html
    assert FULL_ID not in html
    assert PHONE not in html
    assert f"/people/{tashi.pk}/reveal/" in html


# --- reveal --------------------------------------------------------------------------


def test_reveal_with_a_reason_shows_full_values_and_logs_once(personas, page_client, tashi):
    user = personas["counsellor_chengguan"]
    response = page_client(user).post(
        f"/people/{tashi.pk}/reveal/", {"reason": "phoning about a vacancy"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert FULL_ID in html and PHONE in html
    assert "<html" not in html  # the partial only
    assert response["Cache-Control"].find("no-store") >= 0
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.subject_id, log.reason, log.kind) == (
        user,
        str(tashi.pk),
        "phoning about a vacancy",
        AccessKind.VIEW,
    )


def test_reveal_without_a_reason_is_refused_inline_and_not_logged(personas, page_client, tashi):
    response = page_client(personas["counsellor_chengguan"]).post(
        f"/people/{tashi.pk}/reveal/", {"reason": "  "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert FULL_ID not in html
    assert 'class="errorlist"' in html
    assert not PersonalDataAccess.objects.exists()


def test_district_supervisor_cannot_reveal(personas, page_client, tashi):
    response = page_client(personas["district_chengguan"]).post(
        f"/people/{tashi.pk}/reveal/", {"reason": "curious"}
    )
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()
    html = page_client(personas["district_chengguan"]).get(f"/people/{tashi.pk}/").content.decode()
    assert f"/people/{tashi.pk}/reveal/" not in html


def test_reveal_out_of_scope_is_404(personas, page_client, tashi):
    response = page_client(personas["counsellor_jiri"]).post(f"/people/{tashi.pk}/reveal/", {"reason": "x"})
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


# --- register and edit ---------------------------------------------------------------


def test_register_through_the_form_creates_the_person(personas, page_client):
    client = page_client(personas["counsellor_chengguan"])
    data = form_data()
    response = client.post("/people/new/", data)
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    assert (person.name_zh, person.name_bo, person.id_number, person.phone) == (
        "次仁",
        "ཚེ་རིང་།",
        data["id_number"],
        "13987654321",
    )
    assert person.registered_by == personas["counsellor_chengguan"]


def test_register_form_renders_for_a_counsellor_and_not_for_a_supervisor(personas, page_client):
    assert page_client(personas["counsellor_chengguan"]).get("/people/new/").status_code == 200
    assert page_client(personas["district_chengguan"]).get("/people/new/").status_code == 403


def test_duplicate_id_is_an_error_on_the_id_field(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post("/people/new/", form_data(id_number=FULL_ID, name_zh="别人", name_bo=""))
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]
    assert Person.objects.count() == 1


def test_invalid_id_is_an_error_on_the_id_field(personas, page_client):
    response = page_client(personas["counsellor_chengguan"]).post(
        "/people/new/", form_data(id_number="540102199003070119")
    )
    assert response.context["form"].errors["id_number"]
    assert not Person.objects.exists()


def test_a_unit_outside_the_area_is_refused(personas, page_client):
    other = OrgUnit.objects.get(code="540121100").pk
    response = page_client(personas["counsellor_chengguan"]).post("/people/new/", form_data(unit=other))
    assert response.context["form"].errors["unit"]
    assert not Person.objects.exists()


def test_possible_duplicate_warns_then_registers_when_confirmed(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    # Same name and the same birth date (inside the ID number), a different number.
    data = form_data(name_zh="扎西", name_bo="", id_number=valid_id_number(sequence=19))
    response = client.post("/people/new/", data)
    assert response.status_code == 200
    assert response.context["possible_duplicate"] is True
    assert 'name="confirm_similar"' in response.content.decode()
    assert Person.objects.count() == 1

    response = client.post("/people/new/", {**data, "confirm_similar": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_edit_keeps_the_id_and_phone_when_left_empty(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    page = client.get(f"/people/{tashi.pk}/edit/")
    html = page.content.decode()
    assert MASKED_ID in html and FULL_ID not in html and PHONE not in html
    data = form_data(id_number="", phone="", name_zh="扎西次仁", version=tashi.version)
    response = client.post(f"/people/{tashi.pk}/edit/", data)
    assert response.status_code == 302
    tashi.refresh_from_db()
    assert (tashi.name_zh, tashi.id_number, tashi.phone) == ("扎西次仁", FULL_ID, PHONE)
    assert tashi.version == 2


def test_stale_version_shows_the_conflict_and_keeps_the_input(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    stale = tashi.version
    client.post(f"/people/{tashi.pk}/edit/", form_data(id_number="", phone="", version=stale))
    response = client.post(
        f"/people/{tashi.pk}/edit/",
        form_data(id_number="", phone="", name_zh="我的修改", address="新地址99号", version=stale),
    )
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("zh-hans"):
        conflict = str(ConcurrentEdit.default_message)
    assert conflict in response.context["form"].non_field_errors()
    assert escape(conflict) in html
    assert 'value="我的修改"' in html and 'value="新地址99号"' in html
    tashi.refresh_from_db()
    assert tashi.name_zh == "次仁"  # the first save, not the stale one


# --- language ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/people/", "/people/{pk}/", "/people/new/", "/people/{pk}/edit/"])
def test_pages_work_in_tibetan(personas, page_client, tashi, path):
    client = page_client(personas["counsellor_chengguan"])
    # The language switch in the top bar: sets the cookie and the account's saved language.
    client.post("/accounts/language/", {"language": "bo", "next": "/people/"})
    assert client.cookies["lang"].value == "bo"
    response = client.get(path.format(pk=tashi.pk))
    assert response.status_code == 200
    assert '<html lang="bo">' in response.content.decode()


def test_edit_without_a_version_is_a_form_error(personas, page_client, tashi):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post(f"/people/{tashi.pk}/edit/", form_data(id_number="", phone="", version="x"))
    assert response.status_code == 200
    assert response.context["form"].errors["version"]
    tashi.refresh_from_db()
    assert tashi.version == 1


def test_file_page_shows_the_household_with_masked_members(personas, page_client, tashi):
    from households.services import household_create
    from people.services import person_set_household

    user = personas["counsellor_chengguan"]
    household = household_create(acting_user=user, unit=tashi.unit, address="八廓街2号")
    wife = make_person(user=user, sequence=50, name_zh="卓嘎", name_bo="", phone="13900002222")
    for member, relation in ((tashi, "head"), (wife, "spouse")):
        member.refresh_from_db()
        person_set_household(
            acting_user=user,
            person=member,
            household=household,
            relation=relation,
            expected_version=member.version,
        )
    html = page_client(user).get(f"/people/{tashi.pk}/").content.decode()
    assert "卓嘎" in html and wife.id_number_masked in html
    assert wife.id_number not in html and "13900002222" not in html
    assert f"/households/{household.pk}/" in html
