"""Text a database cannot store: PostgreSQL refuses NUL in text, and a lone surrogate cannot be
encoded as UTF-8 at all. DRF's CharField and Django's forms already refuse both; readers that
take strings straight from parsed JSON (the exchange import) ask here. Names also refuse
combining marks with nothing to sit on."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UNSTORABLE = _("The text holds a character that cannot be stored (a NUL byte or a broken Unicode character).")


def is_storable(value: str) -> bool:
    return "\x00" not in value and not any("\ud800" <= ch <= "\udfff" for ch in value)


STRAY_MARK = _(
    "The name has a vowel sign or other combining mark with no letter before it, or an invisible "
    "joining character. Type the name again."
)


def stray_marks(value: str) -> bool:
    """A combining mark (a Tibetan vowel sign, a subjoined letter…) must sit on a letter or on
    another mark of the same stack; a name never needs an invisible format character (ZWJ)."""
    previous = ""
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cf":
            return True
        if category in ("Mn", "Mc") and not (previous and unicodedata.category(previous)[0] in "LM"):
            return True
        previous = ch
    return False


def validate_name_text(value: str) -> None:
    if stray_marks(value):
        raise ValidationError(STRAY_MARK, code="stray_mark")
