"""Pages: the Pushes section of a person's file, My notices, the 1:4 list; and the API."""

import io

import pytest
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from keygroups.models import Category
from keygroups.services import membership_add_manual
from notifications import forms, services
from notifications.models import Notice, Push, PushStatus
from notifications.services import notify_user
from privacy.models import PersonalDataAccess
from tests.factories import person, valid_id_number
from tests.notifications.push_data import TITLE_ZH, course, vacancy

pytestmark = pytest.mark.usefixtures("no_queue")


@pytest.fixture
def job(personas):
    return vacancy(reviewer=personas["head_chengguan"])


def zh(message, **values) -> str:
    """A message as the (Chinese) page shows it, whether or not the catalogue has it yet."""
    with translation.override("zh-hans"):
        text = str(message) % {k: str(v) for k, v in values.items()} if values else str(message)
    return escape(text)


def push_url(who) -> str:
    return f"/people/{who.pk}/pushes/add/"


# --- the person's file ---------------------------------------------------------------


def test_the_file_shows_the_pushes_section_and_the_form(counsellor, page_client, seeker):
    html = page_client(counsellor).get(f"/people/{seeker.pk}/").content.decode()
    assert 'id="pushes"' in html and push_url(seeker) in html


def test_a_supervisor_sees_the_pushes_but_not_the_form(personas, page_client, seeker):
    html = page_client(personas["district_chengguan"]).get(f"/people/{seeker.pk}/").content.decode()
    assert 'id="pushes"' in html and push_url(seeker) not in html
    response = page_client(personas["district_chengguan"]).post(
        push_url(seeker), {"item_type": "vacancy", "item": "1"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("given", ["{pk}", "https://jiuye.example.cn/jobs/{pk}/", " /jobs/{pk} "])
def test_a_counsellor_pushes_a_vacancy_by_number_or_link(counsellor, page_client, seeker, job, given):
    response = page_client(counsellor).post(
        push_url(seeker), {"item_type": "vacancy", "item": given.format(pk=job.pk), "channel": ""}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"/people/{seeker.pk}/#pushes")
    push = Push.objects.get(person=seeker)
    assert (push.item_type, push.item_id, push.channel) == ("vacancy", job.pk, "database")
    html = page_client(counsellor).get(f"/people/{seeker.pk}/").content.decode()
    assert TITLE_ZH in html


def test_pushing_twice_says_so_and_keeps_one_push(counsellor, page_client, seeker, job):
    client = page_client(counsellor)
    client.post(push_url(seeker), {"item_type": "vacancy", "item": str(job.pk)})
    response = client.post(push_url(seeker), {"item_type": "vacancy", "item": str(job.pk)}, follow=True)
    assert '<li class="info">' in response.content.decode()
    assert Push.objects.filter(person=seeker).count() == 1


def test_a_course_is_pushed_too(counsellor, page_client, seeker):
    item = course()
    response = page_client(counsellor).post(push_url(seeker), {"item_type": "course", "item": str(item.pk)})
    assert response.status_code == 302
    assert Push.objects.get(person=seeker).item_type == "course"


@pytest.mark.parametrize(
    "item, message",
    [
        ("abc", forms.NOT_A_NUMBER),
        ("99999999", forms.NO_SUCH_ITEM["vacancy"]),
        ("99999999999999999999999", forms.NOT_A_NUMBER),
        ("", forms.PushForm.base_fields["item"].error_messages["required"]),
    ],
)
def test_bad_numbers_get_a_form_error(counsellor, page_client, seeker, item, message):
    response = page_client(counsellor).post(push_url(seeker), {"item_type": "vacancy", "item": item})
    assert response.status_code == 200 and zh(message) in response.content.decode()
    assert not Push.objects.exists()


def test_an_unpublished_vacancy_or_bad_choice_is_refused_on_the_form(
    counsellor, page_client, seeker, personas
):
    draft = vacancy(reviewer=personas["head_chengguan"], status="draft")
    client = page_client(counsellor)
    response = client.post(push_url(seeker), {"item_type": "vacancy", "item": str(draft.pk)})
    assert response.status_code == 200 and zh(forms.NO_SUCH_ITEM["vacancy"]) in response.content.decode()
    response = client.post(push_url(seeker), {"item_type": "policy", "item": "1", "channel": "fax"})
    assert response.status_code == 200 and 'class="errorlist"' in response.content.decode()
    assert not Push.objects.exists()


def test_a_refusal_by_the_service_shows_on_the_form(counsellor, page_client, seeker, job):
    response = page_client(counsellor).post(
        push_url(seeker), {"item_type": "vacancy", "item": str(job.pk), "channel": "sms"}
    )
    assert response.status_code == 200
    assert zh(services.CONSENT_MISSING, channel=services.Channel.SMS.label) in response.content.decode()


def test_a_sibling_units_counsellor_gets_404(personas, page_client, seeker, job):
    client = page_client(personas["counsellor_jiri"])
    assert client.post(push_url(seeker), {"item_type": "vacancy", "item": str(job.pk)}).status_code == 404
    assert not Push.objects.exists()


def test_cancel_a_waiting_push(counsellor, personas, page_client, seeker, job):
    push = services.push_to_person(person=seeker, item=job, acting_user=counsellor)
    assert (
        page_client(personas["counsellor_jiri"]).post(f"/notices/pushes/{push.pk}/cancel/").status_code == 404
    )
    response = page_client(counsellor).post(f"/notices/pushes/{push.pk}/cancel/")
    assert response.status_code == 302
    push.refresh_from_db()
    assert push.status == PushStatus.CANCELLED


# --- my notices ----------------------------------------------------------------------


def test_my_notices_lists_only_my_own_and_marks_them_read(personas, page_client, job):
    mine = notify_user(
        user=personas["counsellor_chengguan"], message="vacancy_suspended", context={"vacancy": job}
    )
    theirs = notify_user(
        user=personas["counsellor_jiri"], message="vacancy_suspended", context={"vacancy": job}
    )
    client = page_client(personas["counsellor_chengguan"])
    html = client.get("/notices/").content.decode()
    assert mine.subject in html and "tag warn" in html
    # Someone else's notice cannot be marked through my account.
    client.post("/notices/read/", {"notice": str(theirs.pk)})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post("/notices/read/", {"notice": "x1"}).status_code == 404
    client.post("/notices/read/", {"notice": str(mine.pk)})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get("/notices/?show=unread").content.decode().count("<article") == 0


def test_every_signed_in_account_has_notices_and_strangers_are_sent_to_login(personas, page_client, client):
    for name in ("sysadmin", "auditadmin", "city"):
        assert page_client(personas[name]).get("/notices/").status_code == 200
    response = client.get("/notices/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_mark_all_read(personas, page_client, job):
    user = personas["head_chengguan"]
    for _ in range(3):
        notify_user(user=user, message="vacancy_review_result", context={"vacancy": job, "approved": True})
    page_client(user).post("/notices/read/")
    assert not Notice.objects.filter(user=user, read_at__isnull=True).exists()


# --- the 1:4 list --------------------------------------------------------------------


@pytest.fixture
def veterans(personas):
    counsellor = personas["counsellor_chengguan"]
    result = []
    for sequence in (11, 12):
        p = person(user=counsellor, id_number=valid_id_number(sequence=sequence), name_zh=f"退役{sequence}")
        membership_add_manual(
            acting_user=counsellor,
            person=p,
            category=Category.objects.get(code="veteran"),
            started_on=p.created_at.date(),
            evidence="退役证",
        )
        result.append(p)
    far = person(user=personas["counsellor_linzhou"], unit_code="540121100", name_zh="林周退役")
    membership_add_manual(
        acting_user=personas["counsellor_linzhou"],
        person=far,
        category=Category.objects.get(code="veteran"),
        started_on=far.created_at.date(),
        evidence="退役证",
    )
    return result + [far]


def test_the_ratio_page_lists_persons_below_target_in_scope(personas, page_client, veterans):
    html = page_client(personas["district_chengguan"]).get("/notices/push-ratio/").content.decode()
    assert "退役11" in html and "退役12" in html and "林周退役" not in html
    assert veterans[0].id_number_masked in html and veterans[0].id_number not in html
    html = page_client(personas["city"]).get("/notices/push-ratio/?unit=540121").content.decode()
    assert "林周退役" in html and "退役11" not in html
    # A bad filter value is ignored, not a 500.
    assert page_client(personas["city"]).get("/notices/push-ratio/?unit=zzz&show=??").status_code == 200


def test_the_ratio_export_is_masked_and_logged(personas, page_client, veterans):
    response = page_client(personas["district_chengguan"]).get("/notices/push-ratio/?show=all&format=xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {row[2] for row in rows[1:]} == {v.id_number_masked for v in veterans[:2]}
    log = PersonalDataAccess.objects.get(user=personas["district_chengguan"], kind="export")
    assert log.record_count == 2


@pytest.mark.parametrize("persona", ["sysadmin", "auditadmin", "secadmin"])
def test_administrators_cannot_open_the_ratio_page(personas, page_client, persona):
    assert page_client(personas[persona]).get("/notices/push-ratio/").status_code == 403


# --- API -----------------------------------------------------------------------------


def test_api_push_list_and_create(counsellor, personas, api, seeker, job):
    client = api(counsellor)
    url = f"/api/v1/persons/{seeker.pk}/pushes"
    created = client.post(url, {"item_type": "vacancy", "item_id": job.pk}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    again = client.post(url, {"item_type": "vacancy", "item_id": job.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    listing = client.get(url).json()
    assert [row["item_id"] for row in listing["results"]] == [job.pk]
    assert api(personas["district_chengguan"]).get(url).status_code == 200
    assert api(personas["counsellor_jiri"]).get(url).status_code == 404
    refused = api(personas["district_chengguan"]).post(
        url, {"item_type": "vacancy", "item_id": job.pk}, format="json"
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [
        ({"item_type": "vacancy", "item_id": 99999999}, "item_id"),
        ({"item_type": "vacancy", "item_id": "x"}, "item_id"),
        ({"item_type": "vacancy", "item_id": 2**70}, "item_id"),
        ({"item_type": "policy", "item_id": 1}, "item_type"),
        ({"item_type": "vacancy", "item_id": 1, "channel": "fax"}, "channel"),
    ],
)
def test_api_bad_input_gets_the_error_shape(counsellor, api, seeker, body, field):
    response = api(counsellor).post(f"/api/v1/persons/{seeker.pk}/pushes", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed" and field in response.json()["errors"]


def test_api_service_refusal_is_a_400(counsellor, api, seeker, job):
    response = api(counsellor).post(
        f"/api/v1/persons/{seeker.pk}/pushes",
        {"item_type": "vacancy", "item_id": job.pk, "channel": "sms"},
        format="json",
    )
    assert response.status_code == 400 and "channel" in response.json()["errors"]


def test_api_notices(personas, api, job):
    user = personas["head_chengguan"]
    notice = notify_user(user=user, message="vacancy_suspended", context={"vacancy": job})
    notify_user(user=personas["city"], message="vacancy_suspended", context={"vacancy": job})
    client = api(user)
    body = client.get("/api/v1/notices/?unread=true").json()
    assert [row["id"] for row in body["results"]] == [notice.pk]
    assert client.post("/api/v1/notices/read", {"ids": [notice.pk]}, format="json").json() == {"marked": 1}
    assert client.get("/api/v1/notices/?unread=true").json()["results"] == []
    assert client.post("/api/v1/notices/read", {"ids": ["x"]}, format="json").status_code == 400


def test_marking_read_returns_to_the_same_list_and_ignores_a_crafted_back_link(personas, page_client, job):
    user = personas["head_chengguan"]
    notice = notify_user(user=user, message="vacancy_suspended", context={"vacancy": job})
    client = page_client(user)
    response = client.post("/notices/read/", {"notice": str(notice.pk), "back": "show=unread&page=2"})
    assert response.status_code == 302 and response["Location"] == "/notices/?show=unread&page=2"
    response = client.post("/notices/read/", {"back": "x\r\nLocation: https://evil.example/"})
    assert response.status_code == 302 and "\n" not in response["Location"]
    assert response["Location"].startswith("/notices/?")
