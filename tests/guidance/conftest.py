"""Fixtures for the guidance tests: the clock and the front-line staff of 八廓街道."""

import datetime

import pytest
import time_machine


def at(day: str):
    """Freeze the clock at 10:00 Lhasa time on the given day."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture
def today():
    # A Wednesday in an ordinary week.
    with at("2026-11-25"):
        yield datetime.date(2026, 11, 25)


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]
