"""The guidance API (§6.1): a person's guidance, one plan, and moving a case.

Reads need `guidance.view_guidance`, a transition `guidance.manage_guidance`. A record
outside the caller's area answers 404; a move the workflow does not allow answers 400
(`invalid_transition`, naming both steps), a stale `version` 409 (`concurrent_edit`).
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ReadWritePermission
from guidance import selectors, services
from guidance.policy_services import person_needs_plan
from guidance.rules import MANAGE, VIEW
from guidance.serializers import (
    CaseSerializer,
    CaseTransitionSerializer,
    PersonGuidanceSerializer,
    PlanSerializer,
)
from people import selectors as people_selectors


class GuidancePermission(ReadWritePermission):
    read_permission = VIEW
    write_permission = MANAGE


class PersonGuidance(GuidancePermission, APIView):
    """A person's guidance: the case (open, else the last closed), its step log and step
    records, the plan in force and the draft with actions and reviews, every plan version,
    and the 一人一策 plans."""

    @extend_schema(responses={200: PersonGuidanceSerializer})
    def get(self, request, pk):
        person = people_selectors.person_get(user=request.user, pk=pk)
        case = selectors.latest_case(user=request.user, person=person)
        data = {
            "person": person.pk,
            "case": case,
            "steps": list(selectors.steps(case)) if case else [],
            "intakes": list(case.intakes.select_related("by")) if case else [],
            "assessments": list(case.assessments.select_related("by")) if case else [],
            "goal_analyses": list(case.goal_analyses.select_related("by")) if case else [],
            "current_plan": selectors.plan_in_force(case) if case else None,
            "draft_plan": selectors.plan_draft(case) if case else None,
            "plans": selectors.plans_of_case(case) if case else [],
            "personal_policy_plans": list(selectors.personal_policy_plans(user=request.user, person=person)),
            "personal_policy_needed": person_needs_plan(person, timezone.localdate()),
        }
        return Response(PersonGuidanceSerializer(data, context={"request": request}).data)


class PlanDetail(GuidancePermission, APIView):
    """One version of an employment plan with its actions and reviews."""

    @extend_schema(responses={200: PlanSerializer})
    def get(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk)
        return Response(PlanSerializer(plan).data)


class CaseTransition(GuidancePermission, APIView):
    """Move a case: to the next step, back to any earlier step (with a note), or closed
    (with an outcome). Answers the case as stored."""

    @extend_schema(request=CaseTransitionSerializer, responses={200: CaseSerializer})
    def post(self, request, pk):
        case = selectors.case_get(user=request.user, pk=pk)
        data = CaseTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.case_move(
            acting_user=request.user,
            case=case,
            target=values["target"],
            version=values["version"],
            note=values["note"],
            outcome=values["outcome"],
            request=request,
        )
        fresh = selectors.case_get(user=request.user, pk=pk)
        return Response(CaseSerializer(fresh, context={"request": request}).data)
