"""The zero-employment definition (SPEC §3), as a plain function over member facts."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from people.choices import WORKING_STATUSES, EmploymentStatus
from people.identity import age_on


@dataclass(frozen=True)
class MemberFacts:
    birth_date: datetime.date
    sex: str
    employment_status: str
    able_and_willing: bool


def working_age(member: MemberFacts, today: datetime.date) -> bool:
    from keygroups.rules_engine import retirement_age

    return (
        settings.STANDARD["WORKING_AGE_FROM"] <= age_on(member.birth_date, today) < retirement_age(member.sex)
    )


def is_zero_employment(
    members: list[MemberFacts], *, has_business_income: bool, today: datetime.date
) -> bool:
    """Every working-age member who can and wants to work is unemployed, there is at
    least one such member, nobody in the household works, and no business income."""
    if has_business_income:
        return False
    if any(m.employment_status in WORKING_STATUSES for m in members):
        return False
    labour = [m for m in members if working_age(m, today) and m.able_and_willing]
    return bool(labour) and all(m.employment_status == EmploymentStatus.UNEMPLOYED for m in labour)


def quarter_end(day: datetime.date) -> datetime.date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    if last_month == 12:
        return datetime.date(day.year, 12, 31)
    return datetime.date(day.year, last_month + 1, 1) - datetime.timedelta(days=1)
