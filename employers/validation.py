"""Checks of what identifies an employer: the unified social credit code (统一社会信用代码, GB 32100-2015,
with python-stdnum) and the contact phone."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

CODE_REQUIRED = _("Enter the unified social credit code.")
CODE_LENGTH = _("A unified social credit code has 18 characters; this one has %(count)d.")
CODE_CHARACTERS = _(
    "A unified social credit code starts with 8 digits, followed by digits and capital letters "
    "other than I, O, Z, S and V."
)
CODE_CHECK_DIGIT = _(
    "The last character (the check digit) does not match: check the code for a typing error."
)


def parse_credit_code(raw) -> str:
    """The code in its stored form (18 characters, capitals), or a ValidationError saying what is wrong.

    Full-width characters typed with a Chinese input method, spaces and dashes are accepted
    and removed; lower case is raised.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationError(CODE_REQUIRED, code="required")
    code = uscc.compact(unicodedata.normalize("NFKC", raw))
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidLength as exc:
        raise ValidationError(CODE_LENGTH, code="length", params={"count": len(code)}) from exc
    except stdnum_errors.InvalidFormat as exc:
        raise ValidationError(CODE_CHARACTERS, code="characters") from exc
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(CODE_CHECK_DIGIT, code="check_digit") from exc
    except stdnum_errors.ValidationError as exc:  # any other refusal a later stdnum may add
        raise ValidationError(CODE_CHARACTERS, code="characters") from exc


PHONE = re.compile(r"^\+?[\d\- ]{5,20}$")
PHONE_INVALID = _("Enter a phone number: digits, spaces and dashes, optionally starting with +.")


def parse_contact_phone(raw) -> str:
    """An employer's contact phone as typed (it is a business line, kept in clear), or ''."""
    phone = unicodedata.normalize("NFKC", raw or "").strip() if isinstance(raw, str) or raw is None else None
    if phone is None or (phone and not PHONE.match(phone)):
        raise ValidationError(PHONE_INVALID, code="invalid")
    return phone
