"""The information collection log (§5.3.1): items received per channel × kind, per unit in scope."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from core.channels import IntakeChannel
from employers.models import Employer
from exchange.selectors import Kind, intake_summary
from exchange.services import job_seekers_import, vacancies_import
from people.models import Person
from tests.exchange.exchange_records import job_seeker_json, vacancy_json
from tests.factories import person as make_person
from training.models import Course, Provider

TODAY = datetime.date(2026, 3, 16)
MONTH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


@pytest.fixture
def intake(personas, industry):
    """In March: 2 walk-ins and 1 platform job seeker at 八廓, 1 phone registration at 吉日,
    1 walk-in in 林周; a platform vacancy (and its employer) at 八廓; a job-fair course at 八廓.
    In February: one more walk-in at 八廓, outside the period."""
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, tzinfo=timezone.get_current_timezone())):
        make_person(user=personas["counsellor_chengguan"], sequence=50)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=timezone.get_current_timezone())):
        make_person(user=personas["counsellor_chengguan"], sequence=51)
        make_person(user=personas["counsellor_chengguan"], sequence=52)
        phoned = make_person(user=personas["counsellor_jiri"], unit_code="540102003", sequence=53)
        Person.objects.filter(pk=phoned.pk).update(channel=IntakeChannel.PHONE)
        make_person(user=personas["counsellor_linzhou"], unit_code="540121100", sequence=54)
        job_seekers_import(acting_user=personas["head_chengguan"], records=[job_seeker_json(sequence=55)])
        vacancies_import(acting_user=personas["head_chengguan"], records=[vacancy_json()])
        unit = personas["head_chengguan"].unit
        provider = Provider.objects.create(
            name_zh="拉萨职业技能培训学校",
            credit_code="52540100MJ0000000X"[:17] + "0",
            licence_number="藏人社民12345",
            qualification="training_institution",
            licence_expires_on=datetime.date(2027, 12, 31),
            unit=unit,
        )
        Course.objects.create(
            provider=provider,
            title_zh="中式烹调师培训",
            occupation_id=Employer.objects.get().vacancies.get().occupation_id,
            starts_on=datetime.date(2026, 3, 20),
            ends_on=datetime.date(2026, 4, 20),
            place="城关区",
            unit=unit,
            language="zh",
            channel=IntakeChannel.JOB_FAIR,
        )


def _count(summary, unit, kind, channel):
    return summary.count(unit, kind, channel)


def test_a_district_supervisor_sees_counts_per_station_channel_and_kind(personas, intake):
    summary = intake_summary(personas["district_chengguan"], *MONTH)
    assert summary.root.code == "540102"
    assert _count(summary, "540102002", Kind.JOB_SEEKER, "walk_in") == 2
    assert _count(summary, "540102002", Kind.JOB_SEEKER, "regional_platform") == 1
    assert _count(summary, "540102003", Kind.JOB_SEEKER, "phone") == 1
    assert _count(summary, "540102002", Kind.VACANCY, "regional_platform") == 1
    assert _count(summary, "540102002", Kind.EMPLOYER, "regional_platform") == 1
    assert _count(summary, "540102002", Kind.TRAINING_OFFER, "job_fair") == 1
    # 林周 is another district: not in the area at all.
    assert sum(summary.counts.values()) == 7
    totals = {row.kind: row.total for row in summary.totals()}
    assert totals == {Kind.JOB_SEEKER: 4, Kind.VACANCY: 1, Kind.EMPLOYER: 1, Kind.TRAINING_OFFER: 1}


def test_the_city_sees_districts_and_can_drill_down(personas, intake):
    summary = intake_summary(personas["city"], *MONTH)
    assert _count(summary, "540102", Kind.JOB_SEEKER, "walk_in") == 2
    assert _count(summary, "540121", Kind.JOB_SEEKER, "walk_in") == 1
    below = intake_summary(personas["city"], *MONTH, unit_code="540121")
    assert _count(below, "540121100", Kind.JOB_SEEKER, "walk_in") == 1


def test_idle_units_are_those_that_received_nothing(personas, intake):
    summary = intake_summary(personas["district_chengguan"], *MONTH)
    idle = {unit.code for unit in summary.idle_units()}
    assert "540102002" not in idle and "540102003" not in idle and "540102" in idle
    assert "540102003" in {unit.code for unit in summary.idle_units(Kind.VACANCY)}


def test_the_period_limits_the_counts(personas, intake):
    february = intake_summary(
        personas["head_chengguan"], datetime.date(2026, 2, 1), datetime.date(2026, 2, 28)
    )
    assert sum(february.counts.values()) == 1
    assert february.count("540102002", Kind.JOB_SEEKER, "walk_in") == 1


def test_a_station_head_sees_only_the_station(personas, intake):
    summary = intake_summary(personas["head_chengguan"], *MONTH)
    assert summary.root.code == "540102002"
    assert summary.count("540102002", Kind.JOB_SEEKER, "phone") == 0  # 吉日 is a sibling


def test_drilling_outside_the_area_is_404(personas, intake):
    from django.http import Http404

    with pytest.raises(Http404):
        intake_summary(personas["district_chengguan"], *MONTH, unit_code="540121")


def test_the_chart_stacks_channels_per_unit(personas, intake):
    chart = intake_summary(personas["district_chengguan"], *MONTH).chart(Kind.JOB_SEEKER)
    names = [series["name"] for series in chart["series"]]
    assert len(names) == len(IntakeChannel.values)
    walk_in = chart["series"][IntakeChannel.values.index("walk_in")]["data"]
    barkhor = [unit.code for unit in intake_summary(personas["district_chengguan"], *MONTH).units].index(
        "540102002"
    )
    assert walk_in[barkhor] == 2


@time_machine.travel(datetime.datetime(2026, 3, 16, 12, tzinfo=datetime.UTC))
def test_the_page_shows_the_table_and_chart_and_exports(personas, page_client, intake):
    client = page_client(personas["district_chengguan"])
    response = client.get("/exchange/intake/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="intake-chart-data"' in html and "stacked-chart.js" in html
    assert 'data-unit="540102002" data-kind="job_seeker"' in html
    # Empty rows are left out; the units that received nothing are named once.
    assert 'data-unit="540102002" data-kind="employer"' in html
    assert 'data-unit="540102003" data-kind="vacancy"' not in html
    idle = html.split('id="intake-idle"')[1].split("</p>")[0]
    assert "八廓" not in idle and "吉日" not in idle and "城关区" in idle
    assert "<script>" not in html.replace('<script src="', "")  # no inline script
    export = client.get(
        "/exchange/intake/", {"date_from": "2026-03-01", "date_to": "2026-03-31", "format": "xlsx"}
    )
    assert export.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    barkhor = [row for row in rows if row[0] == "540102002" and row[-1]]
    assert sum(row[-1] for row in barkhor) == 6


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-03-31", "date_to": "2026-03-01"},
        {"date_from": "not a date", "date_to": "2026-03-01"},
        {"date_from": "9999-12-01", "date_to": "9999-12-31"},
        {"date_from": "2026-03-01", "date_to": "2026-03-31", "unit": "540121"},
        {"date_from": "2026-03-01", "date_to": "2026-03-31", "kind": "spaceship"},
    ],
)
def test_bad_filters_are_form_errors(personas, page_client, query):
    response = page_client(personas["district_chengguan"]).get("/exchange/intake/", query)
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


@pytest.mark.parametrize("persona", ["counsellor_chengguan", "sysadmin", "auditadmin"])
def test_the_page_is_for_station_heads_and_supervisors(personas, page_client, persona):
    assert page_client(personas[persona]).get("/exchange/intake/").status_code == 403
