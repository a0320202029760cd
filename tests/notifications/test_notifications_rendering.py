"""Messages come out in the recipient's language from translatable templates (§5.4.1)."""

import re

import pytest

from notifications import messages
from notifications.models import Notice
from notifications.services import notify_user
from tests.notifications.push_data import EMPLOYER_BO, EMPLOYER_ZH, TITLE_BO, TITLE_ZH, course, vacancy

TIBETAN = re.compile(r"[\u0f00-\u0fff]")


@pytest.fixture
def job(personas):
    return vacancy(reviewer=personas["head_chengguan"])


def test_vacancy_push_in_tibetan_and_chinese_differ(job):
    bo = messages.render("vacancy_push", language="bo", context={"vacancy": job})
    zh = messages.render("vacancy_push", language="zh-hans", context={"vacancy": job})
    assert bo.language == "bo" and zh.language == "zh-hans"
    assert bo.body != zh.body and bo.subject != zh.subject
    assert TITLE_BO in bo.subject and TITLE_BO in bo.body and EMPLOYER_BO in bo.body
    assert TITLE_ZH not in bo.body and EMPLOYER_ZH not in bo.body
    assert TITLE_ZH in zh.subject and TITLE_ZH in zh.body and EMPLOYER_ZH in zh.body
    assert TIBETAN.search(bo.body)


def test_vacancy_push_names_pay_place_and_public_link(job, settings):
    settings.NOTIFY_SITE_URL = "https://jiuye.example.cn"
    zh = messages.render("vacancy_push", language="zh-hans", context={"vacancy": job})
    assert "4000" in zh.body and "6000" in zh.body
    assert job.work_unit.name_zh in zh.body
    assert f"https://jiuye.example.cn/jobs/{job.pk}/" in zh.body
    assert zh.link == f"https://jiuye.example.cn/jobs/{job.pk}/"
    # Plain text: nothing is HTML-escaped.
    assert "&" not in zh.body


def test_course_push_uses_the_tibetan_title(db):
    item = course()
    bo = messages.render("course_push", language="bo", context={"course": item})
    zh = messages.render("course_push", language="zh-hans", context={"course": item})
    assert item.title_bo in bo.body and item.title_zh not in bo.body
    assert item.title_zh in zh.body and item.provider.name_zh in zh.body
    assert f"/jobs/courses/{item.pk}/" in zh.body
    assert "1500" in zh.body


def test_unknown_language_falls_back_to_chinese(job):
    rendered = messages.render("vacancy_push", language="fr", context={"vacancy": job})
    assert rendered.language == "zh-hans" and TITLE_ZH in rendered.body


def test_notify_user_renders_in_the_accounts_language(personas, job):
    head = personas["head_chengguan"]
    head.language = "bo"
    head.save(update_fields=["language"])
    notice = notify_user(user=head, message="vacancy_suspended", context={"vacancy": job})
    assert isinstance(notice, Notice) and notice.pk
    assert notice.language == "bo" and notice.kind == "vacancy_suspended"
    assert TITLE_BO in notice.subject and TITLE_BO in notice.body
    assert "30" in notice.body  # VACANCY_RECONFIRM_DAYS
    assert notice.read_at is None

    district = personas["district_chengguan"]  # language left at the default, Chinese
    other = notify_user(user=district, message="vacancy_suspended", context={"vacancy": job})
    assert other.language == "zh-hans" and TITLE_ZH in other.body
    assert other.body != notice.body


@pytest.mark.parametrize("approved", [True, False])
def test_review_result_says_whether_it_passed(personas, job, approved):
    notice = notify_user(
        user=personas["counsellor_chengguan"],
        message="vacancy_review_result",
        context={"vacancy": job, "approved": approved, "note": "工资写清楚"},
    )
    assert TITLE_ZH in notice.body and "工资写清楚" in notice.body
    assert (f"/jobs/{job.pk}/" in notice.body) is approved
