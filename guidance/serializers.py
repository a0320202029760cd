"""JSON shapes of guidance: the case with its step log and records, plans with their
actions and reviews, 一人一策 plans, and the body of a case transition."""

from rest_framework import serializers

from guidance import selectors
from guidance.models import (
    Assessment,
    CaseOutcome,
    CaseState,
    CaseStep,
    EmploymentPlan,
    GoalAnalysis,
    GuidanceCase,
    IntakeRecord,
    PersonalPolicyPlan,
    PlanAction,
    PlanReview,
    PlanState,
    ReviewDecision,
)
from guidance.services import NOTE_MAX
from guidance.workflow import step_number
from people.serializers import SafeChoiceField, version_field


def _username(user) -> str | None:
    return user.username if user is not None else None


STEPS_HELP = "One of: " + ", ".join(CaseState.values) + "."


def _code(help_text: str, **kwargs):
    # A plain string with its codes in the help text: the same choice sets appear under several
    # field names here and in other apps, and enum components would collide in the schema.
    return serializers.CharField(read_only=True, help_text=help_text, **kwargs)


class CaseStepSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField(help_text="Who moved the case; null when the system did.")
    from_state = _code("The step before (empty when the case was opened). " + STEPS_HELP)
    to_state = _code(STEPS_HELP)

    class Meta:
        model = CaseStep
        fields = ["kind", "from_state", "to_state", "at", "by", "note"]

    def get_by(self, step) -> str | None:
        return _username(step.by)


class MoveSerializer(serializers.Serializer):
    target = serializers.CharField()
    kind = serializers.CharField(help_text="forward, revisit or close")
    note_required = serializers.BooleanField()


class CaseSerializer(serializers.ModelSerializer):
    state = _code(STEPS_HELP)
    outcome = _code("When closed: " + ", ".join(CaseOutcome.values) + ".")
    step_number = serializers.SerializerMethodField(help_text="1 to 6 for the six steps; 0 when closed.")
    counsellor = serializers.SerializerMethodField()
    allowed_moves = serializers.SerializerMethodField(help_text="The moves the caller may take now.")

    class Meta:
        model = GuidanceCase
        fields = [
            "id",
            "person",
            "state",
            "step_number",
            "counsellor",
            "opened_on",
            "closed_on",
            "outcome",
            "outcome_note",
            "version",
            "allowed_moves",
        ]
        read_only_fields = fields

    def get_step_number(self, case) -> int:
        return step_number(case.state)

    def get_counsellor(self, case) -> str | None:
        return _username(case.counsellor)

    def get_allowed_moves(self, case) -> list[dict]:
        request = self.context.get("request")
        if request is None:
            return []
        moves = selectors.allowed_moves(user=request.user, case=case)
        return MoveSerializer(
            [{"target": m.target, "kind": m.kind, "note_required": m.note_required} for m in moves], many=True
        ).data


class _RecordSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField()

    def get_by(self, record) -> str | None:
        return _username(record.by)


class IntakeSerializer(_RecordSerializer):
    class Meta:
        model = IntakeRecord
        fields = ["id", "on", "by", "notes"]


class AssessmentSerializer(_RecordSerializer):
    class Meta:
        model = Assessment
        fields = ["id", "on", "by", "instrument", "results", "summary"]


class GoalAnalysisSerializer(_RecordSerializer):
    class Meta:
        model = GoalAnalysis
        fields = ["id", "on", "by", "reasoning", "goals"]


class PlanActionSerializer(serializers.ModelSerializer):
    service_type = serializers.SerializerMethodField(help_text="Code of the service type, if any.")

    class Meta:
        model = PlanAction
        fields = ["id", "description", "due_on", "service_type", "done_on"]

    def get_service_type(self, action) -> str | None:
        return action.service_type.code if action.service_type_id else None


class PlanReviewSerializer(_RecordSerializer):
    decision = _code(", ".join(ReviewDecision.values))

    class Meta:
        model = PlanReview
        fields = ["id", "on", "by", "decision", "notes"]


class PlanSerializer(serializers.ModelSerializer):
    """One version of an employment plan. `number` is the plan's version (1, 2, …);
    `version` is the edit lock of the record."""

    actions = PlanActionSerializer(many=True, read_only=True)
    reviews = PlanReviewSerializer(many=True, read_only=True)
    person = serializers.IntegerField(source="case.person_id", read_only=True)
    state = _code(", ".join(PlanState.values))

    class Meta:
        model = EmploymentPlan
        fields = [
            "id",
            "case",
            "person",
            "number",
            "previous",
            "state",
            "goals",
            "valid_from",
            "valid_until",
            "review_every_days",
            "agreed",
            "agreed_on",
            "next_review_due",
            "ended_on",
            "version",
            "actions",
            "reviews",
        ]
        read_only_fields = fields


class PlanSummarySerializer(serializers.ModelSerializer):
    state = _code(", ".join(PlanState.values))

    class Meta:
        model = EmploymentPlan
        fields = ["id", "number", "state", "valid_from", "valid_until", "agreed_on", "ended_on"]
        read_only_fields = fields


class PersonalPolicyPlanSerializer(serializers.ModelSerializer):
    policies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = PersonalPolicyPlan
        fields = [
            "id",
            "number",
            "created_on",
            "created_by",
            "situation",
            "measures",
            "policies",
            "review_on",
        ]
        read_only_fields = fields

    def get_created_by(self, plan) -> str | None:
        return _username(plan.created_by)


class PersonGuidanceSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    case = CaseSerializer(allow_null=True, help_text="The open case, else the one closed last; null if none.")
    steps = CaseStepSerializer(many=True, help_text="The case's step log, oldest first.")
    intakes = IntakeSerializer(many=True)
    assessments = AssessmentSerializer(many=True)
    goal_analyses = GoalAnalysisSerializer(many=True)
    current_plan = PlanSerializer(allow_null=True, help_text="The plan in force.")
    draft_plan = PlanSerializer(allow_null=True, help_text="The version being drawn up, if any.")
    plans = PlanSummarySerializer(many=True, help_text="Every version of the case's plan, newest first.")
    personal_policy_plans = PersonalPolicyPlanSerializer(many=True)
    personal_policy_needed = serializers.BooleanField()


class CaseTransitionSerializer(serializers.Serializer):
    target = SafeChoiceField(
        choices=CaseState.values,
        help_text="The step to go to: the next one, any earlier one (a revisit, note required), or closed: "
        + ", ".join(CaseState.values)
        + ".",
    )
    version = version_field()
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    outcome = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when closing: employed, withdrew, moved_away or other.",
    )
