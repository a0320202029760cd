"""The 1:5 and 1:4 numbers per person and per unit, and the pipeline counts, on a known fixture."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from notifications.selectors import month_bounds
from ratios.selectors import matched_this_month, pipeline, ratio_rows, ratio_summary, reference_day
from recommendations.models import State
from tests.ratios.ratio_builders import recommend, vacancies, veteran

TODAY = datetime.date(2026, 11, 20)


def _rows(user, **kwargs):
    return {
        p.pk: (p.matched, p.pushed, p.matched_ok, p.pushed_ok, p.compliant)
        for p in ratio_rows(user=user, today=kwargs.pop("today", TODAY), **kwargs)
    }


def test_matched_counts_distinct_vacancies_shown_this_month(world):
    assert matched_this_month(person=world["full"], today=TODAY) == 5
    assert matched_this_month(person=world["short"], today=TODAY) == 3
    assert matched_this_month(person=world["pushless"], today=TODAY) == 5
    assert matched_this_month(person=world["nobody"], today=TODAY) == 5
    assert matched_this_month(person=world["far"], today=TODAY) == 0
    # October: full's vacancy 7 and short's vacancy 4 (shown at 23:59:59 on the 31st).
    october = datetime.date(2026, 10, 5)
    assert matched_this_month(person=world["full"], today=october) == 1
    assert matched_this_month(person=world["short"], today=october) == 1


def test_the_last_second_of_a_month_belongs_to_that_month(personas):
    who = veteran(personas["counsellor_chengguan"], "540102002")
    v = vacancies(3)
    recommend(who, v[0], State.SHOWN, shown="2026-10-31 23:59:59")
    recommend(who, v[1], State.SHOWN, shown="2026-11-30 23:59:59")
    recommend(who, v[2], State.SHOWN, shown="2026-12-01 00:00:00")
    for day in (datetime.date(2026, 10, 31), datetime.date(2026, 11, 1), datetime.date(2026, 12, 31)):
        assert matched_this_month(person=who, today=day) == 1, day
    rows = _rows(personas["counsellor_chengguan"], today=datetime.date(2026, 11, 30))
    assert rows[who.pk][0] == 1


def test_rows_for_key_group_persons_in_scope(personas, world):
    assert _rows(personas["city"]) == {
        world["full"].pk: (5, 4, True, True, True),
        world["short"].pk: (3, 4, False, True, False),
        world["pushless"].pk: (5, 2, True, False, False),
        world["neighbour"].pk: (1, 0, False, False, False),
        world["far"].pk: (0, 0, False, False, False),
    }


def test_below_only_keeps_those_short_of_either_target(personas, world):
    rows = ratio_rows(user=personas["district_chengguan"], today=TODAY, below_only=True)
    # Ordered by unit, then the fewest vacancies shown first.
    assert [p.pk for p in rows] == [world["short"].pk, world["pushless"].pk, world["neighbour"].pk]
    by_unit = ratio_rows(user=personas["city"], today=TODAY, below_only=True, unit_code="540102002")
    assert {p.pk for p in by_unit} == {world["short"].pk, world["pushless"].pk}


def test_scope_a_sibling_unit_sees_nothing_of_the_other(personas, world):
    assert set(_rows(personas["counsellor_jiri"])) == {world["neighbour"].pk}
    assert set(_rows(personas["counsellor_chengguan"])) == {
        world["full"].pk,
        world["short"].pk,
        world["pushless"].pk,
    }
    assert set(_rows(personas["district_linzhou"])) == {world["far"].pk}
    summary = ratio_summary(user=personas["counsellor_jiri"], today=TODAY)
    assert [row["unit_code"] for row in summary] == ["540102003", ""]
    start, end = month_bounds(TODAY)
    lines = pipeline(user=personas["counsellor_jiri"], month_start=start, month_end=end)
    assert [(row["unit_code"], row["total"]) for row in lines] == [("540102003", 1), ("", 1)]


def test_targets_come_from_the_settings(personas, world, settings):
    settings.STANDARD = {**settings.STANDARD, "MATCHED_VACANCIES_PER_MONTH": 3, "PUSHED_ITEMS_PER_MONTH": 2}
    rows = _rows(personas["counsellor_chengguan"])
    assert {pk: row[4] for pk, row in rows.items()} == {
        world["full"].pk: True,
        world["short"].pk: True,
        world["pushless"].pk: True,
    }


def test_summary_per_unit_with_the_area_total(personas, world):
    rows = ratio_summary(user=personas["city"], today=TODAY)
    barkhor, jiri, linzhou, total = rows
    assert barkhor["unit_code"] == "540102002" and barkhor["unit_name"] == "八廓街道"
    assert (barkhor["persons"], barkhor["matched_ok"], barkhor["pushed_ok"], barkhor["both_ok"]) == (
        3,
        2,
        2,
        1,
    )
    assert (barkhor["matched_ok_share"], barkhor["pushed_ok_share"], barkhor["both_ok_share"]) == (67, 67, 33)
    assert (jiri["unit_code"], jiri["persons"], jiri["matched_ok"]) == ("540102003", 1, 0)
    assert (linzhou["unit_code"], linzhou["persons"], linzhou["both_ok_share"]) == ("540121100", 1, 0)
    assert total["is_total"] and total["unit_name"] == personas["city"].unit.name
    assert (total["persons"], total["matched_ok"], total["pushed_ok"], total["both_ok"]) == (5, 2, 2, 1)
    assert (total["matched_ok_share"], total["pushed_ok_share"], total["both_ok_share"]) == (40, 40, 20)


def test_summary_of_an_area_without_key_group_persons(personas):
    rows = ratio_summary(user=personas["district_linzhou"], today=TODAY)
    assert len(rows) == 1 and rows[0]["persons"] == 0 and rows[0]["both_ok_share"] == 0


def test_a_past_month_counts_up_to_its_last_day(personas, world):
    day = reference_day(datetime.date(2026, 10, 1), TODAY)
    assert day == datetime.date(2026, 10, 31)
    assert reference_day(datetime.date(2026, 11, 1), TODAY) == TODAY
    rows = _rows(personas["counsellor_chengguan"], today=day)
    assert rows == {
        world["full"].pk: (1, 0, False, False, False),
        world["short"].pk: (1, 0, False, False, False),
        world["pushless"].pk: (0, 1, False, False, False),
    }


def test_pipeline_counts_by_state_for_the_month(personas, world):
    start, end = month_bounds(TODAY)
    barkhor, jiri, total = pipeline(user=personas["city"], month_start=start, month_end=end)
    assert barkhor["unit_code"] == "540102002" and barkhor["total"] == 22
    assert barkhor["states"] == {
        "matched": 2,
        "shown": 12,
        "interested": 1,
        "declined": 1,
        "referred": 1,
        "interview": 1,
        "rejected": 1,
        "no_response": 1,
        "hired": 1,
        "not_hired": 0,
        "withdrawn": 1,
    }
    assert (barkhor["shown"], barkhor["referred"], barkhor["hired"], barkhor["hire_rate"]) == (19, 5, 1, 5)
    assert (jiri["unit_code"], jiri["total"], jiri["shown"], jiri["hired"], jiri["hire_rate"]) == (
        "540102003",
        1,
        1,
        0,
        0,
    )
    assert total["is_total"] and (total["total"], total["shown"], total["referred"], total["hired"]) == (
        23,
        20,
        5,
        1,
    )
    assert total["hire_rate"] == 5 and total["state_counts"][1] == 13


def test_pipeline_of_another_month_and_of_one_unit(personas, world):
    start, end = month_bounds(datetime.date(2026, 10, 1))
    rows = pipeline(user=personas["city"], month_start=start, month_end=end)
    barkhor, total = rows
    assert (barkhor["total"], barkhor["shown"], barkhor["referred"]) == (2, 2, 1)
    assert barkhor["states"]["not_hired"] == 1 and barkhor["states"]["shown"] == 1
    start, end = month_bounds(TODAY)
    only = pipeline(user=personas["city"], month_start=start, month_end=end, unit_code="540102003")
    assert [(row["unit_code"], row["total"]) for row in only] == [("540102003", 1), ("", 1)]
    empty = pipeline(user=personas["district_linzhou"], month_start=start, month_end=end)
    assert len(empty) == 1 and empty[0]["total"] == 0 and empty[0]["hire_rate"] is None


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_see_no_ratios(personas, world, persona):
    start, end = month_bounds(TODAY)
    with pytest.raises(PermissionDenied):
        ratio_rows(user=personas[persona], today=TODAY)
    with pytest.raises(PermissionDenied):
        ratio_summary(user=personas[persona], today=TODAY)
    with pytest.raises(PermissionDenied):
        pipeline(user=personas[persona], month_start=start, month_end=end)
