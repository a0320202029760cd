"""The six steps of worker guidance (§6.1) as data.

A case moves forward one step at a time, may go back to (revisit) any earlier step with
a note, re-plans after a review or an expired plan, and may close from any step with an
outcome. `guidance.services` applies the moves: one place checks, one place writes the
step log. Nothing here touches the database.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from guidance.models import CaseState

S = CaseState
# The six steps in their order; a revisit goes to any step before the current one.
STEPS = (S.INTAKE, S.ASSESSMENT, S.GOAL_ANALYSIS, S.PLANNING, S.REVIEW, S.REPLANNING)
OPEN_STATES = frozenset(STEPS)


class Kind:
    FORWARD = "forward"
    REVISIT = "revisit"
    CLOSE = "close"


# What a step must have on record before the case may leave it forwards.
NEEDS_INTAKE = "intake"
NEEDS_ASSESSMENT = "assessment"
NEEDS_GOALS = "goal_analysis"
NEEDS_AGREED_PLAN = "agreed_plan"


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    kind: str
    label: str
    note_required: bool = False
    needs: str = ""


FORWARD_MOVES = (
    Move(S.INTAKE, S.ASSESSMENT, Kind.FORWARD, _("Go on to the assessment"), needs=NEEDS_INTAKE),
    Move(S.ASSESSMENT, S.GOAL_ANALYSIS, Kind.FORWARD, _("Go on to goal analysis"), needs=NEEDS_ASSESSMENT),
    Move(S.GOAL_ANALYSIS, S.PLANNING, Kind.FORWARD, _("Go on to the employment plan"), needs=NEEDS_GOALS),
    # Taken when the person agrees the plan; by hand after a revisit while a plan is in force.
    Move(S.PLANNING, S.REVIEW, Kind.FORWARD, _("Go on to periodic reviews"), needs=NEEDS_AGREED_PLAN),
    Move(S.REVIEW, S.REPLANNING, Kind.FORWARD, _("Re-plan (analyse again)"), note_required=True),
    Move(S.REPLANNING, S.PLANNING, Kind.FORWARD, _("Draw up a new plan version")),
)


def _revisits() -> tuple[Move, ...]:
    moves = []
    for index, source in enumerate(STEPS):
        for target in STEPS[:index]:
            if any(m.source == source and m.target == target for m in FORWARD_MOVES):
                continue  # re-planning → plan again is a step forward in the cycle, not a revisit
            label = _("Go back to: %(step)s")
            moves.append(Move(source, target, Kind.REVISIT, label, note_required=True))
    return tuple(moves)


REVISIT_MOVES = _revisits()
CLOSE_MOVES = tuple(
    Move(source, S.CLOSED, Kind.CLOSE, _("Close the case"), note_required=False) for source in STEPS
)
MOVES: dict[tuple[str, str], Move] = {
    (m.source, m.target): m for m in FORWARD_MOVES + REVISIT_MOVES + CLOSE_MOVES
}


def move_for(source: str, target: str) -> Move | None:
    return MOVES.get((source, target))


def moves_from(state: str) -> list[Move]:
    """The moves a case in `state` allows: forward first, then revisits (latest step first), then close."""
    forward = [m for m in FORWARD_MOVES if m.source == state]
    back = sorted(
        (m for m in REVISIT_MOVES if m.source == state), key=lambda m: STEPS.index(m.target), reverse=True
    )
    close = [m for m in CLOSE_MOVES if m.source == state]
    return forward + back + close


def step_number(state: str) -> int:
    """1…6 for the six steps; 0 for a closed case."""
    return STEPS.index(state) + 1 if state in STEPS else 0


def skipped_step(source: str, target: str) -> str | None:
    """The step a refused forward jump leaves out (the one right after `source`), if any."""
    if source not in STEPS or target not in STEPS:
        return None
    if STEPS.index(target) <= STEPS.index(source):
        return None
    return STEPS[STEPS.index(source) + 1]


def move_label(move: Move) -> str:
    if move.kind == Kind.REVISIT:
        return str(move.label) % {"step": CaseState(move.target).label}
    return str(move.label)
