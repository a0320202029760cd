import datetime

import pytest
import time_machine

from retention.selectors import inactive_persons
from servicerecords.models import ServiceRecord, ServiceType
from tests.factories import person as make_person
from worklist.models import WorkItem

REGISTERED = datetime.datetime(2019, 3, 1, 10, tzinfo=datetime.UTC)
NOW = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)


@pytest.fixture
def old_person(personas):
    with time_machine.travel(REGISTERED, tick=False):
        return make_person(user=personas["counsellor_chengguan"], employment_status="employed")


def test_a_file_untouched_for_longer_than_the_period_is_inactive(old_person):
    assert old_person in inactive_persons(NOW)
    # Within the period (60 months after registration) it is still active.
    assert old_person not in inactive_persons(REGISTERED + datetime.timedelta(days=59 * 30))


def test_a_recent_service_record_keeps_the_person_active(old_person, personas):
    counsellor = personas["counsellor_chengguan"]
    ServiceRecord.objects.create(
        person=old_person,
        service_type=ServiceType.objects.first(),
        on=datetime.date(2025, 6, 1),
        staff=counsellor,
        unit=old_person.unit,
        channel="phone",
        language="zh-hans",
    )
    assert old_person not in inactive_persons(NOW)


def test_an_old_service_record_does_not(old_person, personas):
    ServiceRecord.objects.create(
        person=old_person,
        service_type=ServiceType.objects.first(),
        on=datetime.date(2019, 6, 1),
        staff=personas["counsellor_chengguan"],
        unit=old_person.unit,
        channel="phone",
        language="zh-hans",
    )
    assert old_person in inactive_persons(NOW)


def test_an_open_work_item_keeps_the_person_active_whatever_its_date(old_person):
    WorkItem.objects.create(
        kind="monthly_update",
        person=old_person,
        unit=old_person.unit,
        source_type="people.person",
        source_id=old_person.pk,
        due_on=datetime.date(2019, 4, 30),
    )
    assert old_person not in inactive_persons(NOW)
    WorkItem.objects.filter(person=old_person).update(done_on=datetime.date(2019, 4, 2))
    assert old_person in inactive_persons(NOW)


def test_an_anonymised_person_is_never_listed(old_person):
    from retention.services import anonymise_person

    with time_machine.travel(REGISTERED, tick=False):
        anonymise_person(old_person, actor=None, reason="test")
    assert old_person not in inactive_persons(NOW)
