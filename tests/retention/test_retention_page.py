import datetime

import pytest
from django.test import Client
from django.urls import reverse

from privacy.models import PersonalDataAccess
from retention.models import RetentionNotice, RetentionRun
from tests.factories import person as make_person

OVERVIEW = reverse("retention:overview")
DRY_RUN = reverse("retention:dry_run")


@pytest.fixture
def notice(personas):
    person = make_person(user=personas["counsellor_chengguan"], name_zh="次仁旺堆", name_bo="")
    return RetentionNotice.objects.create(
        person=person, marked_on=datetime.date(2026, 3, 2), due_on=datetime.date(2026, 4, 1)
    )


@pytest.mark.parametrize(
    ("persona", "status"), [("secadmin", 200), ("city", 200), ("counsellor_chengguan", 403)]
)
def test_who_may_see_the_page(personas, page_client, persona, status):
    assert page_client(personas[persona]).get(OVERVIEW).status_code == status


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get(OVERVIEW)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_pending_notices_show_masked_names_to_the_city_supervisor_only(personas, page_client, notice):
    content = page_client(personas["city"]).get(OVERVIEW).content.decode()
    assert "次***" in content
    assert "次仁旺堆" not in content
    # The security administrator runs the job but handles no personal records.
    content = page_client(personas["secadmin"]).get(OVERVIEW).content.decode()
    assert str(notice.person_id) in content
    assert "次***" not in content and "次仁旺堆" not in content


def test_security_admin_runs_a_dry_run(personas, page_client, notice):
    response = page_client(personas["secadmin"]).post(DRY_RUN)
    assert response.status_code == 302
    run = RetentionRun.objects.get()
    assert run.dry_run and run.started_by == personas["secadmin"]
    assert run.counts["pending"] == 1
    assert RetentionNotice.objects.get().cancelled_on is None  # a dry run changes nothing


def test_city_supervisor_may_not_run(personas, page_client):
    assert page_client(personas["city"]).post(DRY_RUN).status_code == 403
    assert not RetentionRun.objects.exists()


def test_export_is_logged(personas, page_client, notice):
    response = page_client(personas["secadmin"]).get(OVERVIEW, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    logged = PersonalDataAccess.objects.get(subject_type="retention_notice")
    assert logged.record_count == 1 and logged.user == personas["secadmin"]


def test_tibetan_page_renders(personas, page_client, notice):
    user = personas["secadmin"]
    user.language = "bo"
    user.save(update_fields=["language"])
    page_client(user).post(DRY_RUN)
    response = page_client(user).get(OVERVIEW)
    assert response.status_code == 200
    assert 'lang="bo"' in response.content.decode()
