"""Typed reads of one incoming record (a JSON object or a spreadsheet row as a dict).

Each read returns the clean value, or records a (field, message) error and returns
None. A key left out of the record is reported as MISSING so the caller can keep the
current value: the regional platform may send only what it knows.
"""

import datetime
import re

from django.utils.translation import gettext_lazy as _

from core.text import UNSTORABLE, is_storable

REQUIRED = _("This field is required.")
NOT_TEXT = _("Give a text value.")
TOO_LONG = _("At most %(limit)s characters.")
NOT_INTEGER = _("Give a whole number from %(low)s to %(high)s.")
NOT_BOOL = _("Give true or false.")
NOT_DATE = _("Give a date as YYYY-MM-DD.")
NOT_A_CHOICE = _("“%(value)s” is not one of the allowed values: %(allowed)s.")
NOT_AN_OBJECT = _("Give a JSON object.")
NOT_A_CODE_LIST = _("Give a list of codes.")

TRUE_WORDS = {"true", "1", "yes", "y", "是", "ཡིན"}
FALSE_WORDS = {"false", "0", "no", "n", "否", "མིན"}
MAX_CODES = 50


class _Missing:
    def __repr__(self):
        return "MISSING"


MISSING = _Missing()


class RecordReader:
    """Reads fields of `data`; errors are named `prefix + key` ("employer.credit_code")."""

    def __init__(self, data: dict, *, prefix: str = ""):
        self.data = data
        self.prefix = prefix
        self.errors: list[tuple[str, str]] = []

    def error(self, key: str, message) -> None:
        self.errors.append((f"{self.prefix}{key}", str(message)))

    def raw(self, key: str):
        return self.data.get(key, MISSING)

    def text(self, key: str, limit: int, *, required: bool = False):
        value = self.raw(key)
        if value is MISSING or value is None:
            if required:
                self.error(key, REQUIRED)
            return MISSING if value is MISSING else ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(int(value)) if float(value).is_integer() else str(value)
        if not isinstance(value, str):
            self.error(key, NOT_TEXT)
            return None
        if not is_storable(value):
            self.error(key, UNSTORABLE)
            return None
        value = value.strip()
        if required and not value:
            self.error(key, REQUIRED)
            return None
        if len(value) > limit:
            self.error(key, TOO_LONG % {"limit": limit})
            return None
        return value

    def code(self, key: str, *, required: bool = False):
        """A catalogue code (unit, occupation, industry): short text, digits allowed as numbers."""
        value = self.text(key, 20, required=required)
        return MISSING if value == "" and not required else value

    def integer(self, key: str, low: int, high: int, *, required: bool = False, nullable: bool = False):
        value = self.raw(key)
        if value is MISSING or value is None or value == "":
            if required:
                self.error(key, REQUIRED)
                return None
            if value is MISSING:
                return MISSING
            return None if nullable else MISSING
        if isinstance(value, str) and re.fullmatch(r"\s*\d{1,12}\s*", value):
            value = int(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(key, NOT_INTEGER % {"low": low, "high": high})
            return None
        return value

    def boolean(self, key: str):
        value = self.raw(key)
        if value is MISSING or value is None or value == "":
            return MISSING
        if isinstance(value, bool):
            return value
        word = str(value).strip().casefold().rstrip("་།")
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.error(key, NOT_BOOL)
        return None

    def date(self, key: str):
        value = self.raw(key)
        if value is MISSING:
            return MISSING
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        match = (
            re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip()) if isinstance(value, str) else None
        )
        try:
            day = datetime.date(*(int(part) for part in match.groups())) if match else None
        except ValueError:
            day = None
        if day is None or day.year < 1900:
            self.error(key, NOT_DATE)
        return day

    def choice(self, key: str, lookup: dict[str, str], allowed) -> object:
        """`lookup` maps accepted spellings (codes, labels) to codes; blank means the default."""
        value = self.raw(key)
        if value is MISSING or value is None or value == "":
            return MISSING
        code = lookup.get(value) if isinstance(value, str) else None
        if code is None and isinstance(value, str):
            code = lookup.get(re.sub(r"\s", "", value).casefold().rstrip("་།"))
        if code is None:
            self.error(key, NOT_A_CHOICE % {"value": str(value)[:30], "allowed": ", ".join(allowed)})
        return code

    def code_list(self, key: str):
        """A JSON list of codes, or one text of codes separated by ; , or spaces (spreadsheets)."""
        value = self.raw(key)
        if value is MISSING:
            return MISSING
        if value is None or value == "":
            return []
        if isinstance(value, str):
            value = [code for code in re.split(r"[;；,，、\s]+", value) if code]
        if not isinstance(value, list) or len(value) > MAX_CODES:
            self.error(key, NOT_A_CODE_LIST)
            return None
        codes = []
        for item in value:
            if isinstance(item, int | float) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip() or len(item) > 20:
                self.error(key, NOT_A_CODE_LIST)
                return None
            codes.append(item.strip())
        return list(dict.fromkeys(codes))

    def nested(self, key: str, *, required: bool = False):
        value = self.raw(key)
        if value is MISSING or value is None:
            if required:
                self.error(key, REQUIRED)
            return None
        if not isinstance(value, dict):
            self.error(key, NOT_AN_OBJECT)
            return None
        return RecordReader(value, prefix=f"{self.prefix}{key}.")


def choice_spellings(choices) -> dict[str, str]:
    """Codes only, matched loosely: the exchange is between machines."""
    lookup = {code: code for code in choices.values}
    lookup.update({code.casefold(): code for code in choices.values})
    return lookup
