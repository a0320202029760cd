import csv
import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from workdays import DayRule, WorkCalendar

TABLE = Path(__file__).parents[2] / "data" / "lhasa_holidays.csv"


def load_rules() -> list[DayRule]:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        return [
            DayRule(dt.date.fromisoformat(row["date"]), row["kind"], row["region"], row["name"])
            for row in csv.DictReader(fh)
        ]


@pytest.fixture(scope="session")
def lhasa() -> WorkCalendar:
    return WorkCalendar(load_rules())


@pytest.fixture(scope="session")
def fallback_year() -> int:
    """A year chinese_calendar has no data for, found rather than hard-coded so that a newer
    release of the package does not silently turn the fallback tests into official-data tests."""
    for year in range(2031, 2100):
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            return year
    raise AssertionError("chinese_calendar knows every year up to 2099")
