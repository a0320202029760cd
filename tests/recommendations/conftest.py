"""Fixtures for the recommendation tests: the clock, the people, and pushes kept off the queue."""

import datetime

import pytest
import time_machine

from notifications import services as notification_services
from tests.recommendations.recommendation_builders import published_vacancy, seeker


def at(day: str):
    """Freeze the clock at 10:00 Lhasa time on the given day."""
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture(autouse=True)
def enqueued(monkeypatch):
    """Push ids handed to the delivery queue after commit (delivery is notifications' business)."""
    ids = []
    monkeypatch.setattr(notification_services, "_enqueue", ids.append)
    return ids


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


@pytest.fixture
def vacancy(counsellor, head, today):
    return published_vacancy(counsellor, head)


@pytest.fixture
def person(counsellor, today):
    return seeker(counsellor)
