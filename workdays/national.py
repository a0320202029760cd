"""National (non-rule) sources: the chinese_calendar package and the `holidays` fallback."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import chinese_calendar  # type: ignore[import-untyped]


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def year_days(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1).toordinal()
    return [dt.date.fromordinal(first + i) for i in range(days_in_year(year))]


@cache
def official_year(year: int) -> bytes | None:
    """One 0/1 byte per day of `year` from chinese_calendar, or None if it lacks the year."""
    try:
        return bytes(bool(chinese_calendar.is_workday(d)) for d in year_days(year))
    except NotImplementedError:
        return None


def official_name(day: dt.date) -> str:
    _, name = chinese_calendar.get_holiday_detail(day)
    return str(name) if name else ""


@cache
def fallback_holidays(year: int) -> Mapping[dt.date, str]:
    """Chinese public holidays for `year` according to the `holidays` package."""
    # Imported here: it takes ~0.1 s and is only needed for years chinese_calendar lacks.
    import holidays

    found = holidays.country_holidays("CN", years=year, language="zh_CN")
    # Read-only because the cache hands the same object to every caller.
    return MappingProxyType({day: str(name) for day, name in found.items()})


def weekday_year(year: int) -> bytes:
    return bytes(d.weekday() < 5 for d in year_days(year))


def fallback_year(year: int) -> bytes:
    off = fallback_holidays(year)
    return bytes(d.weekday() < 5 and d not in off for d in year_days(year))
