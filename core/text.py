"""Text a database cannot store: PostgreSQL refuses NUL in text, and a lone surrogate cannot be
encoded as UTF-8 at all. DRF's CharField and Django's forms already refuse both; readers that
take strings straight from parsed JSON (the exchange import) ask here."""

from django.utils.translation import gettext_lazy as _

UNSTORABLE = _("The text holds a character that cannot be stored (a NUL byte or a broken Unicode character).")


def is_storable(value: str) -> bool:
    return "\x00" not in value and not any("\ud800" <= ch <= "\udfff" for ch in value)
