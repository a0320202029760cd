"""Vetting a vacancy before it is published (§5.3.2 真实有效, non-discrimination).

`vet(vacancy)` returns the problems found, each naming the field it concerns. An
"error" blocks approval; a "warning" is shown to the reviewer, who decides. The
discriminatory-wording rules are data (data/vacancy_screening_rules.csv: code,
pattern, fields, message_key, severity, unless); their messages are here, so that they
are translated like every other string.
"""

import csv
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

from vacancies.models import PayPeriod

RULES_FILE = Path(settings.BASE_DIR) / "data" / "vacancy_screening_rules.csv"
RULE_COLUMNS = ("code", "pattern", "fields", "message_key", "severity", "unless")
ERROR = "error"
WARNING = "warning"
# Free-text fields the wording rules read; "*" in the rules file means all of them.
TEXT_FIELDS = (
    "title_zh",
    "title_bo",
    "description",
    "skills",
    "certificates",
    "physical_requirements",
    "other_requirements",
)
# Minors (16–17) are protected workers; asking for 18 or over needs no reason.
ADULT_AGE = 18

MESSAGES = {
    "gender": _("Requirements may not restrict or prefer one sex."),
    "ethnicity": _("Requirements may not restrict or prefer an ethnic group."),
    "household_registration": _("Requirements may not restrict household registration (户籍) or origin."),
    "marital_status": _("Requirements may not ask about marriage, children or pregnancy."),
    "hepatitis_b": _("Hepatitis B carriers may not be excluded or screened."),
    "religion": _("Requirements may not mention religious belief."),
    "disability": _("Requirements may not exclude people with disabilities."),
    "height": _("Height or weight limits need a safety reason stated in the requirements."),
    "appearance": _("Requirements about looks are not related to most jobs; check that this one needs them."),
    "age_in_text": _("Put an age limit in the age fields, with the reason it is needed."),
    "employer_inactive": _("The employer is not active."),
    "employer_credit_code": _("The employer's unified social credit code is not valid (GB 32100)."),
    "below_minimum_wage_month": _(
        "The lowest pay is below the local monthly minimum wage of %(minimum)s yuan."
    ),
    "below_minimum_wage_day": _(
        "The lowest pay is below the local daily minimum wage of %(minimum)s yuan "
        "(the monthly minimum divided by %(days)s working days)."
    ),
    "below_minimum_wage_hour": _(
        "The lowest pay is below the local hourly minimum wage of %(minimum)s yuan."
    ),
    "salary_range": _("The highest pay cannot be lower than the lowest pay."),
    "under_working_age": _("The minimum age cannot be below the legal working age of %(age)s."),
    "age_min_without_reason": _(
        "A minimum age above %(age)s narrows the job to fewer people; state why the job needs it."
    ),
    "age_max_without_reason": _(
        "A maximum age below %(age)s narrows the job to fewer people; state why the job needs it."
    ),
}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    severity: str = ERROR
    code: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR

    @property
    def field_label(self) -> str:
        from vacancies.models import Vacancy

        try:
            return str(Vacancy._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:
            return self.field


@dataclass(frozen=True)
class Rule:
    code: str
    pattern: re.Pattern
    fields: tuple[str, ...]
    message_key: str
    severity: str
    unless: re.Pattern | None


def _parse_rule(row: dict, line: int) -> Rule:
    def fail(why: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{RULES_FILE.name} line {line}: {why}")

    if row.get("message_key") not in MESSAGES:
        raise fail(f"unknown message_key {row.get('message_key')!r}")
    if row.get("severity") not in (ERROR, WARNING):
        raise fail(f"severity must be {ERROR!r} or {WARNING!r}")
    fields = TEXT_FIELDS if row["fields"].strip() == "*" else tuple(row["fields"].split())
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown or not fields:
        raise fail(f"unknown fields {sorted(unknown)}")
    try:
        pattern = re.compile(row["pattern"])
        unless = re.compile(row["unless"]) if row.get("unless") else None
    except re.error as exc:
        raise fail(f"bad pattern: {exc}") from exc
    return Rule(row["code"], pattern, fields, row["message_key"], row["severity"], unless)


@functools.cache
def screening_rules() -> tuple[Rule, ...]:
    with RULES_FILE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != RULE_COLUMNS:
            raise ImproperlyConfigured(f"{RULES_FILE.name} must have the columns {', '.join(RULE_COLUMNS)}")
        return tuple(_parse_rule(row, line) for line, row in enumerate(reader, start=2))


def workdays_per_month() -> Decimal:
    raw = settings.STANDARD["WORKDAYS_PER_MONTH"]
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise ImproperlyConfigured(f"WORKDAYS_PER_MONTH={raw!r} is not a number.") from exc
    if not value.is_finite() or not Decimal(1) <= value <= Decimal(31):
        raise ImproperlyConfigured(f"WORKDAYS_PER_MONTH={raw!r} must be between 1 and 31.")
    return value


def minimum_wage(pay_period: str) -> Decimal | None:
    """The local minimum for one pay period in yuan; None where none applies (piece rates)."""
    monthly = Decimal(settings.STANDARD["MINIMUM_WAGE_MONTHLY"])
    if pay_period == PayPeriod.MONTH:
        return monthly
    if pay_period == PayPeriod.DAY:
        return monthly / workdays_per_month()
    if pay_period == PayPeriod.HOUR:
        return Decimal(settings.STANDARD["MINIMUM_WAGE_HOURLY"])
    return None


def _problem(field: str, key: str, severity: str = ERROR, **params) -> Problem:
    message = MESSAGES[key] % params if params else MESSAGES[key]
    return Problem(field=field, message=str(message), severity=severity, code=key)


def check_employer(vacancy) -> list[Problem]:
    employer = vacancy.employer
    problems = []
    if not employer.is_active:
        problems.append(_problem("employer", "employer_inactive"))
    if not uscc.is_valid(employer.credit_code or ""):
        problems.append(_problem("employer", "employer_credit_code"))
    return problems


def check_pay(vacancy) -> list[Problem]:
    problems = []
    minimum = minimum_wage(vacancy.pay_period)
    if minimum is not None and vacancy.salary_min is not None and Decimal(vacancy.salary_min) < minimum:
        shown = minimum.quantize(Decimal("0.01"), rounding=ROUND_UP).normalize()
        problems.append(
            _problem(
                "salary_min",
                f"below_minimum_wage_{vacancy.pay_period}",
                minimum=f"{shown:f}",
                days=f"{workdays_per_month():f}",
            )
        )
    if vacancy.salary_min is not None and vacancy.salary_max is not None:
        if vacancy.salary_max < vacancy.salary_min:
            problems.append(_problem("salary_max", "salary_range"))
    return problems


def check_age(vacancy) -> list[Problem]:
    standard = settings.STANDARD
    working_from = standard["WORKING_AGE_FROM"]
    # The lower of the two statutory retirement ages: below it, a limit shuts some workers out.
    working_until = min(standard["RETIREMENT_AGE_MALE"], standard["RETIREMENT_AGE_FEMALE"])
    has_reason = bool((vacancy.age_reason or "").strip())
    problems = []
    if vacancy.age_min is not None and vacancy.age_min < working_from:
        problems.append(_problem("age_min", "under_working_age", age=working_from))
    elif vacancy.age_min is not None and vacancy.age_min > ADULT_AGE and not has_reason:
        problems.append(_problem("age_min", "age_min_without_reason", age=ADULT_AGE))
    if vacancy.age_max is not None and vacancy.age_max < working_until and not has_reason:
        problems.append(_problem("age_max", "age_max_without_reason", age=working_until))
    return problems


def check_wording(vacancy) -> list[Problem]:
    texts = {name: getattr(vacancy, name, "") or "" for name in TEXT_FIELDS}
    everything = "\n".join(texts.values())
    problems = []
    for rule in screening_rules():
        if rule.unless is not None and rule.unless.search(everything):
            continue
        for name in rule.fields:
            if rule.pattern.search(texts[name]):
                problems.append(_problem(name, rule.message_key, rule.severity))
                break  # one message per rule is enough; the reviewer sees where
    return problems


def vet(vacancy) -> list[Problem]:
    """Everything a reviewer must see before publishing; errors first."""
    problems = check_employer(vacancy) + check_pay(vacancy) + check_age(vacancy) + check_wording(vacancy)
    return sorted(problems, key=lambda p: not p.blocking)


def blocking_errors(problems: list[Problem]) -> dict[str, list[str]]:
    """The errors that refuse approval, per field, in the shape of ValidationFailed."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        if problem.blocking:
            errors.setdefault(problem.field, []).append(problem.message)
    return errors
