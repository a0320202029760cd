"""Working-day calendar: explicit per-region rules over the national schedule."""

from __future__ import annotations

import datetime as dt
import operator
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from . import national
from .regions import NATIONAL, region_chain, validate_region

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)

# Deadlines are weeks or months away; larger values are almost certainly input errors.
MAX_WORKDAYS = 3660
MAX_SPAN_DAYS = 36600


@dataclass(frozen=True)
class DayRule:
    day: dt.date
    kind: str  # "holiday" | "workday"
    region: str  # "CN" or a division code
    name: str = ""


@dataclass(frozen=True)
class DayInfo:
    is_workday: bool
    source: str  # "rule:<region>" | "chinese_calendar" | "weekday" | "fallback"
    name: str = ""


@dataclass(frozen=True)
class _YearTable:
    start: int  # ordinal of 1 January
    flags: bytes  # one byte per day of the year, 1 = working day
    cum: tuple[int, ...]  # cum[i] = working days among the first i days; len(flags) + 1 items


def _check_rule(rule: DayRule) -> None:
    if rule.kind not in KINDS:
        raise ValueError(f"invalid kind {rule.kind!r} for {rule.day}: expected one of {KINDS}")
    validate_region(rule.region)
    # A datetime never compares equal to a date, so such a rule would silently never match.
    if isinstance(rule.day, dt.datetime) or not isinstance(rule.day, dt.date):
        raise ValueError(f"rule day must be a datetime.date, got {rule.day!r}")


class WorkCalendar:
    """Working-day questions for any region. Rules are fixed at construction, so an instance
    can be shared between threads; its caches only ever gain identical entries."""

    def __init__(self, rules: Iterable[DayRule] = ()) -> None:
        self._rules: dict[tuple[str, int], dict[dt.date, DayRule]] = {}
        for rule in rules:
            _check_rule(rule)
            by_day = self._rules.setdefault((rule.region, rule.day.year), {})
            known = by_day.setdefault(rule.day, rule)
            if known.kind != rule.kind:
                raise ValueError(
                    f"conflicting rules for {rule.day} in {rule.region}: {known.kind} and {rule.kind}"
                )
        self._national: dict[int, bytes] = {}
        self._tables: dict[tuple[str, int], _YearTable] = {}

    # --- resolution -----------------------------------------------------------------------

    def _national_year(self, year: int) -> bytes:
        flags = self._national.get(year)
        if flags is None:
            flags = national.official_year(year)
            if flags is None:
                if (NATIONAL, year) in self._rules:
                    flags = national.weekday_year(year)
                else:
                    flags = national.fallback_year(year)
            self._national[year] = flags
        return flags

    def _table(self, region: str, year: int) -> _YearTable:
        table = self._tables.get((region, year))
        if table is None:
            chain = region_chain(region)
            flags = bytearray(self._national_year(year))
            start = dt.date(year, 1, 1).toordinal()
            # Least specific first, so that more specific rules overwrite.
            for level in chain:
                for day, rule in self._rules.get((level, year), {}).items():
                    flags[day.toordinal() - start] = rule.kind == WORKDAY
            cum = [0]
            for flag in flags:
                cum.append(cum[-1] + flag)
            table = _YearTable(start, bytes(flags), tuple(cum))
            self._tables[(region, year)] = table
        return table

    def is_workday(self, day: dt.date, region: str = NATIONAL) -> bool:
        table = self._table(region, day.year)
        return bool(table.flags[day.toordinal() - table.start])

    def explain(self, day: dt.date, region: str = NATIONAL) -> DayInfo:
        """Why `day` is or is not a working day in `region`."""
        year = day.year
        for level in reversed(region_chain(region)):
            rule = self._rules.get((level, year), {}).get(day)
            if rule is not None:
                return DayInfo(rule.kind == WORKDAY, f"rule:{level}", rule.name)
        official = national.official_year(year)
        if official is not None:
            is_work = bool(official[day.toordinal() - dt.date(year, 1, 1).toordinal()])
            return DayInfo(is_work, "chinese_calendar", national.official_name(day))
        if (NATIONAL, year) in self._rules:
            return DayInfo(day.weekday() < 5, "weekday")
        name = national.fallback_holidays(year).get(day, "")
        return DayInfo(day.weekday() < 5 and not name, "fallback", name)

    def schedule_entered(self, year: int, region: str = NATIONAL) -> bool:
        """Whether `year` follows an entered or official schedule, not a guess from `holidays`."""
        chain = region_chain(region)
        has_national = (NATIONAL, year) in self._rules or national.official_year(year) is not None
        if not has_national or region == NATIONAL:
            return has_national
        return any((level, year) in self._rules for level in chain[1:])

    # --- counting -------------------------------------------------------------------------

    def add_workdays(self, start: dt.date, days: int, region: str = NATIONAL) -> dt.date:
        """The date `days` working days after `start` (before it if negative); start not counted."""
        days = operator.index(days)  # a float or Decimal here is a caller bug, not a rounding case
        if abs(days) > MAX_WORKDAYS:
            raise ValueError(f"days must be between -{MAX_WORKDAYS} and {MAX_WORKDAYS}, got {days}")
        validate_region(region)
        if days == 0:
            return start
        year = start.year
        table = self._table(region, year)
        index = start.toordinal() - table.start
        # Walk whole years using their running counts, then bisect inside the final year.
        if days > 0:
            remaining = days
            while remaining > table.cum[-1] - table.cum[index + 1]:
                remaining -= table.cum[-1] - table.cum[index + 1]
                year = _step_year(year, start, 1)
                table = self._table(region, year)
                index = -1
            target = table.cum[index + 1] + remaining
        else:
            remaining = -days
            while remaining > table.cum[index]:
                remaining -= table.cum[index]
                year = _step_year(year, start, -1)
                table = self._table(region, year)
                index = len(table.flags)
            target = table.cum[index] - remaining + 1
        # cum[i] first reaches `target` just after the wanted day, i.e. at i = its index + 1.
        return dt.date.fromordinal(table.start + bisect_left(table.cum, target) - 1)

    def workdays_between(self, a: dt.date, b: dt.date, region: str = NATIONAL) -> int:
        """Working days d with a < d <= b; negated when b < a."""
        if b < a:
            return -self.workdays_between(b, a, region)
        if (b - a).days > MAX_SPAN_DAYS:
            raise ValueError(f"{a}..{b} spans more than {MAX_SPAN_DAYS} days")
        first = self._table(region, a.year)
        last = self._table(region, b.year)
        upto_a = first.cum[a.toordinal() - first.start + 1]
        upto_b = last.cum[b.toordinal() - last.start + 1]
        whole_years = sum(self._table(region, y).cum[-1] for y in range(a.year, b.year))
        return whole_years + upto_b - upto_a


def _step_year(year: int, start: dt.date, step: int) -> int:
    # Only reachable if rules wipe out years of working days in a row.
    limit = MAX_SPAN_DAYS // 366
    if abs(year + step - start.year) > limit:
        raise ValueError(f"no such working day within {limit} years of {start}")
    return year + step
