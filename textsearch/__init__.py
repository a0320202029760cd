"""Search keys for names and free text in Chinese and Tibetan. No Django imports.

- Chinese: pypinyin with heteronyms, so 单 is found as "dan", "shan" or "chan".
- Tibetan: syllables split on the tsheg (་) and shad (།); Wylie (EWTS) through pyewts.
  botok is not used because it downloads dictionaries at runtime.
"""

from textsearch.keys import normalize_latin, pinyin_keys, tibetan_syllables, wylie, wylie_key
from textsearch.segment import segment_document, segment_query

__all__ = [
    "normalize_latin",
    "pinyin_keys",
    "segment_document",
    "segment_query",
    "tibetan_syllables",
    "wylie",
    "wylie_key",
]
