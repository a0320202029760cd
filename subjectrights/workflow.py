"""The life of a data-subject request as data (GB/T 35273 §8.7).

received → verified → completed | refused | withdrawn. Each action names the states it
may start from, the state it leads to, the permission it needs and what it asks for.
`subjectrights.services` applies them: one place checks, one place writes the step log.
Nothing here touches the database.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from subjectrights.models import RequestKind, State
from subjectrights.rules import COMPLETE_IRREVERSIBLE, RECORD

S = State
# Kinds whose completion removes the person's identity for good.
IRREVERSIBLE_KINDS = frozenset({RequestKind.DELETION, RequestKind.ACCOUNT_CANCELLATION})
# Kinds answered by handing over the person's data (the copy in copy.py).
COPY_KINDS = frozenset({RequestKind.ACCESS, RequestKind.COPY})


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset
    target: str
    label: object
    needs_method: bool = False
    needs_reason: bool = False
    needs_outcome: bool = False
    # Whether the work item is met (done) or went away (cancelled).
    closes_item_as_done: bool = True


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("verify", frozenset({S.RECEIVED}), S.VERIFIED, _("Identity verified"), needs_method=True),
        # Never from "received": nothing is handed over or removed for an unverified person.
        Action("complete", frozenset({S.VERIFIED}), S.COMPLETED, _("Complete"), needs_outcome=True),
        Action("refuse", frozenset({S.RECEIVED, S.VERIFIED}), S.REFUSED, _("Refuse"), needs_reason=True),
        Action(
            "withdraw",
            frozenset({S.RECEIVED, S.VERIFIED}),
            S.WITHDRAWN,
            _("Withdrawn by the person"),
            closes_item_as_done=False,
        ),
    )
}


def action_for(name: str) -> Action | None:
    return ACTIONS.get(name)


def can_start(action: Action, state: str) -> bool:
    return state in action.sources


def permission_for(action: Action, kind: str) -> str:
    """Completing a deletion or cancellation cannot be undone: a station head or above."""
    if action.name == "complete" and kind in IRREVERSIBLE_KINDS:
        return COMPLETE_IRREVERSIBLE
    return RECORD


def actions_for(request, user) -> list[Action]:
    """The actions `user` may take on `request` now (the page shows these buttons)."""
    return [
        a
        for a in ACTIONS.values()
        if can_start(a, request.state) and user.has_perm(permission_for(a, request.kind))
    ]
