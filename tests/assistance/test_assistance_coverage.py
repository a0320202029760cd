"""Coverage (§5.1) and open zero-employment households on the known fixture (conftest.py)."""

import pytest
from django.core.exceptions import PermissionDenied

from assistance.selectors import coverage, coverage_overview, zero_employment_open


def _rows(rows) -> dict:
    return {
        (row["unit_code"] if not row["is_total"] else "total"): (
            row["population"],
            row["covered"],
            row["share"],
        )
        for row in rows
    }


def test_the_city_sees_its_districts_and_the_total(personas, world, frozen):
    rows = _rows(coverage(user=personas["city"], today=frozen))
    assert rows["540102"] == (6, 3, 50)  # a b c d h i; a c h assisted (c's file is closed)
    assert rows["540121"] == (1, 1, 100)  # j
    assert rows["total"] == (7, 4, 57)
    assert rows["540103"] == (0, 0, 0)  # a district with nobody to count is listed
    assert len(rows) == 13 and "540100" not in rows  # twelve districts and parks, and the total


def test_a_district_sees_its_townships(personas, world, frozen):
    rows = _rows(coverage(user=personas["district_chengguan"], today=frozen))
    assert rows["540102002"] == (4, 2, 50)
    assert rows["540102003"] == (2, 1, 50)
    assert rows["total"] == (6, 3, 50)


def test_a_counsellor_sees_their_own_station(personas, world, frozen):
    rows = coverage(user=personas["counsellor_chengguan"], today=frozen)
    assert [(r["unit_code"], r["population"], r["covered"], r["share"]) for r in rows] == [
        ("540102002", 4, 2, 50),
        ("540102002", 4, 2, 50),
    ]
    assert rows[-1]["is_total"] and not rows[0]["is_total"]
    assert _rows(coverage(user=personas["counsellor_linzhou"], today=frozen))["total"] == (1, 1, 100)


def test_a_chosen_unit_inside_the_area_or_nothing(personas, world, frozen):
    rows = _rows(coverage(user=personas["city"], today=frozen, unit_code="540102"))
    assert rows["540102002"] == (4, 2, 50) and rows["total"] == (6, 3, 50)
    outside = coverage(user=personas["district_linzhou"], today=frozen, unit_code="540102")
    assert _rows(outside) == {"total": (0, 0, 0)}


def test_the_day_counts(personas, world, frozen):
    import datetime

    # The day before, nobody was in a group yet and nobody was assisted.
    assert _rows(coverage(user=personas["city"], today=frozen - datetime.timedelta(days=1)))["total"] == (
        0,
        0,
        0,
    )


def test_administrators_see_no_coverage(personas, world, frozen):
    with pytest.raises(PermissionDenied):
        coverage(user=personas["sysadmin"], today=frozen)


def test_zero_employment_households_and_days_to_their_deadline(personas, world, frozen):
    rows = zero_employment_open(user=personas["district_chengguan"], today=frozen)
    by_unit = {row["unit_code"]: row for row in rows if not row["is_total"]}
    barkor, jiri = by_unit["540102002"], by_unit["540102003"]
    assert (barkor["open"], barkor["overdue"], barkor["min_days_left"], barkor["min_days_overdue"]) == (
        2,
        1,
        -6,
        6,
    )
    assert [h.days_left for h in barkor["households"]] == [-6, 45]
    assert (jiri["open"], jiri["overdue"], jiri["min_days_left"]) == (1, 0, 4)
    assert by_unit["540102004"]["min_days_left"] is None
    total = rows[-1]
    assert (total["is_total"], total["open"], total["overdue"], total["min_days_left"]) == (True, 3, 1, -6)
    households = world["households"]
    assert [h.pk for h in total["households"]] == [
        households["late"].pk,
        households["soon"].pk,
        households["later"].pk,
    ]
    city = {row["unit_code"]: row for row in zero_employment_open(user=personas["city"], today=frozen)}
    assert (city["540102"]["open"], city["540121"]["open"]) == (3, 0)


def test_the_dashboard_overview(personas, world, frozen):
    city = coverage_overview(user=personas["city"], today=frozen)
    assert (city["coverage"]["share"], city["zero"]["open"]) == (57, 3)
    assert city["chart"]["categories"][0] == "城关区" and city["chart"]["series"][0]["data"][0] == 50
    counsellor = coverage_overview(user=personas["counsellor_chengguan"], today=frozen)
    assert counsellor["coverage"]["share"] == 50 and "chart" not in counsellor
    assert counsellor["zero"]["open"] == 2
