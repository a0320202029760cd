import itertools
import re
import unicodedata
from functools import lru_cache

import pyewts
from pypinyin import Style, pinyin

TSHEG_SHAD = re.compile(r"[\u0f0b\u0f0c\u0f0d\u0f0e\u0f11\u0f14\s]+")
HAN = re.compile(r"[\u3400-\u9fff]")
# Cap on heteronym combinations per name, so a rare long name cannot explode the key.
MAX_COMBINATIONS = 32


def normalize_latin(text: str) -> str:
    """Lower-case ASCII letters and digits only: 'Zhāng San' -> 'zhangsan'."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded.lower() if ch.isascii() and ch.isalnum())


def pinyin_keys(name: str) -> str:
    """Space-separated search keys: each full reading and each initials form.

    '单田芳' -> 'dantianfang shantianfang chantianfang dtf stf ctf'.
    """
    chars = [ch for ch in name if HAN.match(ch)]
    if not chars:
        return ""
    readings = pinyin("".join(chars), style=Style.NORMAL, heteronym=True, errors="ignore")
    per_char = [sorted(set(options), key=options.index) for options in readings if options]
    keys: list[str] = []
    for combo in itertools.islice(itertools.product(*per_char), MAX_COMBINATIONS):
        for key in ("".join(combo), "".join(s[0] for s in combo if s)):
            key = normalize_latin(key)
            if key and key not in keys:
                keys.append(key)
    return " ".join(keys)


def tibetan_syllables(text: str) -> list[str]:
    return [s for s in TSHEG_SHAD.split(text) if s]


@lru_cache(maxsize=1)
def _converter() -> pyewts.pyewts:
    return pyewts.pyewts()


def wylie(name: str) -> str:
    """EWTS transliteration, one syllable per word: 'བཀྲ་ཤིས།' -> 'bkra shis'."""
    syllables = tibetan_syllables(name)
    if not syllables:
        return ""
    converted = _converter().toWylie("་".join(syllables))
    return " ".join(part for part in re.split(r"[\s/]+", converted) if part)


def wylie_key(text: str) -> str:
    """The form both stored names and queries take before comparison.

    Lower-case, apostrophes and vowel-length marks dropped, single spaces, so
    "Bkra-shis" and "bkra shis" compare equal.
    """
    lowered = text.lower().replace("'", "").replace("-", " ")
    return " ".join(re.findall(r"[a-z0-9+.]+", lowered))
