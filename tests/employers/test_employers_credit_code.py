"""Unified social credit codes (GB 32100) are checked with python-stdnum, with a message per fault."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.cn import uscc

from employers.validation import parse_contact_phone, parse_credit_code

VALID = "91110000600037341L"  # the example of python-stdnum and of the standard's literature


def _code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


@pytest.mark.parametrize(
    "raw",
    [VALID, _code("91540102MA6T12345"), _code("12540100000000001"), _code("92540121MA6TABCDE")],
)
def test_valid_codes_pass_unchanged(raw):
    assert parse_credit_code(raw) == raw


def test_input_is_normalised_before_checking():
    assert parse_credit_code(f"  {VALID.lower()} ") == VALID
    assert parse_credit_code("9111-0000-6000-3734-1L") == VALID
    # Full-width characters from a Chinese input method.
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in VALID)
    assert parse_credit_code(full_width) == VALID


def _fault(raw) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse_credit_code(raw)
    return caught.value


@pytest.mark.parametrize("raw", ["", "   ", None, 91110000600037341])
def test_missing_code(raw):
    assert _fault(raw).code == "required"


@pytest.mark.parametrize("raw", ["9111000060003734", "91110000600037341LL", "9"])
def test_wrong_length(raw):
    error = _fault(raw)
    assert error.code == "length"
    assert str(len(raw)) in error.messages[0]


@pytest.mark.parametrize(
    "raw",
    [
        "A1110000600037341L",  # the first eight characters are digits
        "9111000060003734IL",  # I is not used (nor O, Z, S, V)
        "91110000600037341!",
        "九1110000600037341L",
    ],
)
def test_bad_characters(raw):
    assert _fault(raw).code == "characters"


def test_wrong_check_digit():
    wrong = VALID[:-1] + ("M" if VALID[-1] != "M" else "N")
    assert _fault(wrong).code == "check_digit"
    body = "91540102MA6T12345"
    good = uscc.calc_check_digit(body)
    other = next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != good)
    assert _fault(body + other).code == "check_digit"


def test_each_fault_has_its_own_message():
    with translation.override("en"):
        messages = {
            code: _fault(raw).messages[0]
            for code, raw in [
                ("length", "123"),
                ("characters", "A1110000600037341L"),
                ("check_digit", VALID[:-1] + "M"),
            ]
        }
    assert len(set(messages.values())) == 3
    assert "18 characters; this one has 3" in messages["length"]
    assert "check digit" in messages["check_digit"]


@pytest.mark.parametrize("raw", ["0891-6321234", "13812345678", "+86 138 1234 5678", ""])
def test_contact_phone_accepted(raw):
    assert parse_contact_phone(raw) == raw


@pytest.mark.parametrize("raw", ["call me", "12", "1" * 25, "<script>"])
def test_contact_phone_refused(raw):
    with pytest.raises(ValidationError):
        parse_contact_phone(raw)
