import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from workdays import WorkCalendar

# 2025 and 2026 come from chinese_calendar (2026 also from the table), 2027 from the fallback.
starts = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))
regions = st.sampled_from(["CN", "540100", "540102002", "540200"])
# The first example builds year tables and imports `holidays`, far over the default deadline.
no_deadline = settings(deadline=None)


def previous_workday(cal: WorkCalendar, day: dt.date, region: str) -> dt.date:
    day -= dt.timedelta(days=1)
    while not cal.is_workday(day, region):
        day -= dt.timedelta(days=1)
    return day


@no_deadline
@given(start=starts, n=st.integers(0, 60), region=regions)
def test_add_workdays_properties(lhasa: WorkCalendar, start: dt.date, n: int, region: str) -> None:
    result = lhasa.add_workdays(start, n, region)
    if n == 0:
        assert result == start
        return
    assert result > start
    assert lhasa.is_workday(result, region)
    assert lhasa.workdays_between(start, result, region) == n
    # Counted day by day, independently of the cached running totals.
    span = (result - start).days
    counted = sum(lhasa.is_workday(start + dt.timedelta(i), region) for i in range(1, span + 1))
    assert counted == n


@no_deadline
@given(start=starts, n=st.integers(1, 60), region=regions)
def test_add_then_subtract_round_trips(lhasa: WorkCalendar, start: dt.date, n: int, region: str) -> None:
    back = lhasa.add_workdays(lhasa.add_workdays(start, n, region), -n, region)
    if lhasa.is_workday(start, region):
        assert back == start
    else:
        assert back == previous_workday(lhasa, start, region)


@no_deadline
@given(a=starts, b=starts, region=regions)
def test_workdays_between_is_antisymmetric(lhasa: WorkCalendar, a: dt.date, b: dt.date, region: str) -> None:
    forward = lhasa.workdays_between(a, b, region)
    assert forward == -lhasa.workdays_between(b, a, region)
    if a <= b:
        assert forward == sum(
            lhasa.is_workday(a + dt.timedelta(i), region) for i in range(1, (b - a).days + 1)
        )
