"""Staff pages for vacancies: scope with three personas, forms, buttons, the review queue, export."""

import io

import pytest
from openpyxl import load_workbook

from audit.models import Action, AuditEntry
from tests.vacancies.vacancy_builders import COOK, make_employer, move, vacancy_values
from tests.vacancies.vacancy_builders import vacancy_form_data as form_data
from vacancies import services
from vacancies.models import Status, Vacancy


def cells(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_list_holds_the_subtree_only(personas, page_client, draft):
    assert "中式厨师" in page_client(personas["counsellor_chengguan"]).get("/vacancies/").content.decode()
    assert "中式厨师" in page_client(personas["district_chengguan"]).get("/vacancies/").content.decode()
    assert "中式厨师" in page_client(personas["city"]).get("/vacancies/").content.decode()
    assert "中式厨师" not in page_client(personas["counsellor_jiri"]).get("/vacancies/").content.decode()
    assert "中式厨师" not in page_client(personas["district_linzhou"]).get("/vacancies/").content.decode()


@pytest.mark.parametrize(
    ("persona", "code"),
    [("counsellor_chengguan", 200), ("counsellor_jiri", 404), ("district_chengguan", 200), ("city", 200)],
)
def test_detail_scope(personas, page_client, draft, persona, code):
    assert page_client(personas[persona]).get(f"/vacancies/{draft.pk}/").status_code == code


@pytest.mark.parametrize("persona", ["sysadmin", "auditadmin"])
def test_administrators_see_no_vacancies(personas, page_client, draft, persona):
    assert page_client(personas[persona]).get("/vacancies/").status_code == 403


def test_the_list_filters_and_answers_htmx_with_the_results_only(personas, page_client, employer):
    counsellor = personas["counsellor_chengguan"]
    services.vacancy_create(acting_user=counsellor, values=vacancy_values(employer, title_zh="招聘会计"))
    services.vacancy_create(acting_user=counsellor, values=vacancy_values(employer, title_zh="面点师"))
    client = page_client(counsellor)
    body = client.get("/vacancies/", {"q": "会计"}, headers={"HX-Request": "true"}).content.decode()
    assert "招聘会计" in body and "面点师" not in body
    assert "<html" not in body
    body = client.get("/vacancies/", {"occupation": "bad code"}).content.decode()
    assert "4-03-02-01" in body  # the error says what a code looks like; nothing breaks


def test_detail_shows_problems_history_and_the_buttons_allowed(personas, page_client, employer):
    counsellor = personas["counsellor_chengguan"]
    values = vacancy_values(employer, other_requirements="限男性", physical_requirements="身高170以上")
    vacancy = services.vacancy_create(acting_user=counsellor, values=values)
    body = page_client(counsellor).get(f"/vacancies/{vacancy.pk}/").content.decode()
    assert 'value="submit"' in body and 'value="approve"' not in body
    assert "tag bad" in body and "tag warn" in body  # an error and a warning from vetting
    move(vacancy, counsellor, "submit")
    body = page_client(personas["head_chengguan"]).get(f"/vacancies/{vacancy.pk}/").content.decode()
    assert 'value="approve"' in body and 'value="reject"' in body


def test_enter_a_vacancy_through_the_form(personas, page_client, employer):
    client = page_client(personas["counsellor_chengguan"])
    assert client.get("/vacancies/new/").status_code == 200
    response = client.post("/vacancies/new/", form_data(employer))
    vacancy = Vacancy.objects.get(title_zh="藏餐厨师")
    assert response.status_code == 302 and response["Location"] == f"/vacancies/{vacancy.pk}/"
    assert vacancy.status == Status.DRAFT
    assert vacancy.meals and not vacancy.accommodation
    assert "藏餐" in vacancy.search_text


def test_the_form_names_bad_values(personas, page_client, employer):
    client = page_client(personas["counsellor_chengguan"])
    response = client.post("/vacancies/new/", form_data(employer, salary_min=7000, salary_max=6000))
    assert response.status_code == 200
    assert response.context["form"].errors["salary_max"]
    response = client.post("/vacancies/new/", form_data(employer, salary_min="abc", occupation="999999999"))
    assert {"salary_min", "occupation"} <= set(response.context["form"].errors)
    other = make_employer(unit_code="540121100", name_zh="林周县牧业合作社")
    response = client.post("/vacancies/new/", form_data(employer, employer=other.pk))
    assert "employer" in response.context["form"].errors  # not offered outside the area
    assert not Vacancy.objects.exists()


def test_edit_with_a_stale_version_is_refused(personas, page_client, draft):
    client = page_client(personas["counsellor_chengguan"])
    data = form_data(draft.employer, version=draft.version, title_zh="改过的标题")
    assert client.post(f"/vacancies/{draft.pk}/edit/", data).status_code == 302
    response = client.post(f"/vacancies/{draft.pk}/edit/", {**data, "title_zh": "再改"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    draft.refresh_from_db()
    assert draft.title_zh == "改过的标题"


def test_sibling_cannot_open_the_edit_form(personas, page_client, draft):
    assert page_client(personas["counsellor_jiri"]).get(f"/vacancies/{draft.pk}/edit/").status_code == 404
    assert page_client(personas["district_chengguan"]).get(f"/vacancies/{draft.pk}/edit/").status_code == 403


def test_buttons_walk_the_lifecycle(personas, page_client, draft):
    counsellor = page_client(personas["counsellor_chengguan"])
    url = f"/vacancies/{draft.pk}/transition/"
    response = counsellor.post(url, {"action": "submit", "version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    head = page_client(personas["head_chengguan"])
    queue = head.get("/vacancies/review/")
    assert "中式厨师" in queue.content.decode()
    response = head.post(
        f"/vacancies/{draft.pk}/transition/", {"action": "approve", "version": draft.version, "next": "queue"}
    )
    assert response.status_code == 302 and response["Location"] == "/vacancies/review/"
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    body = counsellor.get(f"/vacancies/{draft.pk}/").content.decode()
    assert 'value="reconfirm"' in body and 'value="fill"' in body


def test_a_refused_action_shows_why(personas, page_client, employer):
    counsellor = personas["counsellor_chengguan"]
    values = vacancy_values(employer, other_requirements="已婚已育")
    vacancy = services.vacancy_create(acting_user=counsellor, values=values)
    move(vacancy, counsellor, "submit")
    vacancy.refresh_from_db()
    response = page_client(personas["head_chengguan"]).post(
        f"/vacancies/{vacancy.pk}/transition/", {"action": "approve", "version": vacancy.version}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == Status.UNDER_REVIEW


def test_bad_transition_input_is_a_clear_400(personas, page_client, draft):
    client = page_client(personas["counsellor_chengguan"])
    for data in ({"action": "explode", "version": 1}, {"action": "submit", "version": "x"}, {}):
        assert client.post(f"/vacancies/{draft.pk}/transition/", data).status_code == 400
    assert client.get(f"/vacancies/{draft.pk}/transition/").status_code == 405


def test_the_review_queue_is_for_station_heads(personas, page_client):
    assert page_client(personas["head_chengguan"]).get("/vacancies/review/").status_code == 200
    assert page_client(personas["counsellor_chengguan"]).get("/vacancies/review/").status_code == 403
    assert page_client(personas["district_chengguan"]).get("/vacancies/review/").status_code == 403


def test_export_follows_filters_and_scope_and_is_audited(personas, page_client, employer):
    counsellor = personas["counsellor_chengguan"]
    services.vacancy_create(acting_user=counsellor, values=vacancy_values(employer, title_zh="=招聘会计"))
    services.vacancy_create(acting_user=counsellor, values=vacancy_values(employer, title_zh="面点师"))
    rows = cells(page_client(counsellor).get("/vacancies/", {"format": "xlsx", "q": "会计"}))
    assert len(rows) == 2
    assert rows[1][1] == "'=招聘会计"  # a formula never runs
    assert rows[1][5] == COOK
    assert len(cells(page_client(personas["counsellor_jiri"]).get("/vacancies/", {"format": "xlsx"}))) == 1
    assert AuditEntry.objects.filter(action=Action.EXPORT, actor=counsellor).exists()


def test_export_with_a_bad_filter_is_refused(personas, page_client, draft):
    response = page_client(personas["counsellor_chengguan"]).get(
        "/vacancies/", {"format": "xlsx", "occupation": "bad"}
    )
    assert response.status_code == 302 and "format" not in response["Location"]


def test_the_menu_offers_the_pages(personas, page_client):
    body = page_client(personas["head_chengguan"]).get("/vacancies/").content.decode()
    assert 'href="/vacancies/review/"' in body
    body = page_client(personas["counsellor_chengguan"]).get("/vacancies/").content.decode()
    assert 'href="/vacancies/new/"' in body and 'href="/vacancies/review/"' not in body
