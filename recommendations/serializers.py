"""JSON shapes of recommendations (推荐跟踪): a list row, the full record with its steps
and reasons, and the body of a step taken through the API."""

from rest_framework import serializers

from matching.api import PersonSummarySerializer, ReasonSerializer
from matching.explain import explanation
from network.models import localized_name
from people.serializers import SafeChoiceField, read_only_choice, version_field
from recommendations import selectors, workflow
from recommendations.forms import FOLLOW_UP, NOTE_MAX
from recommendations.models import Recommendation, State, Step
from recommendations.rules import ACT


class RecommendedVacancySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="In the request's language where the vacancy has it.")
    employer = serializers.SerializerMethodField()
    occupation = serializers.CharField(source="occupation.code")
    work_unit = serializers.CharField(source="work_unit.code")
    salary_min = serializers.IntegerField()
    salary_max = serializers.IntegerField()
    pay_period = serializers.CharField()
    status = serializers.CharField()

    def get_employer(self, vacancy) -> str:
        return localized_name(vacancy.employer)


class StepSerializer(serializers.ModelSerializer):
    by = serializers.SerializerMethodField(help_text="Who recorded the step; null when the system did.")

    class Meta:
        model = Step
        fields = ["action", "from_state", "to_state", "at", "by", "side", "reason", "note"]

    def get_by(self, step) -> str | None:
        return step.by.username if step.by_id else None


class RecommendationSerializer(serializers.ModelSerializer):
    """A recommendation as a list shows it; the person's ID number is masked."""

    person = PersonSummarySerializer(read_only=True)
    vacancy = RecommendedVacancySerializer(read_only=True)
    decline_reason = read_only_choice(Recommendation, "decline_reason")
    reject_reason = read_only_choice(Recommendation, "reject_reason")
    withdraw_reason = read_only_choice(Recommendation, "withdraw_reason")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "person",
            "vacancy",
            "state",
            "origin",
            "score",
            "matched_at",
            "shown_at",
            "referred_at",
            "closed_at",
            "step_deadline",
            "decline_reason",
            "reject_reason",
            "withdraw_reason",
            "interview_on",
            "hired_on",
            "follow_up_on",
            "followed_up_on",
            "version",
        ]
        read_only_fields = fields


class RecommendationDetailSerializer(RecommendationSerializer):
    """One recommendation with its factor contributions, the reasons in the request's
    language, the step log and the actions the caller may take now."""

    factors = serializers.DictField(child=serializers.FloatField(), read_only=True)
    reasons = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "factors", "reasons", "steps", "allowed_actions"]
        read_only_fields = fields

    def get_reasons(self, rec) -> list[dict]:
        return ReasonSerializer(explanation(rec.facts, rec.factors), many=True).data

    def get_steps(self, rec) -> list[dict]:
        return StepSerializer(selectors.steps(rec), many=True).data

    def get_allowed_actions(self, rec) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        names = [a.name for a in selectors.allowed_actions(user=request.user, recommendation=rec)]
        if rec.state == State.HIRED and rec.followed_up_on is None and request.user.has_perm(ACT):
            names.append(FOLLOW_UP)
        return names


ACTION_CHOICES = [*workflow.PUBLIC_ACTIONS, FOLLOW_UP]


class ActionSerializer(serializers.Serializer):
    action = SafeChoiceField(
        choices=ACTION_CHOICES,
        help_text="The step to record; `follow_up` records the follow-up of a hire.",
    )
    version = version_field()
    reason = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required by decline, reject and withdraw: one of the reason codes of that action.",
    )
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The interview date (interview), the hiring date (hire) or the follow-up date.",
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A hire that changes the person's file answers 400 `confirmation_required` "
        "until sent again with confirm true.",
    )
