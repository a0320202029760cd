"""Build guidance records in a given state in one line, through the real services."""

import datetime
import itertools

from guidance import plan_services, services
from guidance.models import CaseState, EmploymentPlan, GuidanceCase
from servicerecords.models import ServiceType
from tests.factories import person as register_person
from tests.factories import valid_id_number

_serial = itertools.count(1)


def seeker(
    user, unit_code: str = "540102002", birth: str = "19980214", sequence: int | None = None, **values
):
    """An unemployed person filed at the unit, born on `birth` (YYYYMMDD), with a unique ID number
    (or the one of `sequence`, for output that must not depend on the order tests run in)."""
    n = next(_serial) if sequence is None else sequence
    values.setdefault("employment_status", "unemployed")
    values.setdefault("unemployed_since", datetime.date(2026, 6, 1))
    return register_person(
        user=user, unit_code=unit_code, id_number=valid_id_number(birth=birth, sequence=n), **values
    )


def fresh(case: GuidanceCase) -> GuidanceCase:
    return GuidanceCase.objects.get(pk=case.pk)


def move(user, case: GuidanceCase, target: str, note: str = "", **kwargs) -> GuidanceCase:
    return services.case_move(
        acting_user=user, case=fresh(case), target=target, version=fresh(case).version, note=note, **kwargs
    )


def record_step(user, case: GuidanceCase) -> None:
    """The record the case's current step needs before it may go on."""
    state = fresh(case).state
    if state == CaseState.INTAKE:
        services.intake_record(acting_user=user, case=case, notes="来站咨询，想找厨房工作。")
    elif state == CaseState.ASSESSMENT:
        services.assessment_record(
            acting_user=user,
            case=case,
            instrument="面谈",
            summary="动手能力强，普通话一般。",
            results={"兴趣": "动手型"},
        )
    elif state in (CaseState.GOAL_ANALYSIS, CaseState.REPLANNING):
        services.goal_analysis_record(
            acting_user=user,
            case=case,
            reasoning="有烹饪经验，城关区餐饮岗位多。",
            goals="三个月内在餐饮业就业",
        )


def service_type(code: str = "job_recommendation") -> ServiceType:
    return ServiceType.objects.get_or_create(
        code=code,
        defaults={"name_zh": "岗位推荐", "name_bo": "ལས་གནས་འོས་སྦྱོར།", "name_en": "Job recommendation"},
    )[0]


def draft_plan(user, case: GuidanceCase, *, actions: int = 2, today=None) -> EmploymentPlan:
    plan = plan_services.plan_create(acting_user=user, case=fresh(case), today=today)
    start = plan.valid_from
    for i in range(actions):
        plan_services.plan_action_add(
            acting_user=user,
            plan=plan,
            description=f"参加招聘会 {i + 1}",
            due_on=start + datetime.timedelta(days=14 * (i + 1)),
            service_type=service_type() if i == 0 else None,
        )
    return EmploymentPlan.objects.get(pk=plan.pk)


def agree(user, plan: EmploymentPlan, on=None, today=None) -> EmploymentPlan:
    plan = EmploymentPlan.objects.get(pk=plan.pk)
    return plan_services.plan_agree(
        acting_user=user, plan=plan, version=plan.version, agreed_on=on, today=today
    )


def case_at(user, state: str, person=None, today=None) -> GuidanceCase:
    """A case walked forward to `state` (REVIEW: with an agreed plan; REPLANNING: after a review
    that decided to re-plan)."""
    person = person or seeker(user)
    case = services.case_open(acting_user=user, person=person, today=today)
    path = [CaseState.ASSESSMENT, CaseState.GOAL_ANALYSIS, CaseState.PLANNING]
    for target in path:
        if fresh(case).state == state:
            return fresh(case)
        record_step(user, case)
        move(user, case, target, today=today)
    if state == CaseState.PLANNING:
        return fresh(case)
    agree(user, draft_plan(user, case, today=today), today=today)
    if state == CaseState.REVIEW:
        return fresh(case)
    assert state == CaseState.REPLANNING, state
    move(user, case, CaseState.REPLANNING, note="目标需要调整", today=today)
    return fresh(case)
