"""The one place that turns a start date and a rule into a due date (SPEC §3 Deadlines).

Every domain asks here; the rule says how many days and whether they are working days,
and working days go through the calendar of the unit's region (national, Tibet and
Lhasa holidays, make-up workdays). The numbers are settings.
"""

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
