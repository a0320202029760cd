"""The policy catalogue (data/policies.csv): loaded idempotently by code, bilingual, and
pushable to a person like a vacancy or a course."""

import csv

import pytest
from django.core.management import call_command

from core.errors import ValidationFailed
from notifications import services as notification_services
from notifications.models import ItemType, Push
from policies.models import Policy, PolicyKind
from policies.selectors import after_hire_policies
from policies.services import POLICIES_CSV, policies_load
from tests.factories import person

TIBETAN = range(0x0F00, 0x1000)


def rows() -> list[dict]:
    with POLICIES_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def is_tibetan(text: str) -> bool:
    letters = [c for c in text if not c.isspace()]
    return bool(letters) and all(ord(c) in TIBETAN for c in letters)


def test_the_file_names_the_six_policies_in_both_scripts():
    data = rows()
    codes = [row["code"] for row in data]
    assert len(codes) == len(set(codes)) == 6
    titles = {row["title_zh"] for row in data}
    for expected in (
        "吸纳就业补贴",
        "社会保险补贴",
        "岗位稳岗跟踪服务",
        "职业培训补贴",
        "创业担保贷款",
        "公益性岗位安置",
    ):
        assert expected in titles
    for row in data:
        assert row["kind"] in PolicyKind.values
        assert row["summary_zh"] and row["after_hire"] in ("yes", "no")
        assert is_tibetan(row["title_bo"]) and is_tibetan(row["summary_bo"]), row["code"]
    assert {row["code"] for row in data if row["after_hire"] == "yes"} == {
        "absorb_employment_subsidy",
        "social_insurance_subsidy",
        "job_retention_follow_up",
    }


def test_load_reference_loaded_the_catalogue(db):
    assert Policy.objects.count() == len(rows())
    assert [p.code for p in after_hire_policies()] == sorted(
        row["code"] for row in rows() if row["after_hire"] == "yes"
    )


def test_loading_again_updates_by_code_and_adds_nothing(db, tmp_path):
    Policy.objects.filter(code="social_insurance_subsidy").update(title_zh="旧标题", after_hire=False)
    result = policies_load()
    assert result == {"created": 0, "updated": len(rows())}
    refreshed = Policy.objects.get(code="social_insurance_subsidy")
    assert (refreshed.title_zh, refreshed.after_hire) == ("社会保险补贴", True)
    call_command("load_reference", verbosity=0)
    assert Policy.objects.count() == len(rows())


def test_a_bad_row_is_refused_with_its_line(db, tmp_path):
    bad = tmp_path / "policies.csv"
    bad.write_text(
        "code,kind,title_zh,title_bo,summary_zh,summary_bo,after_hire\nx,not_a_kind,标题,,,,no\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="line 2"):
        policies_load(csv_path=bad)
    assert not Policy.objects.filter(code="x").exists()


@pytest.fixture
def enqueued(monkeypatch):
    ids = []
    monkeypatch.setattr(notification_services, "_enqueue", ids.append)
    return ids


def test_a_policy_is_pushed_in_the_persons_language(personas, enqueued, django_capture_on_commit_callbacks):
    counsellor = personas["counsellor_chengguan"]
    seeker = person(user=counsellor, preferred_language="bo")
    policy = Policy.objects.get(code="social_insurance_subsidy")
    with django_capture_on_commit_callbacks(execute=True):
        push = notification_services.push_to_person(person=seeker, item=policy, acting_user=counsellor)
    stored = Push.objects.get(pk=push.pk)
    assert (stored.item_type, stored.item_id, stored.language) == (ItemType.POLICY, policy.pk, "bo")
    assert policy.title_bo in stored.subject and policy.summary_bo in stored.body
    assert policy.title_zh not in stored.body
    assert enqueued == [push.pk]


def test_a_policy_push_to_a_chinese_reader_is_in_chinese(personas, enqueued):
    counsellor = personas["counsellor_chengguan"]
    seeker = person(user=counsellor, preferred_language="zh-hans")
    policy = Policy.objects.get(code="job_retention_follow_up")
    push = notification_services.push_to_person(person=seeker, item=policy, acting_user=None)
    assert policy.title_zh in push.subject and policy.summary_zh in push.body
    assert push.created_by is None


def test_an_inactive_policy_is_not_pushed(personas, enqueued):
    counsellor = personas["counsellor_chengguan"]
    seeker = person(user=counsellor)
    policy = Policy.objects.get(code="public_welfare_post")
    Policy.objects.filter(pk=policy.pk).update(is_active=False)
    with pytest.raises(ValidationFailed) as refused:
        notification_services.push_to_person(person=seeker, item=policy, acting_user=counsellor)
    assert "item" in refused.value.errors
    assert not Push.objects.exists()
    assert policy not in after_hire_policies()
