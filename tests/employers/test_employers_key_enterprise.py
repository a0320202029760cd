"""The key-enterprise directory (§5.11): townships list employers with reason and date; history is kept."""

import datetime

import pytest
import time_machine

from audit.models import AuditEntry
from core.errors import NotAllowed, ValidationFailed
from employers.models import KeyEnterpriseFlag
from employers.selectors import employer_get, employer_list, key_enterprise_directory, key_enterprise_history
from employers.services import key_enterprise_flag, key_enterprise_unflag
from tests.conftest import make_user

TODAY = datetime.date(2026, 5, 12)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 5, 12, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _flag(user, employer, day=datetime.date(2026, 5, 1), reason="本镇最大用工单位"):
    return key_enterprise_flag(acting_user=user, employer=employer, reason=reason, flagged_on=day)


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "head_chengguan"])
def test_front_line_staff_of_the_township_list_an_employer(personas, barkhor, persona):
    flag = _flag(personas[persona], barkhor)
    assert flag.unit.code == "540102002"
    assert flag.flagged_by == personas[persona]
    assert (flag.reason, flag.flagged_on, flag.ended_on) == (
        "本镇最大用工单位",
        datetime.date(2026, 5, 1),
        None,
    )
    assert AuditEntry.objects.filter(object_type="employers.keyenterpriseflag", action="create").count() == 1
    assert employer_get(user=personas["city"], pk=barkhor.pk).is_key_enterprise is True


def test_a_village_counsellor_may_list_employers_of_the_village(personas, make_employer):
    from network.models import OrgUnit

    township = OrgUnit.objects.get(code="540102002")
    village = OrgUnit.objects.create(
        code="540102002001",
        name_zh="八廓社区",
        name_bo="བར་སྐོར་སྡོད་ཁུལ།",
        level="village",
        parent=township,
        path=f"{township.path}540102002001/",
    )
    counsellor = make_user("counsellor_village", "counsellor", village.code)
    employer = make_employer(4, unit_code=village.code, user=personas["counsellor_chengguan"])
    assert _flag(counsellor, employer).unit == village


@pytest.mark.parametrize("persona", ["district_chengguan", "city", "sysadmin", "secadmin", "auditadmin"])
def test_supervisors_and_administrators_may_not_list(personas, barkhor, persona):
    with pytest.raises(NotAllowed):
        _flag(personas[persona], barkhor)
    assert not KeyEnterpriseFlag.objects.exists()


@pytest.mark.parametrize("persona", ["counsellor_jiri", "counsellor_linzhou"])
def test_another_townships_staff_may_not_list(personas, barkhor, persona):
    with pytest.raises(NotAllowed):
        _flag(personas[persona], barkhor)


def test_one_open_listing_at_a_time(personas, barkhor):
    _flag(personas["counsellor_chengguan"], barkhor)
    with pytest.raises(ValidationFailed) as caught:
        _flag(personas["head_chengguan"], barkhor, reason="again")
    assert caught.value.code == "already_listed"
    assert KeyEnterpriseFlag.objects.filter(employer=barkhor).count() == 1


def test_reason_and_date_are_required_and_checked(personas, barkhor):
    user = personas["counsellor_chengguan"]
    with pytest.raises(ValidationFailed) as caught:
        _flag(user, barkhor, reason="   ")
    assert "reason" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        _flag(user, barkhor, day=TODAY + datetime.timedelta(days=1))
    assert "flagged_on" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        _flag(user, barkhor, day=datetime.date(1999, 12, 31))
    assert "flagged_on" in caught.value.errors
    assert not KeyEnterpriseFlag.objects.exists()


def test_unlisting_closes_the_listing_and_keeps_the_history(personas, barkhor):
    user = personas["counsellor_chengguan"]
    _flag(user, barkhor, day=datetime.date(2025, 3, 1), reason="春风行动重点联系")
    key_enterprise_unflag(
        acting_user=user, employer=barkhor, ended_on=datetime.date(2025, 12, 31), reason="停业"
    )
    assert employer_get(user=user, pk=barkhor.pk).is_key_enterprise is False
    _flag(personas["head_chengguan"], barkhor, day=datetime.date(2026, 4, 1), reason="吸纳重点群体就业")
    history = list(key_enterprise_history(barkhor))
    assert [(f.flagged_on, f.ended_on, f.end_reason) for f in history] == [
        (datetime.date(2026, 4, 1), None, ""),
        (datetime.date(2025, 3, 1), datetime.date(2025, 12, 31), "停业"),
    ]
    assert AuditEntry.objects.filter(object_type="employers.keyenterpriseflag", action="update").count() == 1


def test_unlisting_needs_an_open_listing_a_reason_and_a_sensible_date(personas, barkhor):
    user = personas["counsellor_chengguan"]
    with pytest.raises(ValidationFailed) as caught:
        key_enterprise_unflag(acting_user=user, employer=barkhor, ended_on=TODAY, reason="x")
    assert caught.value.code == "not_listed"
    _flag(user, barkhor, day=datetime.date(2026, 5, 1))
    with pytest.raises(ValidationFailed) as caught:
        key_enterprise_unflag(
            acting_user=user, employer=barkhor, ended_on=datetime.date(2026, 4, 30), reason="x"
        )
    assert "ended_on" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        key_enterprise_unflag(acting_user=user, employer=barkhor, ended_on=TODAY, reason="")
    assert "reason" in caught.value.errors
    with pytest.raises(NotAllowed):
        key_enterprise_unflag(acting_user=personas["city"], employer=barkhor, ended_on=TODAY, reason="x")
    assert KeyEnterpriseFlag.objects.get(employer=barkhor).ended_on is None


def test_directory_lists_open_listings_in_scope(personas, barkhor, linzhou, make_employer):
    _flag(personas["counsellor_chengguan"], barkhor)
    _flag(personas["counsellor_linzhou"], linzhou, reason="青稞产业龙头")
    closed = make_employer(5)
    _flag(personas["counsellor_chengguan"], closed)
    key_enterprise_unflag(
        acting_user=personas["counsellor_chengguan"], employer=closed, ended_on=TODAY, reason="x"
    )

    def names(persona, unit_code=""):
        return {
            f.employer.name_zh for f in key_enterprise_directory(user=personas[persona], unit_code=unit_code)
        }

    assert names("counsellor_chengguan") == {"八廓街藏餐馆"}
    assert names("counsellor_jiri") == set()
    assert names("district_chengguan") == {"八廓街藏餐馆"}
    assert names("city") == {"八廓街藏餐馆", "林周县青稞加工厂"}
    assert names("city", "540121") == {"林周县青稞加工厂"}
    assert {e.name_zh for e in employer_list(user=personas["city"], key_enterprise=True)} == names("city")
    assert closed.name_zh in {e.name_zh for e in employer_list(user=personas["city"], key_enterprise=False)}
