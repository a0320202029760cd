"""GB 11643 resident ID numbers: checksum, dates, area, and what the number tells us."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from people.identity import normalize_phone, parse_id_number

GOOD = "540102199003070018"  # 城关区, 1990-03-07, male


def test_good_number_gives_birth_date_and_sex():
    info = parse_id_number(GOOD)
    assert info.number == GOOD
    assert info.birth_date == datetime.date(1990, 3, 7)
    assert info.sex == "male"


def test_x_check_digit_is_accepted_in_either_case():
    body = "54012119850612000"
    number = body + ric.calc_check_digit(body + "X")
    assert number.endswith("X"), "fixture must exercise the X check digit"
    assert parse_id_number(number.lower()).number == number
    assert parse_id_number(number).sex == "female"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("540102199003070019", "checksum"),  # last digit changed
        ("540102199002300012", None),  # 30 February
        ("54010219900307001", "length"),
        ("5401021990030700188", "length"),
        ("54010219900307A018", "format"),
        ("", "length"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(number, code):
    if code is None:  # compute a correct check digit so only the date is wrong
        number = number[:17] + ric.calc_check_digit(number[:17] + "X")
        code = "birth_date"
    with pytest.raises(ValidationError) as exc:
        parse_id_number(number)
    assert exc.value.code == code


def test_future_birth_date_is_impossible():
    body = "54010220300101001"
    with pytest.raises(ValidationError) as exc:
        parse_id_number(body + ric.calc_check_digit(body + "X"), today=datetime.date(2026, 11, 28))
    assert exc.value.code == "birth_date"


def test_unknown_area_code_is_refused():
    body = "99999919900307001"
    with pytest.raises(ValidationError) as exc:
        parse_id_number(body + ric.calc_check_digit(body + "X"))
    assert exc.value.code == "area"


# Each example runs stdnum's area lookup; on a loaded CI machine that can trip the
# "too slow" health check, which says nothing about the code under test.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2010, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_every_number_with_a_correct_check_digit_parses(birth, serial):
    body = f"540121{birth:%Y%m%d}{serial:03d}"
    number = body + ric.calc_check_digit(body + "X")
    info = parse_id_number(number)
    assert info.birth_date == birth
    assert info.sex == ("male" if serial % 2 else "female")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError):
        parse_id_number(wrong)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"), ("0891-6321234", "0891-6321234")],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "23812345678", "1381234567a"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


def test_area_code_is_not_checked_against_the_birth_year():
    # 540102 (城关区) exists since 1983; cards issued since then carry it for older people too.
    body = "54010219740101011"
    assert parse_id_number(body + ric.calc_check_digit(body + "X")).birth_date.year == 1974


def test_area_must_name_a_county():
    body = "54019919900307001"  # Tibet and Lhasa exist, county 99 does not
    with pytest.raises(ValidationError) as exc:
        parse_id_number(body + ric.calc_check_digit(body + "X"))
    assert exc.value.code == "area"
