"""The 1:5 and 1:4 ratios per key-group person and per unit, and the recommendation pipeline.

1:5 (SPEC §3, §5.3): distinct vacancies whose recommendation was *shown* to the person in
the calendar month (Recommendation.shown_at), whatever became of it afterwards.
1:4: the push count of notifications.selectors, reused as it is, so both pages agree.
Both are computed in the database (subqueries), one row per person.
"""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.rules import is_supervisor
from core.scope import scoped
from network.models import localized_name
from notifications.selectors import key_group_in_month, month_bounds, push_ratio_by_unit
from people.models import Person
from recommendations.models import Recommendation, State

PERMISSION = "ratios.view_ratios"


def _require(user) -> None:
    if not user.has_perm(PERMISSION):
        raise PermissionDenied


def _targets() -> tuple[int, int]:
    return settings.STANDARD["MATCHED_VACANCIES_PER_MONTH"], settings.STANDARD["PUSHED_ITEMS_PER_MONTH"]


def share(part: int, whole: int) -> int:
    """Whole percent; 0 when there is nobody to count."""
    return round(100 * part / whole) if whole else 0


def reference_day(month: datetime.date, today: datetime.date) -> datetime.date:
    """The day a month is counted up to: today for the current month, the last day for a past one
    (key-group membership and the counts both stop there)."""
    first = month.replace(day=1)
    if (first.year, first.month) == (today.year, today.month):
        return today
    _start, end = month_bounds(first)
    return end.date() - datetime.timedelta(days=1)


def _shown_in_month(today: datetime.date) -> Q:
    start, end = month_bounds(today)
    return Q(shown_at__gte=start, shown_at__lt=end)


def matched_this_month(*, person, today: datetime.date) -> int:
    """Distinct vacancies recommended and shown to the person in today's calendar month."""
    return (
        Recommendation.objects.filter(_shown_in_month(today), person=person).aggregate(
            n=Count("vacancy", distinct=True)
        )["n"]
        or 0
    )


def in_key_group_this_month(*, person, today: datetime.date) -> bool:
    """Whether the targets bind the person this month (a key group at some time up to today)."""
    return Person.objects.filter(pk=person.pk).filter(key_group_in_month(today)).exists()


def _counted(*, user, today: datetime.date, unit_code: str) -> QuerySet:
    """Key-group persons in scope with `matched` (1:5 numerator) and `pushed` (1:4 numerator)."""
    _require(user)
    matched = (
        Recommendation.objects.filter(_shown_in_month(today), person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(n=Count("vacancy", distinct=True))
        .values("n")
    )
    return push_ratio_by_unit(user=user, today=today, unit_code=unit_code).annotate(
        matched=Coalesce(Subquery(matched, output_field=IntegerField()), 0),
        pushed=F("pushed_items"),
    )


def ratio_rows(*, user, today: datetime.date, unit_code: str = "", below_only: bool = False) -> QuerySet:
    """One row per key-group person in the user's scope, with both numerators and verdicts."""
    matched_target, pushed_target = _targets()
    matched_ok, pushed_ok = Q(matched__gte=matched_target), Q(pushed__gte=pushed_target)
    persons = _counted(user=user, today=today, unit_code=unit_code).annotate(
        matched_ok=ExpressionWrapper(matched_ok, output_field=BooleanField()),
        pushed_ok=ExpressionWrapper(pushed_ok, output_field=BooleanField()),
        compliant=ExpressionWrapper(matched_ok & pushed_ok, output_field=BooleanField()),
    )
    if below_only:
        persons = persons.exclude(matched_ok & pushed_ok)
    return persons.order_by("unit__path", "matched", "pushed", "id")


def _unit_name(row: dict, prefix: str) -> str:
    return localized_name(
        SimpleNamespace(
            name_zh=row[f"{prefix}name_zh"], name_bo=row[f"{prefix}name_bo"], name_en=row[f"{prefix}name_en"]
        )
    )


def _count_where(condition: Q):
    return Coalesce(Sum(Case(When(condition, then=1), default=0)), 0)


def ratio_summary(*, user, today: datetime.date, unit_code: str = "") -> list[dict]:
    """Per unit holding the files: persons in key groups, how many reach 1:5, 1:4 and both,
    and the shares in percent. The last row is the total of the user's area (`is_total`)."""
    matched_target, pushed_target = _targets()
    matched_ok, pushed_ok = Q(matched__gte=matched_target), Q(pushed__gte=pushed_target)
    grouped = (
        _counted(user=user, today=today, unit_code=unit_code)
        .order_by()
        .values("unit__code", "unit__name_zh", "unit__name_bo", "unit__name_en", "unit__path")
        .annotate(
            n_persons=Count("id"),
            n_matched_ok=_count_where(matched_ok),
            n_pushed_ok=_count_where(pushed_ok),
            n_both_ok=_count_where(matched_ok & pushed_ok),
        )
        .order_by("unit__path")
    )
    rows = [
        _with_shares(
            {
                "unit_code": row["unit__code"],
                "unit_name": _unit_name(row, "unit__"),
                "persons": row["n_persons"],
                "matched_ok": row["n_matched_ok"],
                "pushed_ok": row["n_pushed_ok"],
                "both_ok": row["n_both_ok"],
                "is_total": False,
            }
        )
        for row in grouped
    ]
    total = {key: sum(row[key] for row in rows) for key in ("persons", "matched_ok", "pushed_ok", "both_ok")}
    area = user.unit.name if user.unit_id else ""
    rows.append(_with_shares({**total, "unit_code": "", "unit_name": area, "is_total": True}))
    return rows


def _with_shares(row: dict) -> dict:
    for key in ("matched_ok", "pushed_ok", "both_ok"):
        row[f"{key}_share"] = share(row[key], row["persons"])
    return row


def share_chart(rows: list[dict]) -> dict:
    """The per-unit shares as grouped bars (static/js/ratio-charts.js)."""
    units = [row for row in rows if not row["is_total"]]
    return {
        "percent": True,
        "stacked": False,
        "categories": [row["unit_name"] for row in units],
        "series": [
            {"name": _("Vacancies shown (1:5)"), "data": [row["matched_ok_share"] for row in units]},
            {"name": _("Items pushed (1:4)"), "data": [row["pushed_ok_share"] for row in units]},
            {"name": _("Both"), "data": [row["both_ok_share"] for row in units]},
        ],
    }


def ratio_overview(*, user, today: datetime.date) -> dict:
    """This month for the dashboard: the area's totals, and for supervisors the per-unit chart
    (a counsellor's area is their own unit, which the totals already are)."""
    rows = ratio_summary(user=user, today=today)
    matched_target, pushed_target = _targets()
    overview = {"total": rows[-1], "matched_target": matched_target, "pushed_target": pushed_target}
    if is_supervisor(user) and len(rows) > 1:
        overview["chart"] = share_chart(rows)
    return overview


PIPELINE_STATES = list(State)


def pipeline(
    *, user, month_start: datetime.datetime, month_end: datetime.datetime, unit_code: str = ""
) -> list[dict]:
    """Recommendations matched in [month_start, month_end), per unit of the person's file:
    how many sit in each state now, how many were ever shown, referred and hired, and the
    hire rate (hired per recommendation shown, in percent; None before anything was shown).
    The last row is the total (`is_total`)."""
    _require(user)
    recommendations = scoped(
        Recommendation.objects.filter(matched_at__gte=month_start, matched_at__lt=month_end), user
    )
    if unit_code:
        recommendations = recommendations.filter(person__unit__path__contains=f"{unit_code}/")
    unit = "person__unit__"
    grouped = (
        recommendations.order_by()
        .values(f"{unit}code", f"{unit}name_zh", f"{unit}name_bo", f"{unit}name_en", f"{unit}path")
        .annotate(
            n_total=Count("id"),
            n_shown=Count("id", filter=Q(shown_at__isnull=False)),
            n_referred=Count("id", filter=Q(referred_at__isnull=False)),
            **{f"n_state_{state.value}": Count("id", filter=Q(state=state)) for state in PIPELINE_STATES},
        )
        .order_by(f"{unit}path")
    )
    rows = [
        _with_rate(
            {
                "unit_code": row[f"{unit}code"],
                "unit_name": _unit_name(row, unit),
                "total": row["n_total"],
                "shown": row["n_shown"],
                "referred": row["n_referred"],
                "states": {state.value: row[f"n_state_{state.value}"] for state in PIPELINE_STATES},
                "is_total": False,
            }
        )
        for row in grouped
    ]
    total = {
        "unit_code": "",
        "unit_name": user.unit.name if user.unit_id else "",
        "total": sum(row["total"] for row in rows),
        "shown": sum(row["shown"] for row in rows),
        "referred": sum(row["referred"] for row in rows),
        "states": {state.value: sum(row["states"][state.value] for row in rows) for state in PIPELINE_STATES},
        "is_total": True,
    }
    rows.append(_with_rate(total))
    return rows


def _with_rate(row: dict) -> dict:
    row["hired"] = row["states"][State.HIRED.value]
    row["hire_rate"] = share(row["hired"], row["shown"]) if row["shown"] else None
    row["state_counts"] = [row["states"][state.value] for state in PIPELINE_STATES]
    return row


def pipeline_chart(rows: list[dict]) -> dict:
    """Recommendations per unit, one stacked segment per current state."""
    units = [row for row in rows if not row["is_total"]]
    return {
        "percent": False,
        "stacked": True,
        "categories": [row["unit_name"] for row in units],
        "series": [
            {"name": str(state.label), "data": [row["states"][state.value] for row in units]}
            for state in PIPELINE_STATES
        ],
    }
