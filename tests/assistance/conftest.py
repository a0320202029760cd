"""The coverage fixture: who is in the covered groups on 2026-11-16, with and without first
assistance, and the open zero-employment households around them.

八廓街道 (540102002):  `a` disabled, assisted; `b` disabled, not yet; `c` graduate, assisted,
    file closed since; `d` registered unemployed, not yet; `e` veteran, assisted (veterans
    are not a covered group); `f` in no group; `g` disabled, assisted, left the group today.
吉日街道 (540102003):  `h` graduate, assisted; `i` disabled, not yet.
甘丹曲果镇 (540121100, 林周县):  `j` registered unemployed, assisted.
"""

import datetime

import pytest
import time_machine
from django.utils import translation

from assistance.models import AssistanceFile, Outcome
from assistance.services import file_decide_closure, file_propose_closure
from households.models import Household
from keygroups.services import memberships_refresh
from network.models import OrgUnit
from people.models import Person
from tests.assistance.assistance_builders import (
    disabled,
    give,
    graduate,
    outsider,
    registered_unemployed,
    veteran,
)
from tests.ratios.conftest import pending_msgids_as_tibetan  # noqa: F401  (a fixture, used by name)

TODAY = datetime.date(2026, 11, 16)


@pytest.fixture
def frozen():
    # Chinese unless a test asks otherwise: a page request leaves its language active.
    with (
        time_machine.travel(datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC), tick=False),
        translation.override("zh-hans"),
    ):
        yield TODAY


def _zero_household(unit_code: str, due: str, *, cleared: bool = False) -> Household:
    due_on = datetime.date.fromisoformat(due)
    return Household.objects.create(
        unit=OrgUnit.objects.get(code=unit_code),
        address=f"{unit_code} {due}",
        zero_employment=not cleared,
        recognised_on=due_on - datetime.timedelta(days=60),
        clearance_due=due_on,
        cleared_on=due_on if cleared else None,
    )


@pytest.fixture
def world(personas, frozen):
    barkor, jiri, linzhou = (
        personas["counsellor_chengguan"],
        personas["counsellor_jiri"],
        personas["counsellor_linzhou"],
    )
    head = personas["head_chengguan"]
    w = {
        "a": disabled(barkor, name_zh="阿旺"),
        "b": disabled(barkor, name_zh="白玛"),
        "c": graduate(barkor, name_zh="次旦"),
        "d": registered_unemployed(barkor, name_zh="多吉"),
        "e": veteran(barkor, name_zh="尔珍"),
        "f": outsider(barkor, name_zh="福珍"),
        "g": disabled(barkor, name_zh="格桑"),
        "h": graduate(jiri, "540102003", name_zh="洪珍"),
        "i": disabled(jiri, "540102003", name_zh="益西"),
        "j": registered_unemployed(linzhou, "540121100", name_zh="洁白"),
    }
    for key in ("a", "c", "e", "g"):
        give(barkor, w[key], TODAY)
    give(jiri, w["h"], TODAY)
    give(linzhou, w["j"], TODAY)
    closed = AssistanceFile.objects.get(person=w["c"])
    closed = file_propose_closure(
        acting_user=barkor, file=closed, outcome=Outcome.EMPLOYED, note="", version=2
    )
    file_decide_closure(acting_user=head, file=closed, approve=True, note="", version=closed.version)
    Person.objects.filter(pk=w["g"].pk).update(disability="none")
    memberships_refresh(person_ids=[w["g"].pk], today=TODAY)
    w["households"] = {
        "late": _zero_household("540102002", "2026-11-10"),
        "later": _zero_household("540102002", "2026-12-31"),
        "cleared": _zero_household("540102002", "2026-11-01", cleared=True),
        "soon": _zero_household("540102003", "2026-11-20"),
    }
    return w
