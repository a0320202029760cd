"""一人一策 (§5.4.3): the task when a person crosses the long-term unemployment threshold
(not a day before), completed by drawing up the plan, cancelled when the person finds work;
the list of persons without a plan, scoped."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from core.errors import NotAllowed, ValidationFailed
from guidance import selectors
from guidance.models import PersonalPolicyPlan
from guidance.policy_services import crossing_date, personal_policy_create, personal_policy_tasks
from people.models import Person
from policies.models import Policy
from tests.guidance.conftest import at
from tests.guidance.guidance_builders import seeker
from worklist.models import Kind, WorkItem

D = datetime.date


def tasks(person):
    return WorkItem.objects.filter(
        kind=Kind.PERSONAL_POLICY, source_type="people.person", source_id=person.pk
    )


@pytest.fixture
def long_unemployed(counsellor):
    """Registered in March 2025, unemployed since 10 March 2025: twelve months on 10 March 2026."""
    with at("2025-03-01"):
        return seeker(counsellor, unemployed_since=D(2025, 3, 10))


def test_crossing_dates_count_whole_months_like_the_key_groups():
    assert crossing_date(D(2025, 3, 10), 12) == D(2026, 3, 10)
    assert crossing_date(D(2025, 1, 31), 1) == D(2025, 3, 1)  # not 28 February
    assert crossing_date(D(2024, 2, 29), 12) == D(2025, 3, 1)
    assert crossing_date(D(2025, 1, 28), 1) == D(2025, 2, 28)


def test_no_task_a_day_before_the_threshold(long_unemployed):
    assert personal_policy_tasks(today=D(2026, 3, 9)) == {"opened": 0, "cancelled": 0}
    assert not tasks(long_unemployed).exists()
    assert not selectors.personal_policy_missing(
        user=long_unemployed.registered_by, today=D(2026, 3, 9)
    ).exists()


def test_a_task_on_the_day_the_person_crosses_it(counsellor, long_unemployed):
    assert personal_policy_tasks(today=D(2026, 3, 10)) == {"opened": 1, "cancelled": 0}
    item = tasks(long_unemployed).get()
    # Five working days (PERSONAL_POLICY_DAYS) from Tuesday 10 March 2026.
    assert (item.due_on, item.done_on, item.person, item.unit) == (
        D(2026, 3, 17),
        None,
        long_unemployed,
        long_unemployed.unit,
    )
    # The nightly job again: nothing new, the due date stays.
    assert personal_policy_tasks(today=D(2026, 3, 11)) == {"opened": 0, "cancelled": 0}
    assert tasks(long_unemployed).get().due_on == D(2026, 3, 17)
    missing = selectors.personal_policy_missing(user=counsellor, today=D(2026, 3, 10))
    assert list(missing) == [long_unemployed]


def test_drawing_up_the_plan_completes_the_task(counsellor, long_unemployed):
    personal_policy_tasks(today=D(2026, 3, 10))
    policy = Policy.objects.filter(is_active=True).first()
    with at("2026-03-12"):
        plan = personal_policy_create(
            acting_user=counsellor,
            person=long_unemployed,
            situation="长期失业，家中有老人需照顾。",
            measures="推荐社区公益性岗位；申请灵活就业社保补贴。",
            policies=[policy] if policy else [],
            review_on=D(2026, 6, 12),
        )
    assert (plan.number, plan.created_on, plan.created_by) == (1, D(2026, 3, 12), counsellor)
    assert tasks(long_unemployed).get().done_on == D(2026, 3, 12)
    assert not selectors.personal_policy_missing(user=counsellor, today=D(2026, 3, 12)).exists()
    assert personal_policy_tasks(today=D(2026, 3, 13)) == {"opened": 0, "cancelled": 0}
    with at("2026-06-12"):
        second = personal_policy_create(
            acting_user=counsellor,
            person=long_unemployed,
            situation="复查",
            measures="继续",
            review_on=D(2026, 9, 1),
        )
    assert second.number == 2


def test_the_threshold_is_a_setting(settings, long_unemployed):
    settings.STANDARD = {**settings.STANDARD, "LONG_TERM_UNEMPLOYED_MONTHS": 6}
    assert personal_policy_tasks(today=D(2025, 9, 9))["opened"] == 0
    assert personal_policy_tasks(today=D(2025, 9, 10))["opened"] == 1


def test_a_person_filed_after_crossing_gets_the_days_from_the_first_run(counsellor):
    with at("2026-04-29"):
        late = seeker(counsellor, unemployed_since=D(2024, 1, 15))
    personal_policy_tasks(today=D(2026, 4, 30))
    # Five working days from Thursday 30 April, not from the crossing in 2025: 6, 7, 8 May,
    # Saturday 9 May (a make-up workday) and Monday 11 May; the May Day break is skipped.
    item = tasks(late).get()
    assert item.due_on == D(2026, 5, 11)


def test_finding_work_cancels_the_task(long_unemployed):
    personal_policy_tasks(today=D(2026, 3, 10))
    Person.objects.filter(pk=long_unemployed.pk).update(employment_status="employed")
    assert personal_policy_tasks(today=D(2026, 3, 20)) == {"opened": 0, "cancelled": 1}
    assert tasks(long_unemployed).get().cancelled_on == D(2026, 3, 20)


def test_a_plan_from_an_earlier_spell_does_not_count(counsellor, long_unemployed):
    with at("2025-03-20"):
        personal_policy_create(
            acting_user=counsellor,
            person=long_unemployed,
            situation="x",
            measures="y",
            review_on=D(2025, 6, 1),
        )
    # Back in work, then unemployed again from 1 July 2025.
    Person.objects.filter(pk=long_unemployed.pk).update(unemployed_since=D(2025, 7, 1))
    assert personal_policy_tasks(today=D(2026, 6, 30))["opened"] == 0
    assert personal_policy_tasks(today=D(2026, 7, 1))["opened"] == 1


def test_the_list_is_scoped_and_filtered_by_unit(personas, counsellor, long_unemployed):
    today = D(2026, 4, 1)
    assert list(selectors.personal_policy_missing(user=personas["district_chengguan"], today=today)) == [
        long_unemployed
    ]
    assert not selectors.personal_policy_missing(user=personas["counsellor_jiri"], today=today).exists()
    assert not selectors.personal_policy_missing(user=counsellor, today=today, unit_code="540102003").exists()
    assert selectors.personal_policy_missing(user=counsellor, today=today, unit_code="540102002").exists()


def test_plans_are_checked(personas, counsellor, long_unemployed):
    with pytest.raises(ValidationFailed) as refused:
        personal_policy_create(
            acting_user=counsellor,
            person=long_unemployed,
            situation="x",
            measures="y",
            review_on=D(2020, 1, 1),
        )
    assert "review_on" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        personal_policy_create(
            acting_user=counsellor,
            person=long_unemployed,
            situation=" ",
            measures="y",
            review_on=D(2030, 1, 1),
        )
    assert "situation" in refused.value.errors
    for persona in ("counsellor_jiri", "district_chengguan"):
        with pytest.raises(NotAllowed):
            personal_policy_create(
                acting_user=personas[persona],
                person=long_unemployed,
                situation="x",
                measures="y",
                review_on=D(2030, 1, 1),
            )
    assert not PersonalPolicyPlan.objects.exists()


def test_the_command(long_unemployed):
    out = StringIO()
    call_command("personal_policy_tasks", "--today", "2026-03-10", stdout=out)
    assert out.getvalue().strip() == "1 opened, 0 cancelled"
