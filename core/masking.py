"""Masked display of personal identifiers (SPEC §7)."""

from textsearch.keys import tibetan_syllables


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


TSHEG = "་"


def mask_name_zh(name: str) -> str:
    return f"{name[0]}{'*' * (len(name) - 1)}" if name else ""


def mask_name_bo(name: str) -> str:
    """The first syllable (or, for a one-syllable name, its first letter) and ***."""
    syllables = tibetan_syllables(name)
    if not syllables:
        return ""
    if len(syllables) == 1:
        return syllables[0][0] + "***"
    return syllables[0] + TSHEG + "***"


def masked_name(person) -> str:
    """A person's names in lists where even the name is more than the reader needs (who asked
    to see or delete their data, who is due for anonymisation): "次*** / ཚེ་***"."""
    parts = [mask_name_zh(person.name_zh or ""), mask_name_bo(person.name_bo or "")]
    return " / ".join(p for p in parts if p) or "—"
