"""Working-day calendar for Chinese regions (GB/T 2260 codes), free of Django.

A region inherits the rules of every enclosing region; see `region_chain`.
"""

from .calendar import MAX_WORKDAYS, DayInfo, DayRule, WorkCalendar
from .default import (
    add_workdays,
    get_calendar,
    is_workday,
    set_calendar_provider,
    workdays_between,
)
from .regions import NATIONAL, region_chain, validate_region

__all__ = [
    "MAX_WORKDAYS",
    "NATIONAL",
    "DayInfo",
    "DayRule",
    "WorkCalendar",
    "add_workdays",
    "get_calendar",
    "is_workday",
    "region_chain",
    "set_calendar_provider",
    "validate_region",
    "workdays_between",
]
