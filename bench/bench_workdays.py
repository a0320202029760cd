"""Benchmarks for workdays; run with `pytest bench/ --benchmark-only`."""

import csv
import datetime as dt
import random
from pathlib import Path
from typing import Any

from workdays import DayRule, WorkCalendar

TABLE = Path(__file__).parents[1] / "data" / "lhasa_holidays.csv"
TOWNSHIP = "540102002"
FIRST = dt.date(2025, 1, 1)
THREE_YEARS = [FIRST + dt.timedelta(days=i) for i in range(3 * 365 + 1)]


def _calendar() -> WorkCalendar:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        rules = [
            DayRule(dt.date.fromisoformat(r["date"]), r["kind"], r["region"], r["name"])
            for r in csv.DictReader(fh)
        ]
    return WorkCalendar(rules)


def _calls(count: int = 10_000) -> list[tuple[dt.date, int]]:
    rng = random.Random(2026)  # fixed, so runs are comparable
    return [(rng.choice(THREE_YEARS), rng.randint(1, 30)) for _ in range(count)]


def test_bench_add_workdays_warm(benchmark: Any) -> None:
    cal, calls = _calendar(), _calls()

    def run() -> list[dt.date]:
        return [cal.add_workdays(start, n, TOWNSHIP) for start, n in calls]

    results = benchmark(run)
    assert all(r > s for r, (s, _) in zip(results, calls, strict=True))


def test_bench_add_workdays_cold(benchmark: Any) -> None:
    # A fresh calendar per round builds its region tables; the per-year national tables
    # from chinese_calendar and `holidays` stay cached process-wide.
    calls = _calls()

    def run() -> int:
        cal = _calendar()
        return sum(cal.add_workdays(start, n, TOWNSHIP).day for start, n in calls)

    benchmark.pedantic(run, rounds=5, iterations=1)


def test_bench_is_workday_three_years(benchmark: Any) -> None:
    cal = _calendar()

    def run() -> int:
        return sum(cal.is_workday(day, TOWNSHIP) for day in THREE_YEARS)

    count = benchmark(run)
    assert 700 < count < 760
