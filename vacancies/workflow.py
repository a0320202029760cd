"""The vacancy lifecycle as data (§5.3.2 only vetted information is published, §5.3.3 validity).

Each action names the states it may start from, the state it leads to, the permission
a person needs to take it, and whether a note is required. `vacancies.services`
applies them: one place checks, one place writes the transition log. Nothing here
touches the database.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from vacancies.models import Status

FINAL_STATES = frozenset({Status.FILLED, Status.CLOSED})
NON_FINAL_STATES = frozenset(set(Status) - FINAL_STATES)
# States in which the vacancy has passed review; an edit then sends it back to review.
REVIEWED_STATES = frozenset({Status.PUBLISHED, Status.SUSPENDED})
EDITABLE_STATES = frozenset({Status.DRAFT, Status.UNDER_REVIEW}) | REVIEWED_STATES

MANAGE = "vacancies.manage_vacancy"
REVIEW = "vacancies.review_vacancy"


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset
    target: str
    permission: str
    label: str
    note_required: bool = False
    # The validity job may take this action with no user.
    system: bool = False
    # Taken by another service (an edit), never asked for directly.
    internal: bool = False


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        Action("submit", frozenset({Status.DRAFT}), Status.UNDER_REVIEW, MANAGE, _("Submit for review")),
        Action(
            "approve", frozenset({Status.UNDER_REVIEW}), Status.PUBLISHED, REVIEW, _("Approve and publish")
        ),
        Action(
            "reject",
            frozenset({Status.UNDER_REVIEW}),
            Status.DRAFT,
            REVIEW,
            _("Send back"),
            note_required=True,
        ),
        Action(
            "suspend",
            frozenset({Status.PUBLISHED}),
            Status.SUSPENDED,
            MANAGE,
            _("Suspend"),
            note_required=True,
            system=True,
        ),
        Action("reconfirm", REVIEWED_STATES, Status.PUBLISHED, MANAGE, _("Reconfirm")),
        Action("fill", REVIEWED_STATES, Status.FILLED, MANAGE, _("Mark as filled")),
        Action("close", NON_FINAL_STATES, Status.CLOSED, MANAGE, _("Close"), note_required=False),
        Action(
            "revise", REVIEWED_STATES, Status.UNDER_REVIEW, MANAGE, _("Changed after review"), internal=True
        ),
    )
}
# What a person may ask for (pages and API); `revise` happens through an edit.
PUBLIC_ACTIONS = [name for name, action in ACTIONS.items() if not action.internal]


def action_for(name: str) -> Action | None:
    return ACTIONS.get(name)


def can_start(action: Action, status: str) -> bool:
    return status in action.sources


def actions_from(status: str) -> list[Action]:
    """The actions a vacancy in `status` allows, in a stable order, internal ones left out."""
    return [action for action in ACTIONS.values() if not action.internal and status in action.sources]
