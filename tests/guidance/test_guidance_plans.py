"""Employment plans (§6.1 steps 4–6): drafts, agreement, read-only versions, adjustment to the
next version, the one-current-plan constraint, reviews scheduled through the calendar and
mirrored as work items, and the nightly expiry into re-planning."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from guidance import plan_services
from guidance.models import CaseState, CaseStep, EmploymentPlan, PlanAction, PlanState, ReviewDecision
from people.models import Person
from tests.guidance.conftest import at
from tests.guidance.guidance_builders import agree, case_at, draft_plan, fresh, move, seeker
from worklist import deadlines
from worklist.models import Kind, WorkItem

S = CaseState


def plan_of(plan) -> EmploymentPlan:
    return EmploymentPlan.objects.get(pk=plan.pk)


def items(kind, source):
    return WorkItem.objects.filter(
        kind=kind, source_type=source._meta.label_lower, source_id=source.pk
    ).order_by("id")


def review(user, plan, decision=ReviewDecision.CONTINUE, on=None, notes="按计划推进", today=None):
    plan = plan_of(plan)
    return plan_services.plan_review_record(
        acting_user=user, plan=plan, version=plan.version, notes=notes, decision=decision, on=on, today=today
    )


# --- drafting -----------------------------------------------------------------------------------


def test_a_draft_takes_its_terms_from_the_settings_and_its_goals_from_the_analysis(
    counsellor, today, settings
):
    settings.CASE_MANAGEMENT = {**settings.CASE_MANAGEMENT, "PLAN_VALID_MONTHS": 4, "PLAN_REVIEW_DAYS": 21}
    case = case_at(counsellor, S.PLANNING)
    plan = plan_services.plan_create(acting_user=counsellor, case=case)
    assert (plan.number, plan.state, plan.previous) == (1, PlanState.DRAFT, None)
    assert (plan.valid_from, plan.valid_until) == (today, datetime.date(2027, 3, 25))
    assert plan.review_every_days == 21
    assert plan.goals == case.goal_analyses.first().goals
    assert plan.next_review_due is None and not plan.agreed


def test_a_plan_is_drawn_up_at_step_four_only(counsellor, today):
    case = case_at(counsellor, S.GOAL_ANALYSIS)
    with pytest.raises(ValidationFailed) as refused:
        plan_services.plan_create(acting_user=counsellor, case=case)
    assert refused.value.code == "wrong_step"


def test_terms_are_checked(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    with pytest.raises(ValidationFailed) as refused:
        plan_services.plan_create(
            acting_user=counsellor,
            case=case,
            valid_from=today,
            valid_until=today - datetime.timedelta(days=1),
        )
    assert "valid_until" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        plan_services.plan_create(acting_user=counsellor, case=case, review_every_days=400)
    assert "review_every_days" in refused.value.errors


def test_a_draft_is_edited_with_a_version_check(counsellor, today):
    plan = draft_plan(counsellor, case_at(counsellor, S.PLANNING))
    updated = plan_services.plan_update(
        acting_user=counsellor,
        plan=plan,
        version=plan.version,
        goals="两个月内到酒店就业",
        valid_from=today,
        valid_until=today + datetime.timedelta(days=60),
        review_every_days=14,
    )
    assert (updated.goals, updated.review_every_days) == ("两个月内到酒店就业", 14)
    with pytest.raises(ConcurrentEdit):
        plan_services.plan_update(
            acting_user=counsellor,
            plan=plan,
            version=plan.version,
            goals="x",
            valid_from=today,
            valid_until=today,
            review_every_days=14,
        )


def test_the_person_agrees_a_plan_with_actions_only(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    empty = plan_services.plan_create(acting_user=counsellor, case=case)
    with pytest.raises(ValidationFailed) as refused:
        agree(counsellor, empty)
    assert refused.value.code == "plan_without_actions"
    plan_services.plan_action_add(acting_user=counsellor, plan=empty, description="求职登记", due_on=today)
    with pytest.raises(ValidationFailed) as refused:
        agree(counsellor, empty, on=today + datetime.timedelta(days=1))
    assert "agreed_on" in refused.value.errors
    assert plan_of(empty).state == PlanState.DRAFT


# --- agreement, read-only, review scheduling -------------------------------------------------------


def test_agreeing_puts_the_plan_in_force_schedules_the_review_and_starts_step_five(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    plan = agree(counsellor, draft_plan(counsellor, case))
    assert (plan.state, plan.agreed, plan.agreed_on, plan.recorded_by) == (
        PlanState.AGREED,
        True,
        today,
        counsellor,
    )
    # 30 calendar days (PLAN_REVIEW_DAYS) after the agreement.
    assert plan.next_review_due == datetime.date(2026, 12, 25)
    item = items(Kind.PLAN_REVIEW, plan).get()
    assert (item.due_on, item.done_on, item.person, item.assignee, item.unit) == (
        datetime.date(2026, 12, 25),
        None,
        case.person,
        counsellor,
        case.person.unit,
    )
    assert fresh(case).state == S.REVIEW
    log = CaseStep.objects.filter(case=case).order_by("-id").first()
    assert (log.kind, log.from_state, log.to_state) == ("plan_agreed", S.PLANNING, S.REVIEW)


def test_an_agreed_plan_is_read_only(counsellor, today):
    plan = agree(counsellor, draft_plan(counsellor, case_at(counsellor, S.PLANNING)))
    plan = plan_of(plan)
    with pytest.raises(ValidationFailed) as refused:
        plan_services.plan_update(
            acting_user=counsellor,
            plan=plan,
            version=plan.version,
            goals="改目标",
            valid_from=plan.valid_from,
            valid_until=plan.valid_until,
            review_every_days=10,
        )
    assert refused.value.code == "plan_read_only"
    with pytest.raises(ValidationFailed) as refused:
        plan_services.plan_action_add(acting_user=counsellor, plan=plan, description="新行动", due_on=today)
    assert refused.value.code == "plan_read_only"
    with pytest.raises(ValidationFailed):
        plan_services.plan_action_remove(acting_user=counsellor, action=plan.actions.first())
    with pytest.raises(ValidationFailed):
        plan_services.plan_discard(acting_user=counsellor, plan=plan, version=plan.version)
    assert plan_of(plan).goals == plan.goals and plan.actions.count() == 2
    # Progress is not a change of terms: an action of the plan in force may be marked done.
    done = plan_services.plan_action_done(acting_user=counsellor, action=plan.actions.first(), done_on=today)
    assert done.done_on == today


def test_adjusting_copies_to_the_next_version_and_agreeing_it_supersedes_the_old(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    v1 = agree(counsellor, draft_plan(counsellor, case))
    v2 = plan_services.plan_adjust(acting_user=counsellor, plan=plan_of(v1))
    assert (v2.number, v2.state, v2.previous_id, v2.goals) == (2, PlanState.DRAFT, v1.pk, v1.goals)
    assert list(v2.actions.values_list("description", "due_on", "service_type")) == list(
        v1.actions.values_list("description", "due_on", "service_type")
    )
    # The old version stays in force (and keeps its review) until the new one is agreed.
    assert plan_of(v1).state == PlanState.AGREED
    with pytest.raises(ValidationFailed) as refused:
        plan_services.plan_adjust(acting_user=counsellor, plan=plan_of(v1))
    assert refused.value.code == "draft_exists"
    plan_services.plan_action_add(acting_user=counsellor, plan=v2, description="参加厨师培训", due_on=today)
    with at("2026-12-02"):
        v2 = agree(counsellor, v2)
    v1 = plan_of(v1)
    assert (v1.state, v1.ended_on) == (PlanState.SUPERSEDED, datetime.date(2026, 12, 2))
    assert v2.state == PlanState.AGREED and v2.actions.count() == 3
    assert items(Kind.PLAN_REVIEW, v1).get().cancelled_on == datetime.date(2026, 12, 2)
    assert items(Kind.PLAN_REVIEW, v2).get().due_on == datetime.date(2027, 1, 1)
    assert fresh(case).state == S.REVIEW
    assert (
        EmploymentPlan.objects.filter(case=case, state__in=[PlanState.DRAFT, PlanState.AGREED]).count() == 1
    )


@pytest.mark.parametrize("state", [PlanState.DRAFT, PlanState.AGREED])
def test_the_database_keeps_one_current_plan_of_each_kind_per_case(counsellor, today, state):
    case = case_at(counsellor, S.PLANNING)
    first = draft_plan(counsellor, case)
    if state == PlanState.AGREED:
        agree(counsellor, first)
    values = {
        "case": case,
        "goals": "x",
        "valid_from": today,
        "valid_until": today,
        "review_every_days": 30,
        "created_by": counsellor,
        "state": state,
        "agreed": state == PlanState.AGREED,
        "agreed_on": today if state == PlanState.AGREED else None,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentPlan.objects.create(number=9, **values)
    # Ended versions are not limited.
    EmploymentPlan.objects.create(
        number=10, **{**values, "state": PlanState.SUPERSEDED, "agreed": True, "agreed_on": today}
    )
    EmploymentPlan.objects.create(
        number=11, **{**values, "state": PlanState.SUPERSEDED, "agreed": True, "agreed_on": today}
    )


def test_the_database_refuses_an_agreed_plan_without_the_agreement(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmploymentPlan.objects.create(
            case=case,
            number=1,
            goals="x",
            valid_from=today,
            valid_until=today,
            review_every_days=30,
            created_by=counsellor,
            state=PlanState.AGREED,
        )


def test_a_second_draft_is_refused_by_the_service(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    draft_plan(counsellor, case)
    with pytest.raises(ValidationFailed) as refused:
        plan_services.plan_create(acting_user=counsellor, case=case)
    assert refused.value.code == "draft_exists"


def test_a_review_schedules_the_next_one_and_moves_the_work_item(counsellor, today):
    plan = agree(counsellor, draft_plan(counsellor, case_at(counsellor, S.PLANNING)))
    with at("2026-12-20"):
        review(counsellor, plan, on=datetime.date(2026, 12, 18))
    plan = plan_of(plan)
    assert plan.next_review_due == datetime.date(2027, 1, 17)  # the review + 30 days, not the agreement + 60
    first, second = items(Kind.PLAN_REVIEW, plan)
    assert (first.due_on, first.done_on) == (datetime.date(2026, 12, 25), datetime.date(2026, 12, 18))
    assert (second.due_on, second.done_on) == (datetime.date(2027, 1, 17), None)
    assert plan.reviews.get().by == counsellor


def test_in_working_day_mode_the_review_follows_the_lhasa_calendar(counsellor, monkeypatch):
    """Three working days after Thursday 12 February 2026: Friday the 13th, Saturday the 14th
    (a make-up workday), then the Spring Festival and Losar break until Friday the 27th."""
    monkeypatch.setattr(
        deadlines, "rule", lambda name: deadlines.Rule(3, True) if name == "plan_review" else None
    )
    with at("2026-02-12"):
        case = case_at(counsellor, S.PLANNING)
        draft = draft_plan(counsellor, case)
        plan_services.plan_update(
            acting_user=counsellor,
            plan=draft,
            version=draft.version,
            goals=draft.goals,
            valid_from=draft.valid_from,
            valid_until=draft.valid_until,
            review_every_days=3,
        )
        plan = agree(counsellor, draft)
    assert plan.next_review_due == datetime.date(2026, 2, 27)
    assert items(Kind.PLAN_REVIEW, plan).get().due_on == datetime.date(2026, 2, 27)


def test_reviews_are_checked(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    draft = draft_plan(counsellor, case)
    with pytest.raises(ValidationFailed) as refused:
        review(counsellor, draft)
    assert refused.value.code == "plan_not_in_force"
    plan = agree(counsellor, draft)
    for kwargs, field in (
        ({"on": today + datetime.timedelta(days=1)}, "on"),
        ({"on": today - datetime.timedelta(days=1)}, "on"),
        ({"decision": "maybe"}, "decision"),
        ({"notes": " "}, "notes"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            review(counsellor, plan, **kwargs)
        assert field in refused.value.errors


def test_a_review_that_adjusts_draws_up_the_next_version(counsellor, today):
    plan = agree(counsellor, draft_plan(counsellor, case_at(counsellor, S.PLANNING)))
    review(counsellor, plan, decision=ReviewDecision.ADJUST)
    draft = EmploymentPlan.objects.get(case=plan.case, state=PlanState.DRAFT)
    assert (draft.number, draft.previous_id) == (2, plan.pk)
    assert plan_of(plan).state == PlanState.AGREED


def test_a_review_that_re_plans_sends_the_case_to_step_six_with_a_work_item(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    plan = agree(counsellor, draft_plan(counsellor, case))
    review(counsellor, plan, decision=ReviewDecision.REPLAN, notes="目标岗位没有空缺")
    case = fresh(case)
    assert case.state == S.REPLANNING
    log = CaseStep.objects.filter(case=case).order_by("-id").first()
    assert (log.kind, log.note) == ("review_replan", "目标岗位没有空缺")
    item = items(Kind.REPLAN, case).get()
    assert item.due_on == deadlines.due_date("plan_review", today) == datetime.date(2026, 12, 25)
    # Re-analysis, then a new version agreed: the re-planning is done.
    move(counsellor, case, S.PLANNING)
    with at("2026-11-30"):
        v2 = agree(counsellor, draft_plan(counsellor, case))
    assert v2.number == 2 and plan_of(plan).state == PlanState.SUPERSEDED
    assert items(Kind.REPLAN, case).get().done_on == datetime.date(2026, 11, 30)
    assert fresh(case).state == S.REVIEW


def test_going_back_from_re_planning_to_the_reviews_cancels_the_work_item(counsellor, today):
    case = case_at(counsellor, S.REPLANNING)
    move(counsellor, case, S.REVIEW, note="计划仍然可行")
    assert items(Kind.REPLAN, case).get().cancelled_on == today


def test_closing_a_case_ends_its_plans_and_items(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    v1 = agree(counsellor, draft_plan(counsellor, case))
    v2 = plan_services.plan_adjust(acting_user=counsellor, plan=plan_of(v1))
    move(counsellor, case, S.CLOSED, outcome="employed", note="在餐厅就业")
    assert (plan_of(v1).state, plan_of(v2).state) == (PlanState.COMPLETED, PlanState.DISCARDED)
    assert items(Kind.PLAN_REVIEW, v1).get().cancelled_on == today


def test_a_draft_may_be_discarded_and_its_actions_removed(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    draft = draft_plan(counsellor, case)
    plan_services.plan_action_remove(acting_user=counsellor, action=draft.actions.first())
    assert PlanAction.objects.filter(plan=draft).count() == 1
    discarded = plan_services.plan_discard(acting_user=counsellor, plan=draft, version=plan_of(draft).version)
    assert discarded.state == PlanState.DISCARDED
    assert plan_services.plan_create(acting_user=counsellor, case=case).number == 2


@pytest.mark.parametrize("persona", ["counsellor_jiri", "district_chengguan", "auditadmin"])
def test_only_front_line_staff_of_the_area_write_plans(personas, counsellor, today, persona):
    case = case_at(counsellor, S.PLANNING)
    draft = draft_plan(counsellor, case)
    user = personas[persona]
    with pytest.raises(NotAllowed):
        plan_services.plan_create(acting_user=user, case=case)
    with pytest.raises(NotAllowed):
        agree(user, draft)


# --- the nightly expiry ----------------------------------------------------------------------------


def _agreed_until(counsellor, until: datetime.date, **person_values):
    case = case_at(counsellor, S.PLANNING, person=seeker(counsellor, **person_values))
    draft = draft_plan(counsellor, case)
    draft = plan_services.plan_update(
        acting_user=counsellor,
        plan=draft,
        version=draft.version,
        goals=draft.goals,
        valid_from=draft.valid_from,
        valid_until=until,
        review_every_days=30,
    )
    return agree(counsellor, draft)


def test_an_expired_plan_sends_the_case_to_re_planning(counsellor, today):
    plan = _agreed_until(counsellor, datetime.date(2026, 12, 31))
    on_last_day = plan_services.expire_plans(today=datetime.date(2026, 12, 31))
    assert on_last_day == {"expired": 0, "completed": 0}
    counts = plan_services.expire_plans(today=datetime.date(2027, 1, 1))
    assert counts == {"expired": 1, "completed": 0}
    plan = plan_of(plan)
    assert (plan.state, plan.ended_on) == (PlanState.EXPIRED, datetime.date(2026, 12, 31))
    case = fresh(plan.case)
    assert case.state == S.REPLANNING
    log = CaseStep.objects.filter(case=case).order_by("-id").first()
    assert (log.kind, log.by, log.from_state) == ("plan_expired", None, S.REVIEW)
    item = items(Kind.REPLAN, case).get()
    assert (item.due_on, item.assignee) == (datetime.date(2027, 1, 31), counsellor)
    assert items(Kind.PLAN_REVIEW, plan).get().cancelled_on == datetime.date(2026, 12, 31)
    # Running it again changes nothing.
    assert plan_services.expire_plans(today=datetime.date(2027, 1, 2)) == {"expired": 0, "completed": 0}
    assert items(Kind.REPLAN, case).count() == 1


def test_a_plan_that_ends_with_the_person_in_work_is_completed_and_the_case_closed(counsellor, today):
    plan = _agreed_until(counsellor, datetime.date(2026, 12, 31))
    Person.objects.filter(pk=plan.case.person_id).update(employment_status="employed")
    assert plan_services.expire_plans(today=datetime.date(2027, 1, 1)) == {"expired": 0, "completed": 1}
    assert plan_of(plan).state == PlanState.COMPLETED
    case = fresh(plan.case)
    assert (case.state, case.outcome, case.closed_on) == (S.CLOSED, "employed", datetime.date(2027, 1, 1))
    assert not WorkItem.objects.filter(person=case.person, done_on__isnull=True, cancelled_on__isnull=True)


def test_the_command_expires_plans(counsellor, today):
    from io import StringIO

    from django.core.management import call_command

    plan = _agreed_until(counsellor, datetime.date(2026, 12, 31))
    out = StringIO()
    call_command("expire_plans", "--today", "2027-01-05", stdout=out)
    assert "1 expired" in out.getvalue()
    assert plan_of(plan).state == PlanState.EXPIRED
