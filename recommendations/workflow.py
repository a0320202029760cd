"""The recommendation chain as data, from the match to the hire (§4.4.1 推荐跟踪).

Each action names the states it may start from, the state it leads to, the side that
acts, and what it needs (a reason, a date). `recommendations.services` applies them:
one place checks, one place writes the log. Nothing here touches the database.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from recommendations.models import DeclineReason, RejectReason, Side, State, WithdrawReason

S = State


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset
    target: str
    side: str
    label: str
    # The reason enum the action needs (None: no reason).
    reason_choices: type | None = None
    needs_date: bool = False
    # Taken only by the system (expiry, hire elsewhere).
    system_only: bool = False


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("show", frozenset({S.MATCHED}), S.SHOWN, Side.COUNSELLOR, _("Shown to the seeker")),
        Action(
            "interested",
            frozenset({S.MATCHED, S.SHOWN}),
            S.INTERESTED,
            Side.SEEKER,
            _("Seeker is interested"),
        ),
        Action(
            "decline",
            frozenset({S.MATCHED, S.SHOWN, S.INTERESTED}),
            S.DECLINED,
            Side.SEEKER,
            _("Seeker declines"),
            reason_choices=DeclineReason,
        ),
        # A counsellor refers with the seeker's agreement, so it may follow the showing directly.
        Action(
            "refer",
            frozenset({S.MATCHED, S.SHOWN, S.INTERESTED}),
            S.REFERRED,
            Side.COUNSELLOR,
            _("Refer to the employer"),
        ),
        Action(
            "interview",
            frozenset({S.REFERRED, S.NO_RESPONSE}),
            S.INTERVIEW,
            Side.EMPLOYER,
            _("Employer invites to interview"),
            needs_date=True,
        ),
        Action(
            "reject",
            frozenset({S.REFERRED, S.INTERVIEW, S.NO_RESPONSE}),
            S.REJECTED,
            Side.EMPLOYER,
            _("Employer rejects"),
            reason_choices=RejectReason,
        ),
        Action(
            "hire",
            frozenset({S.REFERRED, S.INTERVIEW, S.NO_RESPONSE}),
            S.HIRED,
            Side.EMPLOYER,
            _("Hired"),
            needs_date=True,
        ),
        Action("not_hired", frozenset({S.INTERVIEW}), S.NOT_HIRED, Side.EMPLOYER, _("Not hired")),
        Action(
            "expire_employer",
            frozenset({S.REFERRED, S.INTERVIEW}),
            S.NO_RESPONSE,
            Side.SYSTEM,
            _("No answer from the employer in time"),
            system_only=True,
        ),
        Action(
            "expire_seeker",
            frozenset({S.SHOWN}),
            S.DECLINED,
            Side.SYSTEM,
            _("No answer from the seeker in time"),
            system_only=True,
        ),
        Action(
            "withdraw",
            frozenset({S.MATCHED, S.SHOWN, S.INTERESTED, S.REFERRED, S.INTERVIEW, S.NO_RESPONSE}),
            S.WITHDRAWN,
            Side.COUNSELLOR,
            _("Withdraw"),
            reason_choices=WithdrawReason,
        ),
    )
}
# What a person may ask for (pages and API).
PUBLIC_ACTIONS = [name for name, action in ACTIONS.items() if not action.system_only]
# Reasons only the system gives; they stay in the enums (and the data) but not in the forms.
AUTOMATIC_REASONS = frozenset({DeclineReason.NO_RESPONSE, WithdrawReason.HIRED_ELSEWHERE})


def action_for(name: str) -> Action | None:
    return ACTIONS.get(name)


def can_start(action: Action, state: str) -> bool:
    return state in action.sources


def actions_from(state: str) -> list[Action]:
    return [a for a in ACTIONS.values() if not a.system_only and state in a.sources]


def reason_choices(action: Action) -> list[tuple[str, str]]:
    """The reasons a person may choose for `action` (empty when it takes none)."""
    if action.reason_choices is None:
        return []
    return [
        (value, label) for value, label in action.reason_choices.choices if value not in AUTOMATIC_REASONS
    ]
