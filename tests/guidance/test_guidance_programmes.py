"""Preventive guidance (§7.8): the cohort built from a saved filter (key group, education,
graduation dates, age, unit subtree) within the user's area, enrolment, sessions, attendance."""

import datetime

import pytest

from core.errors import NotAllowed, ValidationFailed
from guidance import programme_services
from guidance.cohort import CohortFilter, cohort
from guidance.models import Attendance, Enrolment
from network.models import OrgUnit
from tests.guidance.guidance_builders import seeker

D = datetime.date


@pytest.fixture
def people(personas, counsellor, today):
    """Students and graduates in 八廓街道 and its sibling street 吉日街道 (both in 城关区)."""
    jiri = personas["counsellor_jiri"]
    return {
        # Graduating this summer, 22 at the programme's start.
        "student": seeker(
            counsellor,
            employment_status="student",
            unemployed_since=None,
            education="bachelor",
            graduation_date=D(2027, 6, 30),
            birth="20040510",
        ),
        # Graduated in 2026 and unemployed: an unemployed graduate (key group), 24.
        "graduate": seeker(counsellor, education="bachelor", graduation_date=D(2026, 7, 1), birth="20030101"),
        "vocational": seeker(
            counsellor, education="vocational", graduation_date=D(2026, 6, 30), birth="20050302"
        ),
        "older": seeker(counsellor, education="bachelor", graduation_date=D(2010, 7, 1), birth="19880808"),
        "neighbour": seeker(
            jiri, unit_code="540102003", education="bachelor", graduation_date=D(2026, 7, 1), birth="20030202"
        ),
    }


START = D(2027, 3, 1)


def make(user, *, unit="540102", starts=START, **cohort_values):
    values = {
        "title_zh": "高校毕业生就业准备营",
        "title_bo": "མཐོ་སློབ་མཐར་ཕྱིན་པའི་ལས་ཞུགས་གྲ་སྒྲིག",
        "description": "",
        "audience_note": "应届毕业生",
        "unit": OrgUnit.objects.get(code=unit),
        "starts_on": starts,
        "ends_on": starts + datetime.timedelta(days=60),
    }
    return programme_services.programme_save(
        acting_user=user, values=values, cohort_filter=CohortFilter(**cohort_values)
    )


def found(user, programme):
    return set(cohort(user=user, programme=programme, on=programme.starts_on))


def test_the_filter_is_saved_on_the_programme(head, people):
    programme = make(head, unit="540102002", education=["bachelor"], graduated_from=D(2026, 1, 1), age_to=25)
    assert programme.cohort_filter["education"] == ["bachelor"]
    assert programme.cohort_filter["graduated_from"] == "2026-01-01"
    assert CohortFilter.from_json(programme.cohort_filter) == CohortFilter(
        education=["bachelor"], graduated_from=D(2026, 1, 1), age_to=25
    )


def test_each_filter(head, people):
    p = people
    assert found(head, make(head, unit="540102002")) == {
        p["student"],
        p["graduate"],
        p["vocational"],
        p["older"],
    }
    assert found(head, make(head, unit="540102002", key_group="unemployed_graduate")) == {p["graduate"]}
    assert found(head, make(head, unit="540102002", education=["vocational"])) == {p["vocational"]}
    assert found(head, make(head, unit="540102002", employment_status="student")) == {p["student"]}
    assert found(
        head, make(head, unit="540102002", graduated_from=D(2026, 6, 30), graduated_until=D(2026, 7, 1))
    ) == {
        p["graduate"],
        p["vocational"],
    }
    # On 1 March 2027: the student is 22, the graduate 24 (born 1 January 2003), the vocational one 21.
    assert found(head, make(head, unit="540102002", age_from=22, age_to=23)) == {p["student"]}
    assert found(head, make(head, unit="540102002", age_from=24, age_to=24)) == {p["graduate"]}


def test_the_unit_subtree_and_the_users_area(personas, people):
    district = personas["district_chengguan"]
    programme = make(
        district,
        unit="540102",
        education=["bachelor"],
        graduated_from=D(2026, 1, 1),
        graduated_until=D(2026, 12, 31),
    )
    assert found(district, programme) == {people["graduate"], people["neighbour"]}
    narrowed = make(district, unit="540102", unit_code="540102003", education=["bachelor"])
    assert found(district, narrowed) == {people["neighbour"]}
    # Someone who sees one street only finds the persons of that street.
    assert found(personas["counsellor_jiri"], programme) == {people["neighbour"]}


def test_programmes_are_checked(head, personas, people):
    with pytest.raises(ValidationFailed) as refused:
        make(head, unit="540102002", age_from=30, age_to=20)
    assert "age_to" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        make(head, unit="540102002", unit_code="540121100")
    assert "unit_code" in refused.value.errors
    with pytest.raises(NotAllowed):
        make(head, unit="540102003")  # outside the head's station
    with pytest.raises(NotAllowed):
        make(personas["sysadmin"], unit="540100")  # administrators hold no service power


def test_enrol_sessions_and_attendance(head, counsellor, personas, people):
    programme = make(head, unit="540102002", education=["bachelor"])
    assert programme_services.programme_enrol_cohort(acting_user=head, programme=programme) == 3
    # Enrolling again adds only newcomers.
    late = seeker(counsellor, education="bachelor", graduation_date=D(2027, 6, 30), birth="20040909")
    assert programme_services.programme_enrol_cohort(acting_user=head, programme=programme) == 1
    assert Enrolment.objects.filter(programme=programme).count() == 4
    with pytest.raises(ValidationFailed) as refused:
        programme_services.session_add(
            acting_user=head, programme=programme, on=D(2027, 1, 1), starts_at=datetime.time(10), place="站里"
        )
    assert "on" in refused.value.errors
    session = programme_services.session_add(
        acting_user=counsellor,
        programme=programme,
        on=D(2027, 3, 5),
        starts_at=datetime.time(10, 30),
        place="八廓街道就业服务站二楼",
        topic="简历与面试",
    )
    present = {people["student"].pk, late.pk}
    assert programme_services.attendance_record(acting_user=counsellor, session=session, present=present) == 4
    marks = dict(Attendance.objects.filter(session=session).values_list("person_id", "attended"))
    assert marks == {
        people["student"].pk: True,
        late.pk: True,
        people["graduate"].pk: False,
        people["older"].pk: False,
    }
    # Recording the sheet again corrects it.
    programme_services.attendance_record(
        acting_user=counsellor, session=session, present={people["older"].pk}
    )
    assert Attendance.objects.filter(session=session, attended=True).get().person == people["older"]
    with pytest.raises(ValidationFailed):
        programme_services.attendance_record(
            acting_user=counsellor, session=session, present={people["vocational"].pk}
        )
    with pytest.raises(NotAllowed):
        programme_services.attendance_record(
            acting_user=personas["counsellor_jiri"], session=session, present=set()
        )
