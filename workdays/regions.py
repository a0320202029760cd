"""GB/T 2260 region codes and their inheritance chain."""

from __future__ import annotations

from functools import lru_cache

NATIONAL = "CN"

# Province, prefecture and county codes are 6 digits; townships add 3, villages 3 more.
_CODE_LENGTHS = (6, 9, 12)


def validate_region(code: str) -> str:
    """Return `code` unchanged if it is "CN" or a 6/9/12-digit division code."""
    if code == NATIONAL:
        return code
    # isascii() because str.isdigit() also accepts full-width and other Unicode digits.
    if isinstance(code, str) and len(code) in _CODE_LENGTHS and code.isascii() and code.isdigit():
        return code
    raise ValueError(
        f"invalid region {code!r}: expected 'CN' or a 6-, 9- or 12-digit GB/T 2260 division code"
    )


@lru_cache(maxsize=4096)
def _chain(code: str) -> tuple[str, ...]:
    validate_region(code)
    if code == NATIONAL:
        return (NATIONAL,)
    candidates = (code[:2] + "0000", code[:4] + "00", code[:6], code[:9], code[:12])
    chain = [NATIONAL]
    # Slicing a short code past its end yields the code itself, which the check drops.
    for candidate in candidates:
        if candidate not in chain:
            chain.append(candidate)
    return tuple(chain)


def region_chain(code: str) -> list[str]:
    """Regions whose days apply to `code`, least specific ("CN") first, `code` itself last."""
    return list(_chain(code))
