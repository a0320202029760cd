"""Writes to guidance cases (§6.1): open, move between the six steps, record each step, close.

Every move goes through `_apply_move`: it checks the move against `guidance.workflow`,
writes the state with a version check, one `CaseStep` row (by=None when the system
acts) and one audit entry, in the caller's transaction. Plans live in plan_services.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from core.scope import unit_in_scope
from guidance import workflow
from guidance.models import (
    Assessment,
    CaseOutcome,
    CaseState,
    CaseStep,
    EmploymentPlan,
    GoalAnalysis,
    GuidanceCase,
    IntakeRecord,
    PlanState,
)
from guidance.rules import MANAGE
from worklist import deadlines
from worklist.models import Kind as ItemKind
from worklist.services import item_cancel, item_open

NOTE_MAX = 500
TEXT_MAX = 5000

CASE_OPEN_ALREADY = _("This person already has an open guidance case.")
CASE_CLOSED = _("This case is closed. Open a new case for the person instead.")
UNKNOWN_STEP = _("Not one of the steps of the guidance process.")
SAME_STEP = _("The case is already at “%(step)s”.")
SKIPPED = _("The case cannot go from “%(source)s” to “%(target)s”: “%(skipped)s” comes first.")
NOT_A_MOVE = _("The case cannot go from “%(source)s” to “%(target)s”.")
NOTE_REQUIRED = _("Say why in a note.")
NOTE_TOO_LONG = _("Keep the note under 500 characters.")
OUTCOME_REQUIRED = _("Choose the outcome of the case.")
OUTCOME_ONLY_ON_CLOSE = _("An outcome is given only when the case is closed.")
NEEDS_RECORD = {
    workflow.NEEDS_INTAKE: _("Record the intake notes before going on."),
    workflow.NEEDS_ASSESSMENT: _("Record the assessment before going on."),
    workflow.NEEDS_GOALS: _("Record the goal analysis before going on."),
    workflow.NEEDS_AGREED_PLAN: _("The person must agree an employment plan before the reviews start."),
}
WRONG_STEP = _("“%(record)s” is recorded at the step “%(step)s”; the case is at “%(current)s”.")
REQUIRED = _("This field is required.")
TOO_LONG = _("Keep this under %(max)s characters.")
IN_FUTURE = _("The date cannot be in the future.")
RESULTS_NOT_OBJECT = _("Give the results as named values (a JSON object).")


def refuse(field: str, message, code: str = "validation_failed"):
    raise ValidationFailed(errors={field: [str(message)]}, code=code)


def require_manage(user, person) -> None:
    if not user.has_perm(MANAGE) or not unit_in_scope(user, person.unit):
        raise NotAllowed()


def lock(queryset):
    from django.db import connection

    if not connection.features.has_select_for_update:
        return queryset  # SQLite: IMMEDIATE transactions already serialise writers
    of = ("self",) if connection.features.has_select_for_update_of else ()
    return queryset.select_for_update(of=of)


def locked_case(case: GuidanceCase, version: int | None = None) -> GuidanceCase:
    current = lock(GuidanceCase.objects.filter(pk=case.pk)).select_related("person__unit").get()
    if version is not None and current.version != version:
        raise ConcurrentEdit()
    return current


def step_label(state: str) -> str:
    return str(CaseState(state).label) if state in CaseState.values else state


@transaction.atomic
def case_open(*, acting_user, person, counsellor=None, request=None, today=None) -> GuidanceCase:
    """Open the person's guidance case at intake (one open case per person)."""
    require_manage(acting_user, person)
    today = today or timezone.localdate()
    if GuidanceCase.objects.filter(person=person).exclude(state=CaseState.CLOSED).exists():
        refuse("person", CASE_OPEN_ALREADY, "case_open")
    try:
        with transaction.atomic():
            case = GuidanceCase.objects.create(
                person=person,
                state=CaseState.INTAKE,
                counsellor=counsellor or acting_user,
                opened_on=today,
                opened_by=acting_user,
            )
    except IntegrityError:
        refuse("person", CASE_OPEN_ALREADY, "case_open")
    CaseStep.objects.create(case=case, kind="open", from_state="", to_state=CaseState.INTAKE, by=acting_user)
    audit_change(actor=acting_user, action=Action.CREATE, instance=case, request=request)
    return case


def check_move(case: GuidanceCase, target: str) -> workflow.Move:
    """The declared move from the case's step to `target`, or a refusal naming both steps."""
    source = case.state
    if source == CaseState.CLOSED:
        refuse("target", CASE_CLOSED, "case_closed")
    if target not in CaseState.values:
        refuse("target", UNKNOWN_STEP, "invalid_transition")
    if target == source:
        refuse("target", SAME_STEP % {"step": step_label(source)}, "invalid_transition")
    move = workflow.move_for(source, target)
    if move is not None:
        return move
    names = {"source": step_label(source), "target": step_label(target)}
    skipped = workflow.skipped_step(source, target)
    if skipped:
        refuse("target", SKIPPED % {**names, "skipped": step_label(skipped)}, "invalid_transition")
    refuse("target", NOT_A_MOVE % names, "invalid_transition")


def _has_record(case: GuidanceCase, needs: str) -> bool:
    if needs == workflow.NEEDS_INTAKE:
        return case.intakes.exists()
    if needs == workflow.NEEDS_ASSESSMENT:
        return case.assessments.exists()
    if needs == workflow.NEEDS_GOALS:
        return case.goal_analyses.exists()
    if needs == workflow.NEEDS_AGREED_PLAN:
        return case.plans.filter(state=PlanState.AGREED).exists()
    return True


def apply_move(
    case: GuidanceCase,
    target: str,
    *,
    by,
    kind: str | None = None,
    note: str = "",
    request=None,
    today: datetime.date | None = None,
) -> GuidanceCase:
    """Write the move (no checks): state, one log row, one audit entry, and the re-planning
    work item (open on entering step 6, cancelled when the case goes back to the reviews
    instead; a newly agreed plan completes it). `case` is locked."""
    today = today or timezone.localdate()
    before = snapshot(case)
    previous = case.state
    case.state = target
    save_with_version(case, expected_version=case.version, fields=["state"])
    CaseStep.objects.create(
        case=case, kind=kind or "move", from_state=previous, to_state=target, by=by, note=note[:NOTE_MAX]
    )
    audit_change(
        actor=by, action=Action.UPDATE, instance=case, before=before, request=request, note=kind or ""
    )
    if target == CaseState.REPLANNING:
        item_open(
            kind=ItemKind.REPLAN,
            source=case,
            due_on=deadlines.due_date("plan_review", today, unit=case.person.unit),
            person=case.person,
            assignee=case.counsellor,
        )
    elif previous == CaseState.REPLANNING and target == CaseState.REVIEW:
        item_cancel(kind=ItemKind.REPLAN, source=case, on=today)
    return case


def close_case(
    case: GuidanceCase, *, by, outcome: str, note: str, today: datetime.date, request=None
) -> GuidanceCase:
    """Close a locked case: its plan in force is completed, a draft discarded, open items cancelled."""
    for plan in lock(EmploymentPlan.objects.filter(case=case, state__in=[PlanState.AGREED, PlanState.DRAFT])):
        state = PlanState.COMPLETED if plan.state == PlanState.AGREED else PlanState.DISCARDED
        plan.state, plan.ended_on = state, today
        save_with_version(plan, expected_version=plan.version, fields=["state", "ended_on"])
        item_cancel(kind=ItemKind.PLAN_REVIEW, source=plan, on=today)
    item_cancel(kind=ItemKind.REPLAN, source=case, on=today)
    before = snapshot(case)
    previous = case.state
    case.state, case.closed_on, case.outcome, case.outcome_note = CaseState.CLOSED, today, outcome, note[:300]
    save_with_version(
        case, expected_version=case.version, fields=["state", "closed_on", "outcome", "outcome_note"]
    )
    CaseStep.objects.create(
        case=case, kind=workflow.Kind.CLOSE, from_state=previous, to_state=CaseState.CLOSED, by=by, note=note
    )
    audit_change(actor=by, action=Action.UPDATE, instance=case, before=before, request=request, note="close")
    return case


@transaction.atomic
def case_move(
    *,
    acting_user,
    case: GuidanceCase,
    target: str,
    version: int,
    note: str = "",
    outcome: str = "",
    request=None,
    today=None,
) -> GuidanceCase:
    """Move the case: one step forward, back to any earlier step (with a note), or closed
    (with an outcome). A forward jump that skips a step is refused, naming both steps."""
    require_manage(acting_user, case.person)
    today = today or timezone.localdate()
    note = (note or "").strip()
    current = locked_case(case, version)
    move = check_move(current, target)
    if len(note) > NOTE_MAX:
        refuse("note", NOTE_TOO_LONG)
    if move.note_required and not note:
        refuse("note", NOTE_REQUIRED)
    if move.kind == workflow.Kind.CLOSE:
        if outcome not in CaseOutcome.values:
            refuse("outcome", OUTCOME_REQUIRED)
        return close_case(current, by=acting_user, outcome=outcome, note=note, today=today, request=request)
    if outcome:
        refuse("outcome", OUTCOME_ONLY_ON_CLOSE)
    if move.needs and not _has_record(current, move.needs):
        refuse("target", NEEDS_RECORD[move.needs], "step_incomplete")
    return apply_move(
        current, target, by=acting_user, kind=move.kind, note=note, request=request, today=today
    )


# --- step records ----------------------------------------------------------------------------


def _text(field: str, value: str, *, required: bool = True, maximum: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        refuse(field, REQUIRED)
    if len(value) > maximum:
        refuse(field, TOO_LONG % {"max": maximum})
    return value


def _record_date(on, today) -> datetime.date:
    on = on or today
    if on > today:
        refuse("on", IN_FUTURE)
    return on


def _at_step(case: GuidanceCase, step: str, record_label) -> None:
    if case.state == CaseState.CLOSED:
        refuse("__all__", CASE_CLOSED, "case_closed")
    if case.state != step:
        message = WRONG_STEP % {
            "record": record_label,
            "step": step_label(step),
            "current": step_label(case.state),
        }
        refuse("__all__", message, "wrong_step")


def _record(model, case, *, acting_user, step: str, on, today, request, **values):
    require_manage(acting_user, case.person)
    today = today or timezone.localdate()
    current = locked_case(case)
    _at_step(current, step, model._meta.verbose_name)
    record = model.objects.create(case=current, on=_record_date(on, today), by=acting_user, **values)
    audit_change(actor=acting_user, action=Action.CREATE, instance=record, request=request)
    return record


@transaction.atomic
def intake_record(*, acting_user, case, notes: str, on=None, request=None, today=None) -> IntakeRecord:
    notes = _text("notes", notes)
    return _record(
        IntakeRecord,
        case,
        acting_user=acting_user,
        step=CaseState.INTAKE,
        on=on,
        today=today,
        request=request,
        notes=notes,
    )


@transaction.atomic
def assessment_record(
    *, acting_user, case, instrument: str, summary: str, results=None, on=None, request=None, today=None
) -> Assessment:
    instrument = _text("instrument", instrument, maximum=100)
    summary = _text("summary", summary)
    results = {} if results is None else results
    if not isinstance(results, dict):
        refuse("results", RESULTS_NOT_OBJECT)
    return _record(
        Assessment,
        case,
        acting_user=acting_user,
        step=CaseState.ASSESSMENT,
        on=on,
        today=today,
        request=request,
        instrument=instrument,
        summary=summary,
        results=results,
    )


@transaction.atomic
def goal_analysis_record(
    *, acting_user, case, reasoning: str, goals: str, on=None, request=None, today=None
) -> GoalAnalysis:
    reasoning = _text("reasoning", reasoning)
    goals = _text("goals", goals)
    # Goal analysis is also the re-analysis of step 6.
    step = CaseState.REPLANNING if case.state == CaseState.REPLANNING else CaseState.GOAL_ANALYSIS
    return _record(
        GoalAnalysis,
        case,
        acting_user=acting_user,
        step=step,
        on=on,
        today=today,
        request=request,
        reasoning=reasoning,
        goals=goals,
    )
