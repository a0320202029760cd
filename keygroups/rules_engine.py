"""Which derived key-group rules a person meets today (SPEC §3).

Plain functions over already-loaded values, so the importer can use them for
100,000 rows without a query per row.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from households.models import Allowance
from keygroups.models import Rule
from people.choices import COLLEGE_LEVELS, Disability, EmploymentStatus, Sex
from people.identity import age_on


@dataclass(frozen=True)
class Facts:
    birth_date: datetime.date
    sex: str
    employment_status: str
    unemployed_since: datetime.date | None
    education: str
    graduation_date: datetime.date | None
    disability: str
    open_unemployment_registration_since: datetime.date | None = None
    zero_employment_household: bool = False
    allowance_status: str = ""
    land_lost: bool = False
    relocated: bool = False

    @classmethod
    def of(cls, person, *, household=None, registration_since: datetime.date | None = None) -> "Facts":
        """The facts of a person record, with their household and open unemployment registration."""
        return cls(
            birth_date=person.birth_date,
            sex=person.sex,
            employment_status=person.employment_status,
            unemployed_since=person.unemployed_since,
            education=person.education,
            graduation_date=person.graduation_date,
            disability=person.disability,
            open_unemployment_registration_since=registration_since,
            zero_employment_household=bool(household and household.zero_employment),
            allowance_status=(household.allowance_status if household else "") or "",
            land_lost=bool(household and household.land_lost),
            relocated=bool(household and household.relocated),
        )


def retirement_age(sex: str) -> int:
    key = "RETIREMENT_AGE_MALE" if sex == Sex.MALE else "RETIREMENT_AGE_FEMALE"
    return settings.STANDARD[key]


def _months_between(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def rules_met(facts: Facts, today: datetime.date) -> set[str]:
    standard = settings.STANDARD
    met: set[str] = set()
    if facts.open_unemployment_registration_since:
        met.add(Rule.REGISTERED_UNEMPLOYED)
    if facts.employment_status != EmploymentStatus.UNEMPLOYED:
        return met
    age = age_on(facts.birth_date, today)
    if facts.zero_employment_household:
        met.add(Rule.ZERO_EMPLOYMENT_MEMBER)
    if retirement_age(facts.sex) - standard["NEAR_RETIREMENT_YEARS"] <= age < retirement_age(facts.sex):
        met.add(Rule.NEAR_RETIREMENT)
    since = facts.open_unemployment_registration_since or facts.unemployed_since
    if since and _months_between(since, today) >= standard["LONG_TERM_UNEMPLOYED_MONTHS"]:
        met.add(Rule.LONG_TERM_UNEMPLOYED)
    if facts.disability and facts.disability != Disability.NONE:
        met.add(Rule.DISABLED)
    if facts.allowance_status in {Allowance.DIBAO, Allowance.TEKUN}:
        met.add(Rule.ALLOWANCE_HOUSEHOLD)
    if facts.land_lost:
        met.add(Rule.LAND_LOST)
    if facts.relocated:
        met.add(Rule.RELOCATED)
    if (
        facts.education in COLLEGE_LEVELS
        and facts.graduation_date
        and facts.graduation_date <= today
        and _months_between(facts.graduation_date, today) < 12 * standard["GRADUATE_YEARS"]
    ):
        met.add(Rule.RECENT_GRADUATE)
    return met


def categories_met(categories, met_rules: set[str]) -> set[int]:
    """Category ids whose rule is met; ANY_CHILD parents follow their derived children."""
    ids = {c.id for c in categories if c.is_active and c.rule in met_rules}
    for category in categories:
        if category.is_active and category.rule == Rule.ANY_CHILD:
            if any(c.parent_id == category.id and c.id in ids for c in categories):
                ids.add(category.id)
    return ids
