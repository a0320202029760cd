"""Reading assistance files, the station head's closure queue, and coverage (§5.1).

Coverage: of the persons in registered unemployed, hard-to-employ (or any of its
sub-categories) or unemployed graduates on a day, the share who have an assistance file,
open or closed, with first assistance given by that day. Counted in the database, one
grouped query, per unit directly below the viewer's (or the chosen) unit, and in total.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.rules import is_supervisor
from assistance.models import AssistanceFile, FileMeasure, FileStatus
from assistance.rules import DECIDE_CLOSURE, VIEW, VIEW_COVERAGE
from core.scope import get_scoped_or_404, scoped, unit_in_scope
from households.models import Household
from keygroups.models import Category, Membership
from network.models import OrgUnit
from people.models import Person

# The groups §5.1 asks 100% coverage of; their sub-categories count with them.
COVERAGE_CATEGORIES = ("registered_unemployed", "hard_to_employ", "unemployed_graduate")


def _require(user, permission: str = VIEW) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


# --- files --------------------------------------------------------------------------------


def first_assistance_overdue(today: datetime.date) -> Q:
    return Q(first_assistance_on__isnull=True, first_assistance_due__lt=today) & ~Q(status=FileStatus.CLOSED)


def file_list(
    *,
    user,
    today: datetime.date,
    status: str = "",
    overdue: bool = False,
    unit_code: str = "",
    category: str = "",
    person_id: int | None = None,
) -> QuerySet:
    """Files in the user's area: the overdue first assistance first, then by due date."""
    _require(user)
    files = scoped(AssistanceFile.objects.select_related("person__unit", "category"), user)
    if status:
        files = files.filter(status=status)
    if overdue:
        files = files.filter(first_assistance_overdue(today))
    if unit_code:
        files = files.filter(person__unit__path__contains=f"{unit_code}/")
    if category:
        files = files.filter(category__code=category)
    if person_id is not None:
        files = files.filter(person_id=person_id)
    return files.order_by("first_assistance_on", "first_assistance_due", "id")


def file_get(*, user, pk) -> AssistanceFile:
    _require(user)
    files = AssistanceFile.objects.select_related(
        "person__unit", "category", "opened_by", "proposed_by", "closed_by"
    )
    return get_scoped_or_404(files, user, pk=pk)


def measure_get(*, user, pk) -> FileMeasure:
    _require(user)
    return get_scoped_or_404(FileMeasure.objects.select_related("file__person__unit"), user, pk=pk)


def person_files(*, user, person) -> list[AssistanceFile]:
    """The person's files, the one not closed first, then the closed ones newest first."""
    _require(user)
    files = scoped(AssistanceFile.objects.filter(person=person), user).select_related(
        "category", "opened_by", "proposed_by", "closed_by"
    )
    return sorted(files, key=lambda f: (f.status == FileStatus.CLOSED, -f.opened_on.toordinal(), -f.pk))


def closure_queue(*, user) -> QuerySet:
    """Closures waiting for a station head, oldest proposal first."""
    _require(user, DECIDE_CLOSURE)
    files = scoped(AssistanceFile.objects.filter(status=FileStatus.CLOSING), user)
    return files.select_related("person__unit", "category", "proposed_by").order_by("proposed_at", "id")


def annotate_state(file: AssistanceFile, today: datetime.date) -> AssistanceFile:
    """Flags for display: computed from the dates, never stored."""
    open_ = file.status != FileStatus.CLOSED
    file.first_overdue = open_ and file.first_assistance_on is None and file.first_assistance_due < today
    file.follow_up_overdue = open_ and bool(file.next_follow_up_due and file.next_follow_up_due < today)
    return file


# --- coverage -----------------------------------------------------------------------------


def coverage_categories() -> QuerySet:
    return Category.objects.filter(Q(code__in=COVERAGE_CATEGORIES) | Q(parent__code__in=COVERAGE_CATEGORIES))


def in_coverage_groups(today: datetime.date) -> Exists:
    """A person with a membership in a covered group that is open on `today`."""
    return Exists(
        Membership.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=today),
            person=OuterRef("pk"),
            category__in=coverage_categories(),
            started_on__lte=today,
        )
    )


def first_assistance_done(today: datetime.date) -> Exists:
    return Exists(
        AssistanceFile.objects.filter(
            person=OuterRef("pk"), first_assistance_on__isnull=False, first_assistance_on__lte=today
        )
    )


def share(part: int, whole: int) -> int:
    """Whole percent; 0 when there is nobody to count."""
    return round(100 * part / whole) if whole else 0


def _base_unit(user, unit_code: str) -> OrgUnit | None:
    """The unit whose subtree is counted: the chosen one if it is in the user's area."""
    if not unit_code:
        return user.unit if user.unit_id else None
    unit = OrgUnit.objects.filter(code=unit_code).first()
    return unit if unit is not None and unit_in_scope(user, unit) else None


@dataclass
class _Bucket:
    unit: OrgUnit
    counts: dict = field(default_factory=dict)


def _buckets(base: OrgUnit) -> list[_Bucket]:
    """The units directly below `base`, and `base` itself for what it holds directly."""
    children = OrgUnit.objects.filter(parent=base).order_by("code")
    return [_Bucket(child) for child in children] + [_Bucket(base)]


def _bucket_of(buckets: list[_Bucket], path: str) -> _Bucket:
    for bucket in buckets[:-1]:
        if path.startswith(bucket.unit.path):
            return bucket
    return buckets[-1]


def _rollup(rows, buckets: list[_Bucket], keys: tuple[str, ...]) -> None:
    for row in rows:
        bucket = _bucket_of(buckets, row["unit__path"])
        for key in keys:
            bucket.counts[key] = bucket.counts.get(key, 0) + (row[key] or 0)


def coverage(*, user, today: datetime.date, unit_code: str = "") -> list[dict]:
    """One row per unit below the viewer's (or the chosen) unit — the unit itself too when it
    holds files directly — with `population`, `covered` and `share` (%); the last row is
    the total (`is_total`). Units below with nobody to count are listed with zeros."""
    _require(user, VIEW_COVERAGE)
    base = _base_unit(user, unit_code)
    if base is None:
        return [_coverage_row(None, 0, 0, is_total=True)]
    persons = scoped(Person.objects.filter(unit__path__startswith=base.path), user).filter(
        in_coverage_groups(today)
    )
    grouped = (
        persons.order_by()
        .values("unit__path")
        .annotate(population=Count("id"), covered=Count("id", filter=first_assistance_done(today)))
    )
    buckets = _buckets(base)
    _rollup(grouped, buckets, ("population", "covered"))
    rows = [
        _coverage_row(b.unit, b.counts.get("population", 0), b.counts.get("covered", 0))
        for b in buckets
        if b.unit != base or b.counts.get("population")
    ]
    total = _coverage_row(
        base, sum(r["population"] for r in rows), sum(r["covered"] for r in rows), is_total=True
    )
    return [*rows, total]


def _coverage_row(unit, population: int, covered: int, *, is_total: bool = False) -> dict:
    return {
        "unit_code": unit.code if unit else "",
        "unit_name": unit.name if unit else "",
        "population": population,
        "covered": covered,
        "not_covered": population - covered,
        "share": share(covered, population),
        "is_total": is_total,
    }


def coverage_chart(rows: list[dict]) -> dict:
    """Coverage share per unit, for static/js/ratio-charts.js."""
    units = [row for row in rows if not row["is_total"]]
    return {
        "percent": True,
        "stacked": False,
        "categories": [row["unit_name"] for row in units],
        "series": [{"name": _("Assistance coverage"), "data": [row["share"] for row in units]}],
    }


# --- zero-employment households ----------------------------------------------------------


def zero_employment_open(*, user, today: datetime.date, unit_code: str = "") -> list[dict]:
    """Open zero-employment households per unit below the viewer's (or the chosen) unit:
    how many, how many past their clearance deadline, the fewest days left (negative when
    overdue) and the households themselves, soonest first. The last row is the total."""
    _require(user, VIEW_COVERAGE)
    base = _base_unit(user, unit_code)
    if base is None:
        return [_zero_row(None, {}, [], today, is_total=True)]
    households = scoped(
        Household.objects.filter(zero_employment=True, unit__path__startswith=base.path), user
    )
    grouped = (
        households.order_by()
        .values("unit__path")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(clearance_due__lt=today)))
    )
    buckets = _buckets(base)
    _rollup(grouped, buckets, ("open", "overdue"))
    listed: dict[int, list] = {}
    for household in households.select_related("unit").order_by("clearance_due", "id"):
        household.days_left = (household.clearance_due - today).days
        listed.setdefault(id(_bucket_of(buckets, household.unit.path)), []).append(household)
    rows = [
        _zero_row(b.unit, b.counts, listed.get(id(b), []), today)
        for b in buckets
        if b.unit != base or b.counts.get("open")
    ]
    everyone = sorted((h for row in rows for h in row["households"]), key=lambda h: (h.clearance_due, h.pk))
    totals = {"open": sum(r["open"] for r in rows), "overdue": sum(r["overdue"] for r in rows)}
    return [*rows, _zero_row(base, totals, everyone, today, is_total=True)]


def _zero_row(unit, counts: dict, households: list, today, *, is_total: bool = False) -> dict:
    return {
        "unit_code": unit.code if unit else "",
        "unit_name": unit.name if unit else "",
        "open": counts.get("open", 0),
        "overdue": counts.get("overdue", 0),
        "min_days_left": households[0].days_left if households else None,
        "min_days_overdue": max(0, -households[0].days_left) if households else 0,
        "households": households,
        "is_total": is_total,
    }


def zero_employment_chart(rows: list[dict]) -> dict:
    units = [row for row in rows if not row["is_total"]]
    return {
        "percent": False,
        "stacked": True,
        "categories": [row["unit_name"] for row in units],
        "series": [
            {"name": _("Within the deadline"), "data": [row["open"] - row["overdue"] for row in units]},
            {"name": _("Past the deadline"), "data": [row["overdue"] for row in units]},
        ],
    }


def coverage_overview(*, user, today: datetime.date) -> dict:
    """The dashboard card: the area's coverage and open zero-employment households; for
    supervisors, the per-unit coverage chart."""
    rows = coverage(user=user, today=today)
    zero = zero_employment_open(user=user, today=today)
    overview = {"coverage": rows[-1], "zero": zero[-1]}
    if is_supervisor(user) and len(rows) > 1:
        overview["chart"] = coverage_chart(rows)
    return overview


def overdue_first_assistance_count(*, user, today: datetime.date) -> int:
    _require(user)
    return scoped(AssistanceFile.objects.filter(first_assistance_overdue(today)), user).count()
