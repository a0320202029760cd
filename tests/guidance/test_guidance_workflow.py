"""The six-step state machine (§6.1): every legal move, every revisit, illegal jumps refused
with a message naming both steps, closing, and who may move a case."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from audit.models import AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from guidance import services, workflow
from guidance.models import CaseOutcome, CaseState, CaseStep, GuidanceCase
from tests.guidance.guidance_builders import case_at, fresh, move, record_step, seeker

S = CaseState


def _refusal(excinfo, field: str = "target") -> str:
    return excinfo.value.errors[field][0]


def test_the_six_steps_in_order():
    assert workflow.STEPS == (
        S.INTAKE,
        S.ASSESSMENT,
        S.GOAL_ANALYSIS,
        S.PLANNING,
        S.REVIEW,
        S.REPLANNING,
    )
    assert [workflow.step_number(s) for s in workflow.STEPS] == [1, 2, 3, 4, 5, 6]
    assert workflow.step_number(S.CLOSED) == 0


def test_moves_are_data_forward_revisit_and_close():
    forward = {(m.source, m.target) for m in workflow.FORWARD_MOVES}
    assert forward == {
        (S.INTAKE, S.ASSESSMENT),
        (S.ASSESSMENT, S.GOAL_ANALYSIS),
        (S.GOAL_ANALYSIS, S.PLANNING),
        (S.PLANNING, S.REVIEW),
        (S.REVIEW, S.REPLANNING),
        (S.REPLANNING, S.PLANNING),
    }
    revisits = {(m.source, m.target) for m in workflow.REVISIT_MOVES}
    # Every earlier step from every step, except re-planning → plan, which is the cycle going on.
    expected = {
        (source, target)
        for i, source in enumerate(workflow.STEPS)
        for target in workflow.STEPS[:i]
        if (source, target) != (S.REPLANNING, S.PLANNING)
    }
    assert revisits == expected
    assert all(m.note_required for m in workflow.REVISIT_MOVES)
    assert {m.source for m in workflow.CLOSE_MOVES} == set(workflow.STEPS)


@pytest.mark.parametrize("move_", workflow.FORWARD_MOVES, ids=lambda m: f"{m.source}-{m.target}")
def test_every_forward_move(counsellor, today, move_):
    case = case_at(counsellor, move_.source)
    record_step(counsellor, case)
    if move_.target == S.REVIEW:
        # planning → review needs a plan in force: a case sent back to planning after agreeing one.
        case = case_at(counsellor, S.REVIEW)
        move(counsellor, case, S.PLANNING, note="再看一下计划")
    note = "审核后需要重新规划" if move_.note_required else ""
    before = CaseStep.objects.filter(case=case).count()
    moved = move(counsellor, case, move_.target, note=note)
    assert moved.state == move_.target
    log = CaseStep.objects.filter(case=case).order_by("-at", "-id").first()
    assert CaseStep.objects.filter(case=case).count() == before + 1
    assert (log.from_state, log.to_state, log.by, log.kind, log.note) == (
        move_.source,
        move_.target,
        counsellor,
        "forward",
        note,
    )
    assert AuditEntry.objects.filter(object_type="guidance.guidancecase", object_id=str(case.pk)).exists()


@pytest.mark.parametrize("move_", workflow.REVISIT_MOVES, ids=lambda m: f"{m.source}-{m.target}")
def test_every_revisit_needs_a_note_and_is_logged(counsellor, today, move_):
    case = case_at(counsellor, move_.source)
    with pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, move_.target)
    assert refused.value.errors["note"] == [str(services.NOTE_REQUIRED)]
    assert fresh(case).state == move_.source
    moved = move(counsellor, case, move_.target, note="情况有变，重新了解")
    assert moved.state == move_.target
    log = CaseStep.objects.filter(case=case).order_by("-id").first()
    assert (log.kind, log.from_state, log.to_state, log.note) == (
        "revisit",
        move_.source,
        move_.target,
        "情况有变，重新了解",
    )


def test_a_revisited_step_is_done_again_and_the_case_goes_on(counsellor, today):
    case = case_at(counsellor, S.REVIEW)
    move(counsellor, case, S.ASSESSMENT, note="重新评估")
    record_step(counsellor, case)
    assert case.assessments.count() == 2  # the first one is kept
    move(counsellor, case, S.GOAL_ANALYSIS)
    move(counsellor, case, S.PLANNING)
    # The plan agreed before is still in force, so the reviews may resume.
    assert move(counsellor, case, S.REVIEW).state == S.REVIEW


ILLEGAL = sorted(
    (source, target)
    for source in workflow.STEPS
    for target in workflow.STEPS
    if source != target and workflow.move_for(source, target) is None
)


def test_the_illegal_pairs_are_the_forward_jumps():
    assert ILLEGAL
    assert all(workflow.STEPS.index(t) > workflow.STEPS.index(s) for s, t in ILLEGAL)
    assert (
        len(ILLEGAL) == 15 - 5
    )  # 15 forward pairs, 5 of them single steps (re-planning → plan is backwards)


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_forward_jump_is_refused_naming_both_steps(counsellor, today, source, target):
    case = case_at(counsellor, source)
    record_step(counsellor, case)
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, target, note="跳过")
    assert refused.value.code == "invalid_transition"
    skipped = workflow.STEPS[workflow.STEPS.index(source) + 1]
    with translation.override("en"):
        expected = (
            f"The case cannot go from “{S(source).label}” to “{S(target).label}”: "
            f"“{S(skipped).label}” comes first."
        )
        assert _refusal(refused) == expected
    assert fresh(case).state == source


def test_the_refusal_names_the_steps_in_the_users_language(counsellor, today):
    case = case_at(counsellor, S.INTAKE)
    for language in ("zh-hans", "bo", "en"):
        with translation.override(language), pytest.raises(ValidationFailed) as refused:
            move(counsellor, case, S.GOAL_ANALYSIS)
        with translation.override(language):
            message = _refusal(refused)
            for step in (S.INTAKE, S.GOAL_ANALYSIS, S.ASSESSMENT):
                assert f"“{S(step).label}”" in message


def test_staying_put_and_unknown_steps_are_refused(counsellor, today):
    case = case_at(counsellor, S.ASSESSMENT)
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, S.ASSESSMENT)
    assert _refusal(refused) == "The case is already at “Assessment”."
    with pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, "hired")
    assert refused.value.code == "invalid_transition"


@pytest.mark.parametrize(
    ("source", "needs"),
    [(S.INTAKE, "intake"), (S.ASSESSMENT, "assessment"), (S.GOAL_ANALYSIS, "goal analysis")],
)
def test_a_step_is_left_forwards_only_with_its_record(counsellor, today, source, needs):
    case = case_at(counsellor, source)
    target = workflow.STEPS[workflow.STEPS.index(source) + 1]
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, target)
    assert refused.value.code == "step_incomplete"
    with translation.override("en"):
        assert needs in _refusal(refused)


def test_reviews_start_only_with_a_plan_in_force(counsellor, today):
    case = case_at(counsellor, S.PLANNING)
    with pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, S.REVIEW)
    assert refused.value.code == "step_incomplete"


@pytest.mark.parametrize("source", workflow.STEPS)
def test_a_case_closes_from_every_step_with_an_outcome(counsellor, today, source):
    case = case_at(counsellor, source)
    with pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, S.CLOSED)
    assert "outcome" in refused.value.errors
    closed = move(counsellor, case, S.CLOSED, outcome=CaseOutcome.MOVED_AWAY, note="搬到日喀则")
    assert (closed.state, closed.closed_on, closed.outcome) == (S.CLOSED, today, "moved_away")
    with pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, S.INTAKE, note="重新开始")
    assert refused.value.code == "case_closed"
    # A closed case makes room for a new one.
    assert services.case_open(acting_user=counsellor, person=case.person).state == S.INTAKE


def test_an_outcome_is_only_for_closing(counsellor, today):
    case = case_at(counsellor, S.INTAKE)
    record_step(counsellor, case)
    with pytest.raises(ValidationFailed) as refused:
        move(counsellor, case, S.ASSESSMENT, outcome="employed")
    assert "outcome" in refused.value.errors


def test_one_open_case_per_person(counsellor, today):
    person = seeker(counsellor)
    services.case_open(acting_user=counsellor, person=person)
    with pytest.raises(ValidationFailed) as refused:
        services.case_open(acting_user=counsellor, person=person)
    assert refused.value.code == "case_open"
    with pytest.raises(IntegrityError), transaction.atomic():
        GuidanceCase.objects.create(person=person, opened_on=today, opened_by=counsellor)


def test_opening_logs_the_first_step(counsellor, today):
    case = services.case_open(acting_user=counsellor, person=seeker(counsellor))
    log = CaseStep.objects.get(case=case)
    assert (log.kind, log.from_state, log.to_state, log.by) == ("open", "", S.INTAKE, counsellor)
    assert case.counsellor == counsellor and case.opened_on == today


def test_a_stale_version_is_refused(counsellor, today):
    case = case_at(counsellor, S.INTAKE)
    record_step(counsellor, case)
    stale = fresh(case).version
    move(counsellor, case, S.ASSESSMENT)
    with pytest.raises(ConcurrentEdit):
        services.case_move(acting_user=counsellor, case=fresh(case), target=S.GOAL_ANALYSIS, version=stale)


@pytest.mark.parametrize("persona", ["counsellor_jiri", "district_chengguan", "city", "sysadmin"])
def test_only_front_line_staff_of_the_area_move_a_case(personas, counsellor, today, persona):
    case = case_at(counsellor, S.INTAKE)
    record_step(counsellor, case)
    with pytest.raises(NotAllowed):
        move(personas[persona], case, S.ASSESSMENT)
    with pytest.raises(NotAllowed):
        services.case_open(acting_user=personas[persona], person=seeker(counsellor))


def test_the_station_head_may_move_a_case(head, counsellor, today):
    case = case_at(counsellor, S.INTAKE)
    record_step(head, case)
    assert move(head, case, S.ASSESSMENT).state == S.ASSESSMENT


def test_step_records_are_kept_only_at_their_step(counsellor, today):
    case = case_at(counsellor, S.ASSESSMENT)
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        services.intake_record(acting_user=counsellor, case=case, notes="补记")
    assert refused.value.code == "wrong_step"
    with pytest.raises(ValidationFailed) as refused:
        services.assessment_record(acting_user=counsellor, case=case, instrument="", summary="x")
    assert "instrument" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        services.assessment_record(
            acting_user=counsellor, case=case, instrument="量表", summary="x", results=[1]
        )
    assert "results" in refused.value.errors
    record = services.assessment_record(
        acting_user=counsellor,
        case=case,
        instrument="霍兰德兴趣量表",
        summary="现实型",
        results={"R": 42, "I": 18},
    )
    assert (record.results, record.by, record.on) == ({"R": 42, "I": 18}, counsellor, today)


def test_goal_analysis_is_also_the_re_analysis_of_step_six(counsellor, today):
    case = case_at(counsellor, S.REPLANNING)
    before = case.goal_analyses.count()
    services.goal_analysis_record(
        acting_user=counsellor, case=case, reasoning="市场变化", goals="转向旅游服务业"
    )
    assert case.goal_analyses.count() == before + 1
