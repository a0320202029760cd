"""Fixtures for the worklist tests: the clock, the people, and items built in one line."""

import datetime
import itertools

import pytest
import time_machine

from network.models import OrgUnit
from tests.factories import person as register_person
from tests.factories import valid_id_number
from worklist.models import Kind
from worklist.services import item_open

_serial = itertools.count(300)
TODAY = datetime.date(2026, 11, 25)  # a Wednesday in an ordinary week


def at(moment: str):
    """Freeze the clock at the given Lhasa time ("2026-11-25" means 10:00 that day)."""
    text = moment if "T" in moment else f"{moment}T10:00:00"
    return time_machine.travel(datetime.datetime.fromisoformat(f"{text}+08:00"), tick=False)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def someone(user, unit_code: str = "540102002", **values):
    """A person filed at the unit, with a unique ID number."""
    n = next(_serial)
    return register_person(
        user=user, unit_code=unit_code, id_number=valid_id_number(birth="19920814", sequence=n), **values
    )


def item(user, due_on: datetime.date, kind: str = Kind.FIRST_ASSISTANCE, person=None, **values):
    """An open work item owed for a fresh person (the person is its source)."""
    person = person or someone(user)
    return item_open(kind=kind, source=person, due_on=due_on, person=person, **values)


@pytest.fixture
def today():
    with at("2026-11-25"):
        yield TODAY


@pytest.fixture
def counsellor(personas):
    return personas["counsellor_chengguan"]


@pytest.fixture
def colleague(personas):
    """A second counsellor of 八廓街道."""
    from tests.conftest import make_user

    return make_user("counsellor_chengguan_2", "counsellor", "540102002")


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]
