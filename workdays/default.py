"""Process-wide default calendar, replaceable by the host application."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .calendar import WorkCalendar
from .regions import NATIONAL

_EMPTY = WorkCalendar()


def _default_provider() -> WorkCalendar:
    return _EMPTY


_provider: Callable[[], WorkCalendar] = _default_provider


def set_calendar_provider(provider: Callable[[], WorkCalendar]) -> None:
    """Install the source of the calendar used by the module-level functions.

    The provider is called on every module-level call, so it should return a cached
    instance and build a new one only when its rules change (WorkCalendar caches per
    instance, and a fresh instance starts cold).
    """
    global _provider
    _provider = provider


def get_calendar() -> WorkCalendar:
    return _provider()


def is_workday(day: dt.date, region: str = NATIONAL) -> bool:
    return get_calendar().is_workday(day, region)


def add_workdays(start: dt.date, days: int, region: str = NATIONAL) -> dt.date:
    return get_calendar().add_workdays(start, days, region)


def workdays_between(a: dt.date, b: dt.date, region: str = NATIONAL) -> int:
    return get_calendar().workdays_between(a, b, region)
