"""Passphrases for partners without an age key: readable words told by phone.

Each word is three Japanese syllables in Hepburn romaji (``kamoru``), so it
can be read aloud and typed on any keyboard; five words from 62 syllables give
about 89 bits (the issue asks for at least 80). Generated with ``secrets``,
shown once, never stored.
"""

from __future__ import annotations

import math
import secrets

_ROWS = ("k", "s", "t", "n", "h", "m", "r", "g", "z", "d", "b", "p")
_HEPBURN = {"si": "shi", "ti": "chi", "tu": "tsu", "hu": "fu", "zi": "ji"}
SYLLABLES: tuple[str, ...] = (
    *(_HEPBURN.get(c + v, c + v) for c in _ROWS for v in "aiueo" if c + v not in ("di", "du")),
    "ya", "yu", "yo", "wa")
WORDS = 5
SYLLABLES_PER_WORD = 3


def entropy_bits(words: int = WORDS) -> float:
    return words * SYLLABLES_PER_WORD * math.log2(len(SYLLABLES))


def generate(words: int = WORDS) -> str:
    return "-".join("".join(secrets.choice(SYLLABLES) for _ in range(SYLLABLES_PER_WORD))
                    for _ in range(words))
