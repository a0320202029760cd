"""Word tokens for full-text search in Chinese, Tibetan and Latin script.

Chinese has no spaces, so documents are cut with rjieba's search mode (which also
emits the shorter words inside long ones: 会计师 → 会计, 会计师) and queries with its
precise mode. Tibetan is cut into syllables at the tsheg and shad. The result is
space-separated lowercase tokens, ready for SQLite FTS5 or PostgreSQL's `simple`
text-search configuration.
"""

import re

import rjieba

# Runs of one script: Han, Tibetan, or Latin letters and digits.
RUNS = re.compile(r"([\u3400-\u9fff]+)|([\u0f00-\u0fff]+)|([0-9A-Za-z]+)")
TIBETAN_BREAKS = re.compile(r"[\u0f0b-\u0f14\u0f3a-\u0f3d\s]+")


def _tokens(text: str, *, for_index: bool) -> list[str]:
    tokens: list[str] = []
    for han, tibetan, latin in RUNS.findall(text or ""):
        if han:
            words = rjieba.cut_for_search(han) if for_index else rjieba.cut(han)
            tokens.extend(w for w in words if w.strip())
        elif tibetan:
            tokens.extend(s for s in TIBETAN_BREAKS.split(tibetan) if s)
        elif latin:
            tokens.append(latin.lower())
    return tokens


def segment_document(*texts: str) -> str:
    """Index form of one or more texts."""
    seen: dict[str, None] = {}
    for text in texts:
        for token in _tokens(text, for_index=True):
            seen.setdefault(token, None)
    return " ".join(seen)


def segment_query(text: str) -> list[str]:
    """Query tokens; every one must match (AND)."""
    return list(dict.fromkeys(_tokens(text, for_index=False)))
