"""Builders for the assistance tests: persons who enter (or stay out of) the key groups,
and services given to them through the real services."""

import datetime
import itertools

from keygroups.models import Category
from keygroups.services import membership_add_manual
from registrations.models import Kind
from registrations.services import registration_open
from servicerecords.models import ServiceType
from servicerecords.services import service_record
from tests.factories import person, valid_id_number

_sequence = itertools.count(300)


def _next_id(**kwargs) -> str:
    return valid_id_number(sequence=next(_sequence), **kwargs)


def outsider(user, unit_code: str = "540102002", name_zh: str = "普布", **values):
    """In no key group: young, employed."""
    values.setdefault("employment_status", "employed")
    return person(user=user, unit_code=unit_code, name_zh=name_zh, id_number=_next_id(), **values)


def disabled(user, unit_code: str = "540102002", name_zh: str = "次仁"):
    """Derived: disabled and, with it, hard-to-employ."""
    return person(user=user, unit_code=unit_code, name_zh=name_zh, id_number=_next_id(), disability="2")


def graduate(user, unit_code: str = "540102002", name_zh: str = "达瓦", graduated="2025-07-01"):
    return person(
        user=user,
        unit_code=unit_code,
        name_zh=name_zh,
        id_number=_next_id(birth="20030501"),
        education="bachelor",
        graduation_date=datetime.date.fromisoformat(graduated),
    )


def registered_unemployed(user, unit_code: str = "540102002", name_zh: str = "尼玛", on=None):
    p = person(user=user, unit_code=unit_code, name_zh=name_zh, id_number=_next_id())
    registration_open(
        acting_user=user,
        person=p,
        kind=Kind.UNEMPLOYMENT,
        registered_on=on or datetime.date.today(),
        reason="合同到期",
    )
    return p


def veteran(user, unit_code: str = "540102002", name_zh: str = "边巴", started_on=None):
    """A manual key group that is not one coverage counts."""
    p = outsider(user, unit_code, name_zh)
    membership_add_manual(
        acting_user=user,
        person=p,
        category=Category.objects.get(code="veteran"),
        started_on=started_on or datetime.date.today(),
        evidence="退役证 2019-001",
    )
    return p


def give(user, who, on, code: str = "home_visit", **values):
    """Record a service through the real service, as the counsellor would."""
    data = {
        "service_type": ServiceType.objects.get(code=code),
        "on": datetime.date.fromisoformat(on) if isinstance(on, str) else on,
        "channel": "home_visit",
        "language": "bo",
        "notes": values.pop("notes", ""),
        "outcome": values.pop("outcome", ""),
    }
    return service_record(acting_user=user, person=who, values=data)
