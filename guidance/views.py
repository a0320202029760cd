"""The person's guidance page (§6.1): the case as a six-step progress bar, the form of the
step it is at, the moves allowed now, the plans with their versions and reviews, 一人一策.

Every write is a POST that calls one service; a refusal shows the page again with the
input kept and the reason next to it (status 400, 409 for a stale form).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.errors import ConcurrentEdit, DomainError, NotAllowed
from core.views import apply_domain_error
from guidance import plan_services, selectors, services, workflow
from guidance.forms import (
    ActionDoneForm,
    AgreeForm,
    AssessmentForm,
    GoalAnalysisForm,
    IntakeForm,
    MoveForm,
    PersonalPolicyForm,
    PlanActionForm,
    PlanTermsForm,
    ReviewForm,
    VersionForm,
)
from guidance.models import CaseState, PlanAction, PlanState
from guidance.pdf import plan_pdf
from guidance.policy_services import crossing_date, person_needs_plan, personal_policy_create
from guidance.rules import MANAGE, PRINT_PLAN, VIEW
from people import selectors as people_selectors

STEP_FORMS = {
    CaseState.INTAKE: ("intake", IntakeForm),
    CaseState.ASSESSMENT: ("assessment", AssessmentForm),
    CaseState.GOAL_ANALYSIS: ("goal_analysis", GoalAnalysisForm),
    CaseState.REPLANNING: ("goal_analysis", GoalAnalysisForm),
}


def page_url(person_id: int, anchor: str = "") -> str:
    url = reverse("guidance:person", args=[person_id])
    return f"{url}#{anchor}" if anchor else url


def _progress(case) -> list[dict]:
    """The six steps with where the case stands: done, current, to come."""
    current = workflow.step_number(case.state) if case else 0
    steps = []
    for number, state in enumerate(workflow.STEPS, start=1):
        status = "to-come"
        if case and case.state == CaseState.CLOSED:
            status = "done"
        elif number < current:
            status = "done"
        elif number == current:
            status = "current"
        steps.append({"number": number, "state": state, "label": CaseState(state).label, "status": status})
    return steps


def _plan_context(plan, today, forms: dict):
    if plan is None:
        return None
    key = f"plan{plan.pk}"
    terms = forms.get(f"{key}_terms") or PlanTermsForm(
        initial={
            "goals": plan.goals,
            "valid_from": plan.valid_from,
            "valid_until": plan.valid_until,
            "review_every_days": plan.review_every_days,
            "version": plan.version,
        }
    )
    return {
        "plan": plan,
        "actions": list(plan.actions.all()),
        "reviews": list(plan.reviews.all()),
        "review_overdue": bool(plan.next_review_due and plan.next_review_due < today),
        "terms_form": terms,
        "action_form": forms.get(f"{key}_action") or PlanActionForm(initial={"due_on": today}),
        "agree_form": forms.get(f"{key}_agree")
        or AgreeForm(initial={"agreed_on": today, "version": plan.version}),
        "review_form": forms.get(f"{key}_review")
        or ReviewForm(initial={"on": today, "version": plan.version}),
        "errors": forms.get(f"{key}_errors", []),
    }


def _page(request, person, *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    user = request.user
    today = timezone.localdate()
    case = selectors.latest_case(user=user, person=person)
    can_manage = selectors.can_manage(user, person)
    context = {
        "person": person,
        "case": case,
        "today": today,
        "can_manage": can_manage,
        "can_print": user.has_perm(PRINT_PLAN) and can_manage,
        "progress": _progress(case),
        "past_cases": [
            c for c in selectors.cases_of_person(user=user, person=person) if case and c.pk != case.pk
        ],
        "errors": forms.get("errors", []),
    }
    if case is not None:
        moves = selectors.allowed_moves(user=user, case=case)
        forward = [m for m in moves if m.kind == workflow.Kind.FORWARD]
        context.update(
            {
                "steps": list(selectors.steps(case)),
                "forward_moves": forward,
                "revisit_form": forms.get("revisit")
                or MoveForm(
                    moves=[m for m in moves if m.kind == workflow.Kind.REVISIT],
                    initial={"version": case.version},
                ),
                "has_revisits": any(m.kind == workflow.Kind.REVISIT for m in moves),
                "close_form": forms.get("close")
                or MoveForm(
                    moves=[m for m in moves if m.kind == workflow.Kind.CLOSE],
                    initial={"version": case.version},
                ),
                "can_close": any(m.kind == workflow.Kind.CLOSE for m in moves),
                "intakes": list(case.intakes.select_related("by")),
                "assessments": list(case.assessments.select_related("by")),
                "goal_analyses": list(case.goal_analyses.select_related("by")),
                "in_force": _plan_context(selectors.plan_in_force(case), today, forms),
                "draft": _plan_context(selectors.plan_draft(case), today, forms),
                "old_plans": [
                    p
                    for p in selectors.plans_of_case(case)
                    if p.state not in (PlanState.DRAFT, PlanState.AGREED)
                ],
                "can_draft": can_manage
                and case.state == CaseState.PLANNING
                and selectors.plan_draft(case) is None,
            }
        )
        step = STEP_FORMS.get(case.state)
        if step and can_manage:
            name, form_class = step
            context["step_name"] = name
            context["step_form"] = forms.get("step") or form_class(initial={"on": today})
    context.update(_policy_context(user, person, today, forms))
    return render(request, "guidance/person_guidance.html", context, status=status)


def _policy_context(user, person, today, forms) -> dict:
    plans = list(selectors.personal_policy_plans(user=user, person=person))
    crossing = crossing_date(person.unemployed_since) if person.unemployed_since else None
    return {
        "policy_plans": plans,
        "policy_needed": person_needs_plan(person, today),
        "policy_crossing": crossing if person.employment_status == "unemployed" else None,
        "policy_form": forms.get("policy") or PersonalPolicyForm(initial={"review_on": today}),
    }


@require_GET
@permission_required(VIEW, raise_exception=True)
def person_guidance(request, pk):
    person = people_selectors.person_get(user=request.user, pk=pk)
    return _page(request, person)


def _refused(request, person, exc: DomainError, form=None, key: str = "errors"):
    """Show the page again with the refusal next to the form (or at the top)."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied from exc
    if isinstance(exc, ConcurrentEdit):
        messages.error(request, exc.message)
        return _page(request, person, status=409)
    if form is not None:
        apply_domain_error(form, exc)
        return _page(request, person, forms={key: form}, status=exc.status)
    problems = [str(m) for msgs in exc.errors.values() for m in msgs] or [str(exc.message)]
    return _page(request, person, forms={key: problems}, status=exc.status)


def _done(request, person_id: int, message: str, anchor: str = ""):
    messages.success(request, message)
    return redirect(page_url(person_id, anchor))


def _invalid(request, person, key: str, form):
    return _page(request, person, forms={key: form}, status=400)


# --- the case -----------------------------------------------------------------------------------


@require_POST
@permission_required(MANAGE, raise_exception=True)
def case_open(request, pk):
    person = people_selectors.person_get(user=request.user, pk=pk)
    try:
        services.case_open(acting_user=request.user, person=person, request=request)
    except DomainError as exc:
        return _refused(request, person, exc)
    return _done(request, person.pk, _("Guidance case opened at intake."))


@require_POST
@permission_required(MANAGE, raise_exception=True)
def case_move(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    person = case.person
    if request.POST.get("version", "") != str(case.version):
        # A stale form is answered with "reload", not with a refusal computed from the new step.
        return _refused(request, person, ConcurrentEdit())
    moves = workflow.moves_from(case.state)
    form = MoveForm(request.POST, moves=moves)
    key = {"revisit": "revisit", "close": "close"}.get(request.POST.get("form", ""), "errors")
    if not form.is_valid():
        if key == "errors":
            problems = [str(e) for errors in form.errors.values() for e in errors]
            return _page(request, person, forms={"errors": problems}, status=400)
        form.fields["target"].choices = [(m.target, workflow.move_label(m)) for m in moves if m.kind == key]
        return _invalid(request, person, key, form)
    data = form.cleaned_data
    try:
        moved = services.case_move(
            acting_user=request.user,
            case=case,
            target=data["target"],
            version=data["version"],
            note=data["note"],
            outcome=data["outcome"],
            request=request,
        )
    except DomainError as exc:
        return _refused(request, person, exc, form if key != "errors" else None, key)
    return _done(request, person.pk, _("The case is now at: %(step)s.") % {"step": moved.get_state_display()})


@require_POST
@permission_required(MANAGE, raise_exception=True)
def step_record(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    person = case.person
    step = STEP_FORMS.get(case.state)
    if step is None:
        return _page(
            request, person, forms={"errors": [_("This step has no record of its own.")]}, status=400
        )
    name, form_class = step
    form = form_class(request.POST)
    if not form.is_valid():
        return _invalid(request, person, "step", form)
    data = form.cleaned_data
    record = {
        "intake": services.intake_record,
        "assessment": services.assessment_record,
        "goal_analysis": services.goal_analysis_record,
    }[name]
    try:
        record(acting_user=request.user, case=case, request=request, **data)
    except DomainError as exc:
        return _refused(request, person, exc, form, "step")
    return _done(request, person.pk, _("Recorded."), "case")


# --- plans --------------------------------------------------------------------------------------


def _plan_refused(request, plan, exc: DomainError, form=None, slot: str = ""):
    key = f"plan{plan.pk}_{slot}" if form is not None else f"plan{plan.pk}_errors"
    if isinstance(exc, NotAllowed | ConcurrentEdit):
        return _refused(request, plan.case.person, exc)
    if form is not None:
        apply_domain_error(form, exc)
        return _page(request, plan.case.person, forms={key: form}, status=exc.status)
    problems = [str(m) for msgs in exc.errors.values() for m in msgs] or [str(exc.message)]
    return _page(request, plan.case.person, forms={key: problems}, status=exc.status)


def _plan_form(request, plan, form_class, slot: str):
    """The bound form, or the page again with its errors (None when valid)."""
    form = form_class(request.POST)
    if form.is_valid():
        return form, None
    return form, _page(request, plan.case.person, forms={f"plan{plan.pk}_{slot}": form}, status=400)


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_create(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    try:
        plan = plan_services.plan_create(acting_user=request.user, case=case, request=request)
    except DomainError as exc:
        return _refused(request, case.person, exc)
    return _done(
        request,
        case.person_id,
        _("Plan version %(number)s drawn up as a draft.") % {"number": plan.number},
        "plans",
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_update(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    form, page = _plan_form(request, plan, PlanTermsForm, "terms")
    if page:
        return page
    try:
        plan_services.plan_update(acting_user=request.user, plan=plan, request=request, **form.cleaned_data)
    except DomainError as exc:
        return _plan_refused(request, plan, exc, form, "terms")
    return _done(request, plan.case.person_id, _("Saved."), f"plan-{plan.pk}")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_action_add(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    form, page = _plan_form(request, plan, PlanActionForm, "action")
    if page:
        return page
    try:
        plan_services.plan_action_add(
            acting_user=request.user, plan=plan, request=request, **form.cleaned_data
        )
    except DomainError as exc:
        return _plan_refused(request, plan, exc, form, "action")
    return _done(request, plan.case.person_id, _("Action added."), f"plan-{plan.pk}")


def _action(request, pk) -> PlanAction:
    action = PlanAction.objects.select_related("plan").filter(pk=pk).first()
    plan = selectors.plan_get(user=request.user, pk=action.plan_id if action else 0)  # 404 outside the area
    action.plan = plan
    return action


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_action_remove(request, pk):
    action = _action(request, pk)
    try:
        plan_services.plan_action_remove(acting_user=request.user, action=action, request=request)
    except DomainError as exc:
        return _plan_refused(request, action.plan, exc)
    return _done(request, action.plan.case.person_id, _("Action removed."), f"plan-{action.plan_id}")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_action_done(request, pk):
    action = _action(request, pk)
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return _page(
            request, action.plan.case.person, forms={f"plan{action.plan_id}_errors": problems}, status=400
        )
    try:
        plan_services.plan_action_done(
            acting_user=request.user, action=action, done_on=form.cleaned_data["done_on"], request=request
        )
    except DomainError as exc:
        return _plan_refused(request, action.plan, exc)
    return _done(request, action.plan.case.person_id, _("Saved."), f"plan-{action.plan_id}")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_agree(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    form, page = _plan_form(request, plan, AgreeForm, "agree")
    if page:
        return page
    data = form.cleaned_data
    try:
        plan_services.plan_agree(
            acting_user=request.user,
            plan=plan,
            version=data["version"],
            agreed_on=data["agreed_on"],
            request=request,
        )
    except DomainError as exc:
        return _plan_refused(request, plan, exc, form, "agree")
    return _done(request, plan.case.person_id, _("The plan is agreed and in force."), f"plan-{plan.pk}")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_adjust(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    try:
        draft = plan_services.plan_adjust(acting_user=request.user, plan=plan, request=request)
    except DomainError as exc:
        return _plan_refused(request, plan, exc)
    return _done(
        request,
        plan.case.person_id,
        _("Version %(number)s drawn up as a draft.") % {"number": draft.number},
        f"plan-{draft.pk}",
    )


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_discard(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _refused(request, plan.case.person, ConcurrentEdit())
    try:
        plan_services.plan_discard(
            acting_user=request.user, plan=plan, version=form.cleaned_data["version"], request=request
        )
    except DomainError as exc:
        return _plan_refused(request, plan, exc)
    return _done(request, plan.case.person_id, _("Draft discarded."), "plans")


@require_POST
@permission_required(MANAGE, raise_exception=True)
def plan_review(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)
    form, page = _plan_form(request, plan, ReviewForm, "review")
    if page:
        return page
    try:
        plan_services.plan_review_record(
            acting_user=request.user, plan=plan, request=request, **form.cleaned_data
        )
    except DomainError as exc:
        return _plan_refused(request, plan, exc, form, "review")
    return _done(request, plan.case.person_id, _("Review recorded."), f"plan-{plan.pk}")


@require_GET
@permission_required(VIEW, raise_exception=True)
def plan_pdf_view(request, pk):
    plan = selectors.plan_get(user=request.user, pk=pk)  # 404 outside the area
    try:
        pdf = plan_pdf(plan=plan, acting_user=request.user, request=request)
    except NotAllowed as exc:
        raise PermissionDenied from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="employment-plan-{plan.pk}-v{plan.number}.pdf"'
    # Personal data: never kept by a shared proxy or the browser cache.
    response["Cache-Control"] = "no-store"
    return response


# --- 一人一策 ------------------------------------------------------------------------------------


@require_POST
@permission_required(MANAGE, raise_exception=True)
def personal_policy_add(request, pk):
    person = people_selectors.person_get(user=request.user, pk=pk)
    form = PersonalPolicyForm(request.POST)
    if not form.is_valid():
        return _invalid(request, person, "policy", form)
    data = form.cleaned_data
    try:
        plan = personal_policy_create(
            acting_user=request.user,
            person=person,
            situation=data["situation"],
            measures=data["measures"],
            policies=data["policies"],
            review_on=data["review_on"],
            request=request,
        )
    except DomainError as exc:
        return _refused(request, person, exc, form, "policy")
    message = _("Personal policy plan version %(number)s recorded.") % {"number": plan.number}
    return _done(request, person.pk, message, "personal-policy")
