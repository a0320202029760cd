"""Importing job seekers: one file per ID number, the platform's id attached, all or nothing."""

import pytest

from core.errors import NotAllowed
from exchange.services import job_seekers_import
from people.models import Person
from tests.exchange.exchange_records import job_seeker_json
from tests.factories import person as make_person
from tests.factories import valid_id_number


@pytest.fixture
def head(personas):
    return personas["head_chengguan"]


def test_a_new_job_seeker_gets_a_file_with_channel_and_external_id(head):
    report = job_seekers_import(acting_user=head, records=[job_seeker_json()])
    assert report.committed, report.errors
    person = Person.objects.get()
    assert (person.external_id, person.channel, person.name_zh) == ("XZ-P-0001", "regional_platform", "次仁")
    assert person.id_number == valid_id_number(sequence=31)
    assert person.phone == "13912345678"
    assert (person.unit.code, person.household_unit.code, person.residence_unit.code) == ("540102002",) * 3
    assert list(person.desired_occupations.values_list("code", flat=True)) == ["4-03-02-01"]
    assert [r.outcome for r in report.results] == ["created"]


def test_the_same_record_twice_is_unchanged(head):
    job_seekers_import(acting_user=head, records=[job_seeker_json()])
    version = Person.objects.get().version
    report = job_seekers_import(acting_user=head, records=[job_seeker_json()])
    assert [r.outcome for r in report.results] == ["unchanged"]
    assert Person.objects.count() == 1 and Person.objects.get().version == version


def test_changed_data_updates_the_file(head):
    job_seekers_import(acting_user=head, records=[job_seeker_json()])
    version = Person.objects.get().version
    report = job_seekers_import(
        acting_user=head, records=[job_seeker_json(education="college", desired_occupations=[])]
    )
    assert [r.outcome for r in report.results] == ["updated"]
    person = Person.objects.get()
    assert person.education == "college" and person.version == version + 1
    assert not person.desired_occupations.exists()


def test_a_person_on_file_without_external_id_gets_it_attached(head, personas):
    on_file = make_person(user=personas["counsellor_chengguan"], sequence=31, name_zh="次仁")
    assert on_file.external_id is None
    report = job_seekers_import(acting_user=head, records=[job_seeker_json()])
    assert report.committed, report.errors
    assert Person.objects.count() == 1  # no duplicate
    on_file.refresh_from_db()
    assert on_file.external_id == "XZ-P-0001"
    assert on_file.channel == "walk_in"  # it came in at the station first
    assert [(r.outcome, r.id) for r in report.results] == [("attached", on_file.pk)]
    assert on_file.phone == "13912345678"  # the newer phone from the platform
    # Next time it is found by its external id.
    again = job_seekers_import(acting_user=head, records=[job_seeker_json()])
    assert [r.outcome for r in again.results] == ["unchanged"]


def test_a_file_linked_to_another_external_id_is_not_taken_over(head):
    job_seekers_import(acting_user=head, records=[job_seeker_json()])
    report = job_seekers_import(acting_user=head, records=[job_seeker_json("XZ-P-0999")])
    assert [(e.index, e.field) for e in report.errors] == [(0, "external_id")]
    assert Person.objects.get().external_id == "XZ-P-0001"


def test_an_external_id_sent_with_another_id_number_is_refused(head):
    job_seekers_import(acting_user=head, records=[job_seeker_json()])
    report = job_seekers_import(acting_user=head, records=[job_seeker_json(sequence=32)])
    assert [(e.index, e.field) for e in report.errors] == [(0, "id_number")]
    assert Person.objects.count() == 1


def test_a_bad_record_writes_nothing(head):
    records = [
        job_seeker_json("XZ-P-0001"),
        job_seeker_json("XZ-P-0002", sequence=32, id_number="540102199003070012"),
        job_seeker_json("XZ-P-0003", sequence=33, education="phd", name_zh="", name_bo=""),
    ]
    report = job_seekers_import(acting_user=head, records=records)
    assert not report.committed and Person.objects.count() == 0
    assert {(e.index, e.field) for e in report.errors} == {(1, "id_number"), (2, "education"), (2, "name_zh")}


def test_a_person_held_by_another_area_is_not_touched(head, personas):
    make_person(user=personas["counsellor_linzhou"], unit_code="540121100", sequence=31)
    report = job_seekers_import(acting_user=head, records=[job_seeker_json()])
    assert [(e.index, e.field) for e in report.errors] == [(0, "id_number")]
    assert Person.objects.get().external_id is None


def test_the_same_person_twice_in_one_list_is_reported(head):
    report = job_seekers_import(acting_user=head, records=[job_seeker_json("A"), job_seeker_json("B")])
    assert [(e.index, e.field) for e in report.errors] == [(1, "id_number")]


def test_a_unit_outside_the_area_is_refused(head):
    report = job_seekers_import(acting_user=head, records=[job_seeker_json(unit="540102003")])
    assert [(e.index, e.field) for e in report.errors] == [(0, "unit")]


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "district_chengguan", "city", "sysadmin"])
def test_only_a_station_head_imports(personas, persona):
    with pytest.raises(NotAllowed):
        job_seekers_import(acting_user=personas[persona], records=[job_seeker_json()])
