"""The guidance card on the person's file: the step the case is at, the plan in force and its
next review, and whether a 一人一策 plan is needed."""

from django import template
from django.utils import timezone

from guidance import selectors
from guidance.models import CaseState
from guidance.policy_services import person_needs_plan
from guidance.rules import VIEW
from guidance.workflow import STEPS, step_number

register = template.Library()


@register.inclusion_tag("guidance/_person_card.html", takes_context=True)
def guidance_card(context, person):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(VIEW):
        return {"visible": False}
    today = timezone.localdate()
    case = selectors.latest_case(user=user, person=person)
    plan = selectors.plan_in_force(case) if case and case.state != CaseState.CLOSED else None
    return {
        "visible": True,
        "person": person,
        "case": case,
        "step": step_number(case.state) if case else 0,
        "steps": len(STEPS),
        "plan": plan,
        "review_overdue": bool(plan and plan.next_review_due and plan.next_review_due < today),
        "policy_needed": person_needs_plan(person, today),
    }
