"""First assistance due dates across the 2026 Lhasa Losar break (§5.9.1, SPEC §3).

data/lhasa_holidays.csv: 2/15–2/23 national Spring Festival, 2/24–2/26 the Lhasa merged
Spring Festival and Losar break, make-up workdays on Saturday 2/14 and Saturday 2/28.
A file opened on Thursday 2026-02-12 is due five days later: on 2/17 counting calendar
days (the default), or on 3/2 counting working days (2/13, 2/14, 2/27, 2/28, 3/2).
"""

import datetime

import pytest
import time_machine

import workdays
from assistance.models import AssistanceFile
from tests.assistance.assistance_builders import disabled
from worklist.models import Kind, WorkItem

OPENED = datetime.date(2026, 2, 12)
LHASA_TOWNSHIP = "540102002"


@pytest.fixture(autouse=True)
def _on_the_twelfth():
    with time_machine.travel(datetime.datetime(2026, 2, 12, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def working_days(settings):
    settings.STANDARD = {**settings.STANDARD, "FIRST_ASSISTANCE_IN_WORKDAYS": True}


def _file_opened_today(personas) -> AssistanceFile:
    p = disabled(personas["counsellor_chengguan"])
    return AssistanceFile.objects.get(person=p)


def test_the_calendar_agrees_with_the_holiday_table(db):
    calendar = workdays.get_calendar()
    days = [OPENED + datetime.timedelta(days=n) for n in range(1, 19)]
    worked = [day for day in days if calendar.is_workday(day, LHASA_TOWNSHIP)]
    assert worked == [
        datetime.date(2026, 2, 13),
        datetime.date(2026, 2, 14),  # Saturday, make-up workday
        datetime.date(2026, 2, 27),
        datetime.date(2026, 2, 28),  # Saturday, make-up workday
        datetime.date(2026, 3, 2),
    ]
    # The Lhasa days are regional: the national calendar works on 2/24–2/26.
    assert calendar.is_workday(datetime.date(2026, 2, 24), "CN")
    assert not calendar.is_workday(datetime.date(2026, 2, 24), LHASA_TOWNSHIP)


def test_calendar_days_by_default(personas, settings):
    assert settings.STANDARD["FIRST_ASSISTANCE_IN_WORKDAYS"] is False
    file = _file_opened_today(personas)
    assert file.opened_on == OPENED
    assert file.first_assistance_due == datetime.date(2026, 2, 17)  # in the holiday, as the standard says


def test_working_days_skip_losar_and_count_the_make_up_saturdays(personas, working_days):
    file = _file_opened_today(personas)
    assert file.first_assistance_due == datetime.date(2026, 3, 2)
    assert file.first_assistance_due == workdays.add_workdays(OPENED, 5, LHASA_TOWNSHIP)


def test_the_number_of_days_is_a_setting(personas, settings, working_days):
    settings.STANDARD = {**settings.STANDARD, "FIRST_ASSISTANCE_DAYS": 2}
    assert _file_opened_today(personas).first_assistance_due == datetime.date(2026, 2, 14)


def test_the_work_item_carries_the_same_due_date(personas, working_days):
    file = _file_opened_today(personas)
    item = WorkItem.objects.get(kind=Kind.FIRST_ASSISTANCE, source_type="assistance.assistancefile")
    assert (item.source_id, item.due_on, item.person_id) == (
        file.pk,
        datetime.date(2026, 3, 2),
        file.person_id,
    )
    assert item.unit.code == LHASA_TOWNSHIP and item.is_open
