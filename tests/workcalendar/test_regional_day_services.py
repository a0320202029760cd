import datetime

import pytest

import workdays
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from workcalendar.models import RegionalDay
from workcalendar.services import regional_day_create, regional_day_delete, regional_day_update

NOTICE_DAY_2027 = datetime.date(2027, 3, 10)  # a plain Wednesday in a year without official data


def test_new_day_changes_the_calendar_once_committed(personas, django_capture_on_commit_callbacks):
    assert workdays.is_workday(NOTICE_DAY_2027, "540100") is True
    with django_capture_on_commit_callbacks(execute=True):
        day = regional_day_create(
            acting_user=personas["sysadmin"],
            day=NOTICE_DAY_2027,
            kind="holiday",
            region="540100",
            name="拉萨市临时放假",
        )
    assert workdays.is_workday(NOTICE_DAY_2027, "540100") is False
    assert workdays.is_workday(NOTICE_DAY_2027, "CN") is True
    with django_capture_on_commit_callbacks(execute=True):
        regional_day_delete(acting_user=personas["sysadmin"], day=day)
    assert workdays.is_workday(NOTICE_DAY_2027, "540100") is True


def test_only_the_system_administrator_edits_the_table(personas):
    for name in ("secadmin", "auditadmin", "city", "counsellor_chengguan"):
        with pytest.raises(NotAllowed):
            regional_day_create(
                acting_user=personas[name], day=NOTICE_DAY_2027, kind="holiday", region="540100", name="x"
            )
    assert not RegionalDay.objects.filter(day=NOTICE_DAY_2027).exists()


def test_duplicate_and_bad_region_are_refused(personas):
    admin = personas["sysadmin"]
    with pytest.raises(ValidationFailed) as duplicate:
        regional_day_create(
            acting_user=admin, day=datetime.date(2026, 10, 1), kind="holiday", region="CN", name="国庆节"
        )
    assert duplicate.value.errors["__all__"]
    with pytest.raises(ValidationFailed) as bad_region:
        regional_day_create(acting_user=admin, day=NOTICE_DAY_2027, kind="holiday", region="Lhasa", name="x")
    assert "region" in bad_region.value.errors


def test_stale_version_is_refused(personas):
    admin = personas["sysadmin"]
    day = RegionalDay.objects.get(day=datetime.date(2026, 2, 24), region="540100")
    regional_day_update(acting_user=admin, day=day, expected_version=1, name="first edit")
    stale = RegionalDay.objects.get(pk=day.pk)
    with pytest.raises(ConcurrentEdit):
        regional_day_update(acting_user=admin, day=stale, expected_version=1, name="second edit")
    assert RegionalDay.objects.get(pk=day.pk).name == "first edit"
