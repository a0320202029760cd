"""Service records (全程记录, §7.10): who records what, corrections, and the catalogue."""

import datetime

import pytest

from assistance.models import AssistanceFile
from audit.models import Action, AuditEntry
from core.errors import ConcurrentEdit, NotAllowed, ValidationFailed
from servicerecords.models import ServiceRecord, ServiceType
from servicerecords.selectors import person_services, service_list
from servicerecords.services import (
    service_record,
    service_record_update,
    service_type_create,
    service_type_update,
    service_types_load,
)
from tests.assistance.assistance_builders import disabled, give, outsider

TODAY = datetime.date(2026, 11, 16)


def _values(code="consultation", on=TODAY, **extra):
    return {
        "service_type": ServiceType.objects.get(code=code),
        "on": on,
        "channel": "in_person",
        "language": "zh-hans",
        **extra,
    }


def test_the_catalogue_is_loaded_bilingual_and_idempotent(db):
    assert ServiceType.objects.count() == 13
    visit = ServiceType.objects.get(code="home_visit")
    assert (visit.name_zh, visit.is_assistance, visit.is_active) == ("入户走访", True, True)
    assert "\u0f00" <= visit.name_bo[0] <= "\u0fff"
    assert not ServiceType.objects.get(code="information_update").is_assistance
    ServiceType.objects.filter(code="home_visit").update(name_zh="上门走访")
    assert service_types_load()["created"] == 0
    assert ServiceType.objects.get(code="home_visit").name_zh == "上门走访"  # the admin's edit stays


def test_a_counsellor_records_a_service_for_their_unit(personas):
    counsellor = personas["counsellor_chengguan"]
    p = outsider(counsellor)
    record = service_record(
        acting_user=counsellor, person=p, values=_values(notes="问询岗位", outcome="已答复")
    )
    assert (record.staff, record.unit, record.on, record.assistance_file) == (
        counsellor,
        counsellor.unit,
        TODAY,
        None,
    )
    assert (
        AuditEntry.objects.filter(action=Action.CREATE, object_type="servicerecords.servicerecord").count()
        == 1
    )


def test_refusals(personas):
    counsellor = personas["counsellor_chengguan"]
    p = outsider(counsellor)
    with pytest.raises(ValidationFailed) as future:
        service_record(
            acting_user=counsellor, person=p, values=_values(on=TODAY + datetime.timedelta(days=1))
        )
    assert "on" in future.value.errors
    with pytest.raises(ValidationFailed) as bad_channel:
        service_record(acting_user=counsellor, person=p, values=_values(channel="carrier_pigeon"))
    assert "channel" in bad_channel.value.errors
    ServiceType.objects.filter(code="consultation").update(is_active=False)
    with pytest.raises(ValidationFailed):
        service_record(acting_user=counsellor, person=p, values=_values())
    for name in ("counsellor_jiri", "district_chengguan", "sysadmin"):
        with pytest.raises(NotAllowed):
            service_record(acting_user=personas[name], person=p, values=_values(code="home_visit"))
    assert not ServiceRecord.objects.exists()


def test_a_correction_is_version_checked_and_limited_to_the_recorder_or_the_head(personas):
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    p = outsider(counsellor)
    record = service_record(acting_user=counsellor, person=p, values=_values())
    service_record_update(
        acting_user=counsellor, record=record, expected_version=1, changes={"outcome": "已推荐"}
    )
    with pytest.raises(ConcurrentEdit):
        service_record_update(
            acting_user=counsellor, record=record, expected_version=1, changes={"notes": "x"}
        )
    other = personas["counsellor_chengguan"].__class__.objects.create(
        username="second_counsellor", role="counsellor", unit=counsellor.unit, qualification_level=3
    )
    with pytest.raises(NotAllowed):
        service_record_update(acting_user=other, record=record, expected_version=2, changes={"notes": "x"})
    service_record_update(acting_user=head, record=record, expected_version=2, changes={"channel": "phone"})
    with pytest.raises(ValueError):
        service_record_update(acting_user=head, record=record, expected_version=3, changes={"on": TODAY})
    record.refresh_from_db()
    assert (record.outcome, record.channel, record.version) == ("已推荐", "phone", 3)


def test_the_person_sees_services_in_time_order_and_the_area_filters(personas):
    counsellor, jiri = personas["counsellor_chengguan"], personas["counsellor_jiri"]
    p = disabled(counsellor)
    give(counsellor, p, "2026-11-16", code="follow_up_visit")
    give(counsellor, p, "2026-11-16", code="home_visit")
    old = service_record(acting_user=counsellor, person=p, values=_values(on=datetime.date(2026, 10, 1)))
    records, total = person_services(user=counsellor, person=p)
    assert [r.on for r in records] == [datetime.date(2026, 10, 1), TODAY, TODAY] and total == 3
    assert records[0] == old
    neighbour = outsider(jiri, "540102003")
    service_record(acting_user=jiri, person=neighbour, values=_values(channel="phone"))
    assert service_list(user=counsellor).count() == 3
    district = personas["district_chengguan"]
    assert service_list(user=district).count() == 4
    assert service_list(user=district, channel="phone").get().person == neighbour
    assert service_list(user=district, unit_code="540102003").count() == 1
    assert service_list(user=district, service_type="home_visit").count() == 1
    assert service_list(user=district, date_from=datetime.date(2026, 11, 1)).count() == 3
    assert service_list(user=district, date_to=datetime.date(2026, 10, 31)).get() == old
    assert service_list(user=district, assistance_only=True).count() == 2
    assert AssistanceFile.objects.get(person=p).services.count() == 2


def test_the_catalogue_is_the_system_administrators(personas):
    admin = personas["sysadmin"]
    created = service_type_create(
        acting_user=admin,
        code="job_fair_invitation",
        values={
            "name_zh": "招聘会邀请",
            "name_bo": "ལས་ཁུངས་འཚོང་འདུས།",
            "name_en": "Job fair invitation",
            "sort": 140,
        },
    )
    with pytest.raises(ValidationFailed):
        service_type_create(
            acting_user=admin, code="job_fair_invitation", values={"name_zh": "x", "name_bo": "y"}
        )
    with pytest.raises(NotAllowed):
        service_type_create(
            acting_user=personas["head_chengguan"], code="x", values={"name_zh": "x", "name_bo": "y"}
        )
    service_type_update(
        acting_user=admin, service_type=created, expected_version=1, changes={"is_active": False}
    )
    with pytest.raises(ConcurrentEdit):
        service_type_update(acting_user=admin, service_type=created, expected_version=1, changes={"sort": 1})
    created.refresh_from_db()
    assert (created.is_active, created.is_assistance, created.version) == (False, True, 2)
