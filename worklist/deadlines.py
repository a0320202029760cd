"""The one place that turns a start date and a rule into a due date (SPEC §3 Deadlines).

Every domain asks here; the rule says how many days and whether they are working days,
and working days go through the calendar of the unit's region (national, Tibet and
Lhasa holidays, make-up workdays). The numbers are settings.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings

import workdays
from workcalendar.selectors import region_for_unit


@dataclass(frozen=True)
class Rule:
    days: int
    working_days: bool


def rule(name: str) -> Rule:
    """The rule of a named deadline, read from settings each time (tests change settings)."""
    standard, case = settings.STANDARD, settings.CASE_MANAGEMENT
    rules = {
        "first_assistance": Rule(standard["FIRST_ASSISTANCE_DAYS"], standard["FIRST_ASSISTANCE_IN_WORKDAYS"]),
        "plan_review": Rule(case["PLAN_REVIEW_DAYS"], False),
        "personal_policy": Rule(case["PERSONAL_POLICY_DAYS"], True),
        "file_closure": Rule(case["CLOSURE_DECISION_WORKDAYS"], True),
    }
    return rules[name]


def add_days(start: datetime.date, days: int, *, working_days: bool, unit=None) -> datetime.date:
    if working_days:
        return workdays.add_workdays(start, days, region_for_unit(unit))
    return start + datetime.timedelta(days=days)


def due_date(name: str, start: datetime.date, *, unit=None) -> datetime.date:
    """`due_date("first_assistance", opened_on, unit=person.unit)`."""
    r = rule(name)
    return add_days(start, r.days, working_days=r.working_days, unit=unit)


def month_end(year: int, month: int) -> datetime.date:
    """The last day of a month; months past 12 roll into the next year."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def monthly_update_due(
    *, info_updated_on: datetime.date | None, member_since: datetime.date
) -> datetime.date:
    """When a key-group person's next monthly information update (§5.9.2) falls due.

    Updated in month M: the update for month M+1 is due by its last day. Never updated:
    the update for the month the person joined a key group. The same rule as the
    monthly-update worklist (people.worklist_views.update_due_on).
    """
    if info_updated_on:
        return month_end(info_updated_on.year, info_updated_on.month + 1)
    return month_end(member_since.year, member_since.month)
