"""Reads of households and their zero-employment state, always through the shared scope."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from core.scope import get_scoped_or_404, scoped, unit_in_scope
from households.models import Household, ZeroEmploymentEpisode
from households.rules import MemberFacts, quarter_end, working_age
from network.models import OrgUnit
from people.models import Person
from people.selectors import search_filter

# Highlight open households whose clearance is due within this many days.
DUE_SOON_DAYS = 14
MAX_PK = 2**31 - 1


def _require(user, perm: str = "people.view_person") -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _search(q: str) -> Q:
    """A household number ("#12" or "12"), part of the address, or a member's name/ID/phone."""
    q = q.strip()[:60]
    match = Q(address__icontains=q)
    number = q.lstrip("#")
    if number.isdigit() and int(number) <= MAX_PK:
        match |= Q(pk=int(number))
    members = Person.objects.filter(household=OuterRef("pk")).filter(search_filter(q))
    return match | Q(Exists(members))


def household_list(
    *, user, q: str = "", unit_code: str = "", zero_employment: bool | None = None
) -> QuerySet:
    _require(user)
    households = scoped(Household.objects.select_related("unit"), user).annotate(
        member_count=Count("members", distinct=True)
    )
    if q.strip():
        households = households.filter(_search(q))
    if unit_code:
        households = households.filter(unit__path__contains=f"{unit_code}/")
    if zero_employment is not None:
        households = households.filter(zero_employment=zero_employment)
    return households.order_by("-id")


def household_get(*, user, pk) -> Household:
    _require(user)
    return get_scoped_or_404(
        Household.objects.select_related("unit").prefetch_related(
            Prefetch("members", queryset=Person.objects.select_related("unit").order_by("birth_date", "id")),
            Prefetch("episodes", queryset=ZeroEmploymentEpisode.objects.order_by("-recognised_on", "-id")),
        ),
        user,
        pk=pk,
    )


@dataclass(frozen=True)
class MemberRow:
    person: Person
    working_age: bool
    in_scope: bool  # whether the user may open the member's own file


def household_members(*, household: Household, today: datetime.date, user) -> list[MemberRow]:
    """Members with whether they count as working age today (what the definition looks at)."""
    return [
        MemberRow(
            person=m,
            working_age=working_age(
                MemberFacts(m.birth_date, m.sex, m.employment_status, m.able_and_willing), today
            ),
            in_scope=unit_in_scope(user, m.unit),
        )
        for m in household.members.all()
    ]


def zero_employment_open(*, user, unit_code: str = "", today: datetime.date) -> list[Household]:
    """Open zero-employment households, soonest clearance first, each with `days_left`.

    `days_left` is clearance_due − today (negative once overdue). It is worked out per
    row in Python: date arithmetic in SQL differs between SQLite and PostgreSQL, and the
    list is short (open households only).
    """
    _require(user)
    households = scoped(Household.objects.select_related("unit"), user).filter(zero_employment=True)
    if unit_code:
        households = households.filter(unit__path__contains=f"{unit_code}/")
    households = households.annotate(member_count=Count("members")).order_by("clearance_due", "id")
    rows = list(households)
    for household in rows:
        household.days_left = (household.clearance_due - today).days
        household.is_overdue = household.days_left < 0
        household.is_due_soon = 0 <= household.days_left <= DUE_SOON_DAYS
    return rows


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


@dataclass(frozen=True)
class UnitSummary:
    unit: OrgUnit
    open: int
    overdue: int
    cleared_this_quarter: int


def zero_employment_by_unit(*, user, today: datetime.date, unit_code: str = "") -> list[UnitSummary]:
    """Per owning unit: open households, how many are past their clearance date, and
    episodes cleared since the start of this quarter."""
    _require(user)
    households = scoped(Household.objects.all(), user)
    episodes = scoped(ZeroEmploymentEpisode.objects.all(), user)
    if unit_code:
        households = households.filter(unit__path__contains=f"{unit_code}/")
        episodes = episodes.filter(household__unit__path__contains=f"{unit_code}/")
    counts: dict[int, dict[str, int]] = {}
    open_rows = (
        households.filter(zero_employment=True)
        .values("unit_id")
        .order_by()
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(clearance_due__lt=today)))
    )
    for row in open_rows:
        counts[row["unit_id"]] = {"open": row["open"], "overdue": row["overdue"], "cleared": 0}
    cleared_rows = (
        episodes.filter(cleared_on__gte=quarter_start(today), cleared_on__lte=quarter_end(today))
        .values("household__unit_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    for row in cleared_rows:
        unit_counts = counts.setdefault(row["household__unit_id"], {"open": 0, "overdue": 0, "cleared": 0})
        unit_counts["cleared"] = row["n"]
    units = OrgUnit.objects.in_bulk(list(counts))
    summary = [
        UnitSummary(
            unit=units[unit_id],
            open=values["open"],
            overdue=values["overdue"],
            cleared_this_quarter=values["cleared"],
        )
        for unit_id, values in counts.items()
    ]
    return sorted(summary, key=lambda row: row.unit.path)


def household_choices(*, user, q: str = "", limit: int = 20) -> list[Household]:
    """Households a person may be moved into: in scope, matched by number, address or member."""
    if not q.strip():
        return []
    return list(household_list(user=user, q=q)[:limit])
