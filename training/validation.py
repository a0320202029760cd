"""Field rules for training providers and courses (§7.5), shared by services, forms and the API.

Each check raises django's ValidationError with a translated message; the services turn
it into `ValidationFailed` next to the field concerned.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from employers import validation as employer_validation

# A per-trainee subsidy above this is almost certainly a typing slip (an extra zero):
# Tibet's vocational-training subsidies run to a few thousand yuan a trainee.
MAX_SUBSIDY = 20_000
# More places than this is not one course but several.
MAX_CAPACITY = 1_000
# A course longer than this is a programme of study, not a training course.
MAX_COURSE_DAYS = 3 * 366
# Dates outside this window are slips (year 2206 for 2026), not licences or courses.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

LICENCE_REQUIRED = _("Enter the school-running licence number.")
DATE_OUT_OF_RANGE = _("Give a date between %(first)s and %(last)s.")
ENDS_BEFORE_STARTS = _("The course cannot end before it starts.")
COURSE_TOO_LONG = _("A course can last at most %(days)s days.")
CAPACITY_RANGE = _("Give between 1 and %(max)s places.")
SUBSIDY_RANGE = _("Give a subsidy between 0 and %(max)s yuan per trainee.")
NOT_AN_OCCUPATION = _("Choose an occupation (a code with four parts, such as 4-03-02-01), not a group.")


def parse_credit_code(raw) -> str:
    """Providers are organisations like employers: one GB 32100 check for both."""
    return employer_validation.parse_credit_code(raw)


def check_date_in_range(value: datetime.date) -> None:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            DATE_OUT_OF_RANGE
            % {"first": datetime.date(EARLIEST_YEAR, 1, 1), "last": datetime.date(LATEST_YEAR, 12, 31)},
            code="date_range",
        )


def provider_errors(values: dict) -> dict:
    """Field errors of a provider's values, beyond what the model's own checks say."""
    errors: dict[str, list[str]] = {}
    if not (values.get("licence_number") or "").strip():
        errors["licence_number"] = [str(LICENCE_REQUIRED)]
    expires = values.get("licence_expires_on")
    if isinstance(expires, datetime.date):
        try:
            check_date_in_range(expires)
        except ValidationError as exc:
            errors["licence_expires_on"] = list(exc.messages)
    return errors


def course_errors(values: dict) -> dict:
    """Field errors of a course's values: dates, places, subsidy and occupation level."""
    from occupations.models import OccupationLevel

    errors: dict[str, list[str]] = {}
    starts, ends = values.get("starts_on"), values.get("ends_on")
    for name, value in (("starts_on", starts), ("ends_on", ends)):
        if isinstance(value, datetime.date):
            try:
                check_date_in_range(value)
            except ValidationError as exc:
                errors[name] = list(exc.messages)
    if isinstance(starts, datetime.date) and isinstance(ends, datetime.date) and not errors:
        if ends < starts:
            errors["ends_on"] = [str(ENDS_BEFORE_STARTS)]
        elif (ends - starts).days > MAX_COURSE_DAYS:
            errors["ends_on"] = [str(COURSE_TOO_LONG % {"days": MAX_COURSE_DAYS})]
    capacity = values.get("capacity")
    if capacity is not None and not (isinstance(capacity, int) and 1 <= capacity <= MAX_CAPACITY):
        errors["capacity"] = [str(CAPACITY_RANGE % {"max": MAX_CAPACITY})]
    subsidy = values.get("subsidy")
    if subsidy is not None and not (isinstance(subsidy, int) and 0 <= subsidy <= MAX_SUBSIDY):
        errors["subsidy"] = [str(SUBSIDY_RANGE % {"max": MAX_SUBSIDY})]
    occupation = values.get("occupation")
    if occupation is not None and occupation.level != OccupationLevel.OCCUPATION:
        errors["occupation"] = [str(NOT_AN_OCCUPATION)]
    return errors
