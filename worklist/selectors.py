"""Reads of work items, always through the shared scope. Overdue, due today and upcoming
are computed from `due_on` in the query (ANCHORS 6), never stored."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from accounts.models import User
from core.scope import get_scoped_or_404, scoped
from people.models import Transfer
from worklist.models import WorkItem
from worklist.rules import OWN, VIEW, VIEW_UNIT
from worklist.services import FRONT_LINE, open_items

STATES = ("overdue", "today", "upcoming")
# Lists name persons by masked ID only: the encrypted columns are never read.
SECRET_FIELDS = ("person__id_number", "person__phone", "person__disability_details")
UNASSIGNED = "none"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def upcoming_until(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.CASE_MANAGEMENT["UPCOMING_DAYS"])


def state_filter(state: str, today: datetime.date) -> Q:
    """overdue: due before today; today: due today; upcoming: within UPCOMING_DAYS after today."""
    if state == "overdue":
        return Q(due_on__lt=today)
    if state == "today":
        return Q(due_on=today)
    if state == "upcoming":
        return Q(due_on__gt=today, due_on__lte=upcoming_until(today))
    raise ValueError(state)


def item_state(item: WorkItem, today: datetime.date) -> str:
    if item.due_on < today:
        return "overdue"
    if item.due_on == today:
        return "today"
    return "upcoming" if item.due_on <= upcoming_until(today) else "later"


def _visible(user, perm: str = VIEW) -> QuerySet:
    _require(user, perm)
    items = open_items().select_related("person", "unit", "assignee").defer(*SECRET_FIELDS)
    return scoped(items, user)


def mine(user) -> Q:
    """What "my work" holds: my items, and the unassigned ones of my area."""
    return Q(assignee=user) | Q(assignee__isnull=True)


def my_items(*, user, today: datetime.date) -> QuerySet:
    """Open items assigned to the user or to nobody in their area, due by the upcoming horizon."""
    return (
        _visible(user, OWN)
        .filter(mine(user), due_on__lte=upcoming_until(today))
        .order_by("due_on", "kind", "pk")
    )


def my_work(*, user, today: datetime.date) -> dict[str, list[WorkItem]]:
    groups: dict[str, list[WorkItem]] = {state: [] for state in STATES}
    for item in my_items(user=user, today=today):
        item.state = item_state(item, today)
        item.days_overdue = max(0, (today - item.due_on).days)
        groups[item.state].append(item)
    return groups


def my_counts(*, user, today: datetime.date) -> dict[str, int]:
    """The dashboard card: my overdue items and those due today."""
    items = _visible(user, OWN).filter(mine(user))
    return {
        "overdue": items.filter(state_filter("overdue", today)).count(),
        "today": items.filter(state_filter("today", today)).count(),
    }


def unit_items(
    *,
    user,
    today: datetime.date,
    kind: str = "",
    assignee: str = "",
    overdue_only: bool = False,
    escalated: bool = False,
    unit_code: str = "",
) -> QuerySet:
    """All open items of the user's area (station heads; supervisors read-only)."""
    items = _visible(user, VIEW_UNIT)
    if kind:
        items = items.filter(kind=kind)
    if assignee == UNASSIGNED:
        items = items.filter(assignee__isnull=True)
    elif assignee:
        items = items.filter(assignee_id=int(assignee))
    if overdue_only:
        items = items.filter(state_filter("overdue", today))
    if escalated:
        items = items.filter(escalated_at__isnull=False)
    if unit_code:
        items = items.filter(unit__path__contains=f"{unit_code}/")
    return items.order_by("due_on", "kind", "pk")


def item_list(
    *,
    user,
    today: datetime.date,
    mine_only: bool = False,
    state: str = "",
    kind: str = "",
    unit_code: str = "",
) -> QuerySet:
    """The API's list. Without the unit-wide right, a user sees their own list only."""
    items = _visible(user)
    if mine_only or not user.has_perm(VIEW_UNIT):
        items = items.filter(mine(user))
    if state:
        items = items.filter(state_filter(state, today))
    if kind:
        items = items.filter(kind=kind)
    if unit_code:
        items = items.filter(unit__path__contains=f"{unit_code}/")
    return items.order_by("due_on", "kind", "pk")


def item_get(*, user, pk) -> WorkItem:
    _require(user, VIEW)
    return get_scoped_or_404(WorkItem.objects.select_related("unit", "assignee"), user, pk=pk)


def assignable_staff(*, user) -> QuerySet:
    """Counsellors and station heads of the user's own area, who can take the area's items."""
    return scoped(User.objects.filter(is_active=True, role__in=list(FRONT_LINE)), user).order_by(
        "unit__path", "name_zh", "username"
    )


def person_items(*, user, person) -> QuerySet:
    """The person's open work items, for the panel on their file."""
    return _visible(user).filter(person=person).order_by("due_on", "kind", "pk")


def person_transfers(*, user, person) -> QuerySet:
    _require(user, VIEW)
    return scoped(Transfer.objects.filter(person=person), user).select_related("from_unit", "to_unit", "by")
