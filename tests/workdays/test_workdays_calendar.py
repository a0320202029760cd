import datetime as dt

import chinese_calendar
import pytest

import workdays
from workdays import MAX_WORKDAYS, DayRule, WorkCalendar

D = dt.date
LHASA = "540100"
TOWNSHIP = "540102002"


def test_make_up_saturday_counts(lhasa: WorkCalendar) -> None:
    assert lhasa.add_workdays(D(2026, 2, 13), 1, LHASA) == D(2026, 2, 14)


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("CN", D(2026, 2, 24)),
        (LHASA, D(2026, 2, 27)),
        (TOWNSHIP, D(2026, 2, 27)),
    ],
)
def test_losar_days_apply_to_lhasa_and_below(lhasa: WorkCalendar, region: str, expected: dt.date) -> None:
    assert lhasa.add_workdays(D(2026, 2, 14), 1, region) == expected


@pytest.mark.parametrize("region", ["CN", LHASA])
def test_national_day_week(lhasa: WorkCalendar, region: str) -> None:
    assert lhasa.add_workdays(D(2026, 9, 30), 1, region) == D(2026, 10, 8)


@pytest.mark.parametrize(
    ("day", "region", "expected"),
    [
        (D(2026, 2, 28), LHASA, True),
        (D(2026, 2, 28), "CN", True),
        (D(2026, 10, 10), LHASA, True),
        (D(2026, 10, 1), LHASA, False),
        (D(2026, 10, 1), "CN", False),
        (D(2026, 2, 25), LHASA, False),
        (D(2026, 2, 25), TOWNSHIP, False),
        (D(2026, 2, 25), "CN", True),
        (D(2026, 2, 25), "540200", True),  # Shigatse does not inherit Lhasa's days
    ],
)
def test_is_workday(lhasa: WorkCalendar, day: dt.date, region: str, expected: bool) -> None:
    assert lhasa.is_workday(day, region) is expected


def test_table_agrees_with_chinese_calendar(lhasa: WorkCalendar) -> None:
    for day in (D(2026, 1, 1) + dt.timedelta(i) for i in range(365)):
        assert lhasa.is_workday(day) == chinese_calendar.is_workday(day), day


def test_more_specific_region_wins() -> None:
    day = D(2026, 3, 10)
    cal = WorkCalendar(
        [
            DayRule(day, "holiday", "540100", "city"),
            DayRule(day, "workday", "540102", "district"),
        ]
    )
    assert not cal.is_workday(day, "540100")
    assert cal.is_workday(day, "540102")
    assert cal.is_workday(day, TOWNSHIP)
    assert cal.explain(day, TOWNSHIP) == workdays.DayInfo(True, "rule:540102", "district")


def test_explain_sources(lhasa: WorkCalendar, fallback_year: int) -> None:
    assert lhasa.explain(D(2026, 2, 25), TOWNSHIP).source == "rule:540100"
    assert lhasa.explain(D(2026, 10, 1), LHASA) == workdays.DayInfo(False, "rule:CN", "国庆节")
    assert lhasa.explain(D(2026, 3, 3)) == workdays.DayInfo(True, "chinese_calendar", "")
    info = lhasa.explain(D(fallback_year, 10, 1))
    assert (info.is_workday, info.source) == (False, "fallback")
    assert "国庆" in info.name


def test_fallback_year(fallback_year: int) -> None:
    cal = WorkCalendar()
    tuesday = next(D(fallback_year, 3, d) for d in range(8, 15) if D(fallback_year, 3, d).weekday() == 1)
    assert not cal.is_workday(D(fallback_year, 10, 1))
    assert cal.is_workday(tuesday)
    assert not cal.schedule_entered(fallback_year)
    assert not cal.schedule_entered(fallback_year, LHASA)


def test_entered_national_schedule_replaces_fallback(fallback_year: int) -> None:
    y = fallback_year
    cal = WorkCalendar([DayRule(D(y, 1, 1), "holiday", "CN")])
    oct1 = D(y, 10, 1)
    # Admins entered the year but not October: weekdays count, the `holidays` guess does not.
    assert cal.is_workday(oct1) is (oct1.weekday() < 5)
    assert cal.explain(oct1).source == "weekday"
    assert not cal.is_workday(D(y, 1, 1))
    assert cal.schedule_entered(y)
    assert not cal.schedule_entered(y, LHASA)


def test_schedule_entered(lhasa: WorkCalendar) -> None:
    assert lhasa.schedule_entered(2026, LHASA)
    assert lhasa.schedule_entered(2026, TOWNSHIP)
    assert not lhasa.schedule_entered(2026, "540200")
    assert not lhasa.schedule_entered(2025, LHASA)
    assert lhasa.schedule_entered(2026)
    empty = WorkCalendar()
    assert empty.schedule_entered(2026)
    assert not empty.schedule_entered(2026, LHASA)
    # A township's own rules count; the national ones never do for a region below CN.
    assert WorkCalendar([DayRule(D(2026, 5, 6), "holiday", TOWNSHIP)]).schedule_entered(2026, TOWNSHIP)
    assert not WorkCalendar([DayRule(D(2026, 5, 6), "holiday", "CN")]).schedule_entered(2026, LHASA)


def test_workdays_between(lhasa: WorkCalendar) -> None:
    assert lhasa.workdays_between(D(2026, 2, 13), D(2026, 2, 13), LHASA) == 0
    assert lhasa.workdays_between(D(2026, 2, 14), D(2026, 2, 27), LHASA) == 1
    assert lhasa.workdays_between(D(2026, 2, 14), D(2026, 2, 27)) == 4
    assert lhasa.workdays_between(D(2026, 2, 27), D(2026, 2, 14), LHASA) == -1
    assert lhasa.workdays_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    # Across a year boundary: 2025-12-31 (Wed) to 2026-01-05 (Mon), with 1/4 made up.
    assert lhasa.workdays_between(D(2025, 12, 31), D(2026, 1, 5)) == 2


def test_negative_add_workdays(lhasa: WorkCalendar) -> None:
    assert lhasa.add_workdays(D(2026, 2, 27), -1, LHASA) == D(2026, 2, 14)
    assert lhasa.add_workdays(D(2026, 2, 27), -1) == D(2026, 2, 26)
    assert lhasa.add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert lhasa.add_workdays(D(2026, 1, 5), -2) == D(2025, 12, 31)
    assert lhasa.add_workdays(D(2026, 2, 21), 0, LHASA) == D(2026, 2, 21)


def test_last_workday_of_year_before_a_weekend() -> None:
    # 2022-12-31 is a Saturday, and 2023-01-02 was the New Year day off.
    cal = WorkCalendar()
    assert cal.add_workdays(D(2022, 12, 29), 1) == D(2022, 12, 30)
    assert cal.add_workdays(D(2022, 12, 28), 2) == D(2022, 12, 30)
    assert cal.add_workdays(D(2022, 12, 30), 1) == D(2023, 1, 3)
    assert cal.add_workdays(D(2023, 1, 3), -1) == D(2022, 12, 30)


def test_large_n_spans_years(lhasa: WorkCalendar) -> None:
    start = D(2020, 6, 1)
    end = lhasa.add_workdays(start, MAX_WORKDAYS, TOWNSHIP)
    assert end.year in range(2034, 2037)
    assert lhasa.workdays_between(start, end, TOWNSHIP) == MAX_WORKDAYS
    assert lhasa.add_workdays(end, -MAX_WORKDAYS, TOWNSHIP) == start  # 2020-06-01 is a Monday


@pytest.mark.parametrize("days", [MAX_WORKDAYS + 1, -MAX_WORKDAYS - 1, 10**9])
def test_too_many_days_raises(lhasa: WorkCalendar, days: int) -> None:
    with pytest.raises(ValueError, match="days must be between"):
        lhasa.add_workdays(D(2026, 1, 5), days)


def test_bad_region_raises(lhasa: WorkCalendar) -> None:
    for call in (
        lambda: lhasa.is_workday(D(2026, 1, 5), "Lhasa"),
        lambda: lhasa.add_workdays(D(2026, 1, 5), 0, "5401"),
        lambda: lhasa.workdays_between(D(2026, 1, 5), D(2026, 1, 9), "540100x"),
        lambda: lhasa.schedule_entered(2026, ""),
        lambda: WorkCalendar([DayRule(D(2026, 1, 5), "holiday", "Tibet")]),
    ):
        with pytest.raises(ValueError, match="invalid region"):
            call()


@pytest.mark.parametrize("kind", ["Holiday", "rest", "", "work day"])
def test_bad_kind_raises(kind: str) -> None:
    with pytest.raises(ValueError, match="invalid kind"):
        WorkCalendar([DayRule(D(2026, 1, 5), kind, "CN")])


def test_conflicting_and_datetime_rules_raise() -> None:
    with pytest.raises(ValueError, match="conflicting"):
        WorkCalendar([DayRule(D(2026, 1, 5), "holiday", LHASA), DayRule(D(2026, 1, 5), "workday", LHASA)])
    with pytest.raises(ValueError, match="datetime.date"):
        WorkCalendar([DayRule(dt.datetime(2026, 1, 5, 9), "holiday", LHASA)])  # noqa: DTZ001


def test_module_functions_use_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    # The host app may have installed a database-backed provider: restore it untouched,
    # without calling it.
    monkeypatch.setattr(workdays.default, "_provider", workdays.default._provider)
    custom = WorkCalendar([DayRule(D(2026, 3, 10), "holiday", LHASA)])
    workdays.set_calendar_provider(lambda: custom)
    assert workdays.get_calendar() is custom
    assert not workdays.is_workday(D(2026, 3, 10), LHASA)
    assert workdays.add_workdays(D(2026, 3, 9), 1, LHASA) == D(2026, 3, 11)
    assert workdays.workdays_between(D(2026, 3, 9), D(2026, 3, 11), LHASA) == 1
    workdays.set_calendar_provider(WorkCalendar)
    assert workdays.is_workday(D(2026, 3, 10), LHASA)


def test_default_provider_has_no_rules() -> None:
    calendar = workdays.default._default_provider()
    assert calendar is workdays.default._default_provider()  # cached, so its tables stay warm
    assert calendar.is_workday(D(2026, 3, 10), LHASA)
    assert not calendar.schedule_entered(2026, LHASA)
