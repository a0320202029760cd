"""Names in lists of requests are masked (first character or syllable only): a list of who
asked to see or delete their data is itself personal information. The detail page, opened
by the staff answering one request, shows the name in full."""

TSHEG = "་"


def mask_name_zh(name: str) -> str:
    return f"{name[0]}{'*' * (len(name) - 1)}" if name else ""


def mask_name_bo(name: str) -> str:
    syllables = [s for s in name.replace("།", "").split(TSHEG) if s.strip()]
    if not syllables:
        return ""
    if len(syllables) == 1:
        return syllables[0][0] + "***"
    return syllables[0] + TSHEG + "***"


def masked_name(person) -> str:
    parts = [mask_name_zh(person.name_zh or ""), mask_name_bo(person.name_bo or "")]
    return " / ".join(p for p in parts if p) or "—"
