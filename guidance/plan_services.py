"""Writes to employment plans (§6.1 steps 4–6): draft, edit, agree, adjust, review, expire.

An agreed plan is read-only: an adjustment is a copy drawn up as the next version, and
the old version is superseded only when the person agrees the new one. The next review
date is stored on the plan (worklist.deadlines, from the agreement or the last review)
and mirrored as a PLAN_REVIEW work item; an expired plan sends the case to re-planning
with a REPLAN item.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import audit_change, snapshot
from core.concurrency import save_with_version
from core.errors import ConcurrentEdit
from guidance import services as cases
from guidance.models import (
    CaseOutcome,
    CaseState,
    EmploymentPlan,
    GuidanceCase,
    PlanAction,
    PlanReview,
    PlanState,
    ReviewDecision,
)
from people.choices import WORKING_STATUSES
from worklist import deadlines
from worklist.models import Kind as ItemKind
from worklist.services import item_cancel, item_done, item_open

refuse = cases.refuse

READ_ONLY = _("An agreed plan is read-only. Adjust it to draw up a new version.")
NOT_AGREED = _("Only the plan in force can be reviewed or adjusted.")
DRAFT_EXISTS = _("Version %(number)s is already being drawn up as a draft.")
PLAN_AT_STEP = _("A new plan is drawn up at the step “%(step)s”; the case is at “%(current)s”.")
AGREE_AT_STEP = _(
    "A plan is agreed at the steps “%(planning)s” or “%(review)s”; the case is at “%(current)s”."
)
NO_ACTIONS = _("Add at least one action before the person agrees the plan.")
UNTIL_BEFORE_FROM = _("The plan must end on or after the day it starts.")
AGREED_IN_FUTURE = _("The agreement date cannot be in the future.")
REVIEW_BEFORE_AGREEMENT = _("A review cannot be dated before the plan was agreed.")
RHYTHM_RANGE = _("Give a number of days from 1 to 366.")
DECISION_REQUIRED = _("Choose a decision.")
ACTION_DONE_BEFORE = _("An action cannot be done before the plan was drawn up.")
# Stored in the step log (data, not interface text).
EXPIRED_NOTE = "plan v{number} expired on {until}"
EMPLOYED_NOTE = "plan v{number} ended with the person employed"

RHYTHM_MAX = 366


def _require(plan: EmploymentPlan, user) -> None:
    cases.require_manage(user, plan.case.person)


def _locked_plan(plan: EmploymentPlan, version: int | None = None) -> EmploymentPlan:
    current = cases.lock(EmploymentPlan.objects.filter(pk=plan.pk)).select_related("case__person__unit").get()
    if version is not None and current.version != version:
        raise ConcurrentEdit()
    return current


def _check_open(case: GuidanceCase) -> None:
    if case.state == CaseState.CLOSED:
        refuse("__all__", cases.CASE_CLOSED, "case_closed")


def _check_draft(plan: EmploymentPlan) -> None:
    if plan.state != PlanState.DRAFT:
        refuse("__all__", READ_ONLY, "plan_read_only")


def default_valid_until(valid_from: datetime.date) -> datetime.date:
    return valid_from + relativedelta(months=settings.CASE_MANAGEMENT["PLAN_VALID_MONTHS"])


def next_review_due(plan: EmploymentPlan, start: datetime.date) -> datetime.date:
    """The last review (or the agreement) plus the plan's rhythm, through the deadline rules."""
    rule = deadlines.rule("plan_review")
    return deadlines.add_days(
        start, plan.review_every_days, working_days=rule.working_days, unit=plan.case.person.unit
    )


def _validate_terms(valid_from, valid_until, review_every_days) -> None:
    if valid_until < valid_from:
        refuse("valid_until", UNTIL_BEFORE_FROM)
    if not 1 <= review_every_days <= RHYTHM_MAX:
        refuse("review_every_days", RHYTHM_RANGE)


def _next_number(case: GuidanceCase) -> int:
    return (case.plans.aggregate(top=Max("number"))["top"] or 0) + 1


def _draft_of(case: GuidanceCase) -> EmploymentPlan | None:
    return case.plans.filter(state=PlanState.DRAFT).first()


def _refuse_second_draft(case: GuidanceCase) -> None:
    draft = _draft_of(case)
    if draft is not None:
        refuse("__all__", DRAFT_EXISTS % {"number": draft.number}, "draft_exists")


def _create(case, *, by, previous, goals, valid_from, valid_until, review_every_days) -> EmploymentPlan:
    try:
        with transaction.atomic():
            return EmploymentPlan.objects.create(
                case=case,
                number=_next_number(case),
                previous=previous,
                goals=goals,
                valid_from=valid_from,
                valid_until=valid_until,
                review_every_days=review_every_days,
                created_by=by,
            )
    except IntegrityError:
        # Another draft (or number) appeared meanwhile: ask the user to look again.
        raise ConcurrentEdit() from None


@transaction.atomic
def plan_create(
    *,
    acting_user,
    case: GuidanceCase,
    goals: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    review_every_days: int | None = None,
    request=None,
    today=None,
) -> EmploymentPlan:
    """A new plan version as a draft, at step 4. Goals default to the latest goal analysis,
    the terms to the settings (PLAN_VALID_MONTHS, PLAN_REVIEW_DAYS)."""
    cases.require_manage(acting_user, case.person)
    today = today or timezone.localdate()
    case = cases.locked_case(case)
    _check_open(case)
    if case.state != CaseState.PLANNING:
        message = PLAN_AT_STEP % {
            "step": cases.step_label(CaseState.PLANNING),
            "current": cases.step_label(case.state),
        }
        refuse("__all__", message, "wrong_step")
    _refuse_second_draft(case)
    analysis = case.goal_analyses.first()
    goals = cases._text("goals", goals or (analysis.goals if analysis else ""))
    valid_from = valid_from or today
    valid_until = valid_until or default_valid_until(valid_from)
    review_every_days = review_every_days or settings.CASE_MANAGEMENT["PLAN_REVIEW_DAYS"]
    _validate_terms(valid_from, valid_until, review_every_days)
    previous = case.plans.order_by("-number").first()
    plan = _create(
        case,
        by=acting_user,
        previous=previous,
        goals=goals,
        valid_from=valid_from,
        valid_until=valid_until,
        review_every_days=review_every_days,
    )
    audit_change(actor=acting_user, action=Action.CREATE, instance=plan, request=request)
    return plan


@transaction.atomic
def plan_update(
    *,
    acting_user,
    plan: EmploymentPlan,
    version: int,
    goals: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    review_every_days: int,
    request=None,
) -> EmploymentPlan:
    _require(plan, acting_user)
    current = _locked_plan(plan, version)
    _check_draft(current)
    goals = cases._text("goals", goals)
    _validate_terms(valid_from, valid_until, review_every_days)
    before = snapshot(current)
    current.goals, current.valid_from, current.valid_until = goals, valid_from, valid_until
    current.review_every_days = review_every_days
    save_with_version(
        current, expected_version=version, fields=["goals", "valid_from", "valid_until", "review_every_days"]
    )
    audit_change(actor=acting_user, action=Action.UPDATE, instance=current, before=before, request=request)
    return current


@transaction.atomic
def plan_action_add(
    *,
    acting_user,
    plan: EmploymentPlan,
    description: str,
    due_on: datetime.date,
    service_type=None,
    request=None,
) -> PlanAction:
    _require(plan, acting_user)
    current = _locked_plan(plan)
    _check_draft(current)
    description = cases._text("description", description, maximum=300)
    order = (current.actions.aggregate(top=Max("order"))["top"] or 0) + 1
    action = PlanAction.objects.create(
        plan=current, description=description, due_on=due_on, service_type=service_type, order=order
    )
    audit_change(actor=acting_user, action=Action.CREATE, instance=action, request=request)
    return action


@transaction.atomic
def plan_action_remove(*, acting_user, action: PlanAction, request=None) -> None:
    _require(action.plan, acting_user)
    _check_draft(_locked_plan(action.plan))
    audit_change(actor=acting_user, action=Action.DELETE, instance=action, request=request)
    action.delete()


@transaction.atomic
def plan_action_done(
    *, acting_user, action: PlanAction, done_on: datetime.date | None, request=None, today=None
) -> PlanAction:
    """Record (or clear, with None) that an action was carried out. Progress, not terms:
    allowed on the plan in force as well as on a draft."""
    _require(action.plan, acting_user)
    today = today or timezone.localdate()
    plan = _locked_plan(action.plan)
    if plan.state not in (PlanState.DRAFT, PlanState.AGREED):
        refuse("__all__", READ_ONLY, "plan_read_only")
    if done_on is not None:
        if done_on > today:
            refuse("done_on", cases.IN_FUTURE)
        if done_on < timezone.localdate(plan.created_at):
            refuse("done_on", ACTION_DONE_BEFORE)
    before = snapshot(action)
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=action, before=before, request=request)
    return action


def _end(plan: EmploymentPlan, state: str, on: datetime.date) -> None:
    plan.state, plan.ended_on = state, on
    save_with_version(plan, expected_version=plan.version, fields=["state", "ended_on"])
    item_cancel(kind=ItemKind.PLAN_REVIEW, source=plan, on=on)


def _open_review_item(plan: EmploymentPlan) -> None:
    case = plan.case
    item_open(
        kind=ItemKind.PLAN_REVIEW,
        source=plan,
        due_on=plan.next_review_due,
        person=case.person,
        assignee=case.counsellor,
    )


@transaction.atomic
def plan_agree(
    *,
    acting_user,
    plan: EmploymentPlan,
    version: int,
    agreed_on: datetime.date | None = None,
    request=None,
    today=None,
) -> EmploymentPlan:
    """The person agreed and signed the draft: it comes into force, the version it replaces
    is superseded, the first review is scheduled, and the case goes on to the reviews."""
    _require(plan, acting_user)
    today = today or timezone.localdate()
    agreed_on = agreed_on or today
    current = _locked_plan(plan, version)
    case = cases.locked_case(current.case)
    _check_open(case)
    _check_draft(current)
    if case.state not in (CaseState.PLANNING, CaseState.REVIEW):
        message = AGREE_AT_STEP % {
            "planning": cases.step_label(CaseState.PLANNING),
            "review": cases.step_label(CaseState.REVIEW),
            "current": cases.step_label(case.state),
        }
        refuse("__all__", message, "wrong_step")
    if not current.actions.exists():
        refuse("__all__", NO_ACTIONS, "plan_without_actions")
    if agreed_on > today:
        refuse("agreed_on", AGREED_IN_FUTURE)
    for old in cases.lock(EmploymentPlan.objects.filter(case=case, state=PlanState.AGREED)):
        _end(old, PlanState.SUPERSEDED, agreed_on)
    before = snapshot(current)
    current.case = case
    current.state, current.agreed, current.agreed_on = PlanState.AGREED, True, agreed_on
    current.recorded_by = acting_user
    current.next_review_due = next_review_due(current, agreed_on)
    save_with_version(
        current,
        expected_version=version,
        fields=["state", "agreed", "agreed_on", "recorded_by", "next_review_due"],
    )
    audit_change(actor=acting_user, action=Action.UPDATE, instance=current, before=before, request=request)
    _open_review_item(current)
    item_done(kind=ItemKind.REPLAN, source=case, done_on=agreed_on)
    if case.state == CaseState.PLANNING:
        cases.apply_move(
            case, CaseState.REVIEW, by=acting_user, kind="plan_agreed", request=request, today=today
        )
    return current


def _copy(plan: EmploymentPlan, *, by, today) -> EmploymentPlan:
    valid_until = plan.valid_until if plan.valid_until >= today else default_valid_until(today)
    draft = _create(
        plan.case,
        by=by,
        previous=plan,
        goals=plan.goals,
        valid_from=today,
        valid_until=valid_until,
        review_every_days=plan.review_every_days,
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=draft,
            description=a.description,
            due_on=a.due_on,
            service_type_id=a.service_type_id,
            done_on=a.done_on,
            order=a.order,
        )
        for a in plan.actions.all()
    )
    return draft


@transaction.atomic
def plan_adjust(*, acting_user, plan: EmploymentPlan, request=None, today=None) -> EmploymentPlan:
    """Copy the plan in force to the next version, as a draft; the plan in force stays in
    force (and keeps its reviews) until the person agrees the new version."""
    _require(plan, acting_user)
    today = today or timezone.localdate()
    current = _locked_plan(plan)
    case = cases.locked_case(current.case)
    _check_open(case)
    if current.state != PlanState.AGREED:
        refuse("__all__", NOT_AGREED, "plan_not_in_force")
    _refuse_second_draft(case)
    draft = _copy(current, by=acting_user, today=today)
    audit_change(actor=acting_user, action=Action.CREATE, instance=draft, request=request, note="adjust")
    return draft


@transaction.atomic
def plan_discard(
    *, acting_user, plan: EmploymentPlan, version: int, request=None, today=None
) -> EmploymentPlan:
    _require(plan, acting_user)
    today = today or timezone.localdate()
    current = _locked_plan(plan, version)
    _check_draft(current)
    before = snapshot(current)
    current.state, current.ended_on = PlanState.DISCARDED, today
    save_with_version(current, expected_version=version, fields=["state", "ended_on"])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=current, before=before, request=request)
    return current


@transaction.atomic
def plan_review_record(
    *,
    acting_user,
    plan: EmploymentPlan,
    version: int,
    notes: str,
    decision: str,
    on: datetime.date | None = None,
    request=None,
    today=None,
) -> PlanReview:
    """Step 5: a review of the plan in force. The next review is due the plan's rhythm
    after this one; "adjust" draws up the next version, "re-plan" sends the case to step 6."""
    _require(plan, acting_user)
    today = today or timezone.localdate()
    on = on or today
    current = _locked_plan(plan, version)
    case = cases.locked_case(current.case)
    _check_open(case)
    if current.state != PlanState.AGREED:
        refuse("__all__", NOT_AGREED, "plan_not_in_force")
    if decision not in ReviewDecision.values:
        refuse("decision", DECISION_REQUIRED)
    notes = cases._text("notes", notes)
    if on > today:
        refuse("on", cases.IN_FUTURE)
    if on < current.agreed_on:
        refuse("on", REVIEW_BEFORE_AGREEMENT)
    review = PlanReview.objects.create(plan=current, on=on, by=acting_user, notes=notes, decision=decision)
    audit_change(actor=acting_user, action=Action.CREATE, instance=review, request=request)
    before = snapshot(current)
    current.case = case
    current.next_review_due = next_review_due(current, on)
    save_with_version(current, expected_version=version, fields=["next_review_due"])
    audit_change(actor=acting_user, action=Action.UPDATE, instance=current, before=before, request=request)
    item_done(kind=ItemKind.PLAN_REVIEW, source=current, done_on=on)
    _open_review_item(current)
    if decision == ReviewDecision.ADJUST and _draft_of(case) is None:
        draft = _copy(current, by=acting_user, today=today)
        audit_change(actor=acting_user, action=Action.CREATE, instance=draft, request=request, note="adjust")
    if decision == ReviewDecision.REPLAN and case.state == CaseState.REVIEW:
        cases.apply_move(
            case,
            CaseState.REPLANNING,
            by=acting_user,
            kind="review_replan",
            note=notes,
            request=request,
            today=today,
        )
    return review


# --- the nightly job ---------------------------------------------------------------------------


def _expiring(today: datetime.date) -> Q:
    return Q(state=PlanState.AGREED, valid_until__lt=today)


def expire_plans(*, today: datetime.date | None = None, batch_size: int = 200) -> dict:
    """Agreed plans past their last valid day. As the system (by None): a person still not
    in work → the plan expires, the case goes to re-planning (step 6) with a REPLAN item;
    a person in work → the plan is completed and the case closed as employed. One
    transaction per plan; running it again the same day changes nothing."""
    today = today or timezone.localdate()
    counts = {"expired": 0, "completed": 0}
    while True:
        ids = list(
            EmploymentPlan.objects.filter(_expiring(today))
            .order_by("valid_until", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return counts
        for pk in ids:
            with transaction.atomic():
                plan = cases.lock(EmploymentPlan.objects.filter(_expiring(today), pk=pk)).first()
                if plan is None:
                    continue
                counts[_expire_one(plan, today)] += 1


def _expire_one(plan: EmploymentPlan, today: datetime.date) -> str:
    case = cases.locked_case(plan.case)
    plan.case = case
    person = case.person
    until = plan.valid_until
    if person.employment_status in WORKING_STATUSES:
        _end(plan, PlanState.COMPLETED, until)
        audit_change(actor=None, action=Action.UPDATE, instance=plan, note="completed")
        if case.is_open:
            note = EMPLOYED_NOTE.format(number=plan.number)
            cases.close_case(case, by=None, outcome=CaseOutcome.EMPLOYED, note=note, today=today)
        return "completed"
    _end(plan, PlanState.EXPIRED, until)
    audit_change(actor=None, action=Action.UPDATE, instance=plan, note="expired")
    if case.is_open and case.state != CaseState.REPLANNING:
        note = EXPIRED_NOTE.format(number=plan.number, until=until.isoformat())
        cases.apply_move(case, CaseState.REPLANNING, by=None, kind="plan_expired", note=note, today=today)
    return "expired"
