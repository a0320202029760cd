import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied

import workdays
from workcalendar.models import RegionalDay


def regional_day_list(*, user, year: int | None = None, region: str = "", kind: str = ""):
    if not user.has_perm("workcalendar.view_days"):
        raise PermissionDenied
    days = RegionalDay.objects.all()
    if year:
        days = days.filter(day__year=year)
    if region:
        days = days.filter(region=region)
    if kind:
        days = days.filter(kind=kind)
    return days


def region_for_unit(unit) -> str:
    return unit.code if unit is not None else settings.DEFAULT_CALENDAR_REGION


def missing_schedules(*, today: datetime.date, region: str) -> list[int]:
    """Years whose official schedule is not entered: this year, and next year late in the year."""
    years = [today.year]
    if today.month >= settings.CALENDAR_NEXT_YEAR_WARNING_MONTH:
        years.append(today.year + 1)
    calendar = workdays.get_calendar()
    return [year for year in years if not calendar.schedule_entered(year, region)]
