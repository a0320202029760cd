"""Every action from every state: legal steps land where the workflow says, illegal ones are
refused with an error naming the state and the action (§4.4.1 推荐跟踪)."""

import pytest
from django.utils import translation

from core.errors import ValidationFailed
from recommendations import services, workflow
from recommendations.models import FINAL_STATES, Side, State, Step
from tests.recommendations.recommendation_builders import REASONS, act, recommendation

CASES = [(state, name) for state in State for name in workflow.PUBLIC_ACTIONS]


@pytest.mark.parametrize(("state", "action"), CASES, ids=[f"{s.value}-{a}" for s, a in CASES])
def test_each_action_from_each_state(counsellor, head, today, state, action):
    rec = recommendation(state, counsellor=counsellor, head=head)
    declared = workflow.ACTIONS[action]
    steps_before = Step.objects.filter(recommendation=rec).count()
    if workflow.can_start(declared, state):
        result = act(counsellor, rec, action)
        assert result.state == declared.target
        step = Step.objects.filter(recommendation=rec).latest("id")
        assert (step.action, step.from_state, step.to_state) == (action, state, declared.target)
        assert step.by == counsellor and step.side == declared.side
        assert step.reason == REASONS.get(action, "")
        assert (result.closed_at is not None) == (declared.target in FINAL_STATES)
    else:
        with translation.override("en"), pytest.raises(ValidationFailed) as refused:
            act(counsellor, rec, action)
        assert refused.value.code == "invalid_transition"
        message = refused.value.errors["action"][0]
        with translation.override("en"):
            assert str(declared.label) in message and str(State(state).label) in message
        rec.refresh_from_db()
        assert rec.state == state
        assert Step.objects.filter(recommendation=rec).count() == steps_before


@pytest.mark.parametrize("action", ["expire_seeker", "expire_employer", "no_such_step"])
def test_system_and_unknown_actions_cannot_be_asked_for(counsellor, head, today, action):
    rec = recommendation(State.SHOWN, counsellor=counsellor, head=head)
    with pytest.raises(ValidationFailed) as refused:
        services.recommendation_act(
            acting_user=counsellor, recommendation=rec, action=action, version=rec.version
        )
    assert refused.value.code == "unknown_action"


def test_the_declared_chain_reaches_every_state_and_ends_in_final_ones():
    reachable = {State.MATCHED} | {a.target for a in workflow.ACTIONS.values()}
    assert reachable == set(State)
    for final in FINAL_STATES:
        assert not [a for a in workflow.ACTIONS.values() if final in a.sources]


def test_automatic_reasons_stay_out_of_the_forms():
    decline = dict(workflow.reason_choices(workflow.ACTIONS["decline"]))
    withdraw = dict(workflow.reason_choices(workflow.ACTIONS["withdraw"]))
    assert "no_response" not in decline and "pay" in decline
    assert "hired_elsewhere" not in withdraw and "vacancy_closed" in withdraw
    assert workflow.reason_choices(workflow.ACTIONS["show"]) == []


def test_the_side_of_each_seeker_and_employer_step_is_logged(counsellor, head, today):
    rec = recommendation(State.NOT_HIRED, counsellor=counsellor, head=head)
    sides = list(Step.objects.filter(recommendation=rec).order_by("id").values_list("action", "side"))
    assert sides == [("refer", Side.COUNSELLOR), ("interview", Side.EMPLOYER), ("not_hired", Side.EMPLOYER)]
