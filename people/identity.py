"""Resident ID numbers (GB 11643) and phone numbers: validation and what they tell us."""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from people.choices import Sex

ID_WRONG_LENGTH = _("A resident ID number has 18 characters.")
ID_WRONG_FORMAT = _("A resident ID number is 17 digits followed by a digit or X.")
ID_WRONG_CHECKSUM = _("This ID number's check digit is wrong. Check it against the card.")
ID_BAD_DATE = _("The birth date inside this ID number is not a real date.")
ID_BAD_PLACE = _("The area code at the start of this ID number does not exist.")
PHONE_INVALID = _("Enter an 11-digit mobile number or a landline such as 0891-6321234.")

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: datetime.date
    sex: str


@lru_cache(maxsize=4096)
def _area_code_exists(area: str) -> bool:
    from stdnum import numdb

    info = {k: v for _part, props in numdb.get("cn/loc").info(area) for k, v in props.items()}
    return "county" in info


def _area_exists(number: str) -> bool:
    # stdnum checks the area code against the BIRTH year, which refuses real cards: an
    # 18-digit number carries the code in force when the card was issued (from 1999), so
    # a Lhasa resident born in 1974 holds 540102 although 城关区 got that code in 1983.
    # We only require that the code names a county in some period.
    return _area_code_exists(number[:6])


def parse_id_number(value: str, *, today: datetime.date | None = None) -> IdInfo:
    """Validate per GB 11643 (length, MOD 11-2 check digit, birth date, area) or raise."""
    number = (value or "").strip().upper().replace(" ", "")
    if len(number) != 18:
        raise ValidationError(ID_WRONG_LENGTH, code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(ID_WRONG_FORMAT, code="format")
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(ID_WRONG_CHECKSUM, code="checksum")
    try:
        birth = ric.get_birth_date(number)
    except StdnumError as exc:
        raise ValidationError(ID_BAD_DATE, code="birth_date") from exc
    if birth.year < 1900 or birth > (today or timezone.localdate()):
        raise ValidationError(ID_BAD_DATE, code="birth_date")
    if not _area_exists(number):
        raise ValidationError(ID_BAD_PLACE, code="area")
    # The 17th digit is odd for men and even for women.
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return IdInfo(number=number, birth_date=birth, sex=sex)


def normalize_phone(value: str) -> str:
    phone = re.sub(r"[\s()]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not phone:
        return ""
    if not (MOBILE.match(phone) or LANDLINE.match(phone)):
        raise ValidationError(PHONE_INVALID, code="phone")
    return phone


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
