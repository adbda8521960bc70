"""Text normalisation for search and for passwords.

Search folds what a Japanese keyboard may type differently for the same name:
full-/half-width (NFKC), hiragana/katakana (katakana folded to hiragana), case,
and spaces (full-width or not). Both the stored search key and the typed query
go through :func:`fold`, so they compare as plain substrings.
"""

from __future__ import annotations

import unicodedata

_KATAKANA_TO_HIRAGANA = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)}
# ヽヾ (katakana iteration marks) to ゝゞ
_KATAKANA_TO_HIRAGANA.update({0x30FD: 0x309D, 0x30FE: 0x309E})


def fold(text: str | None) -> str:
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = t.translate(_KATAKANA_TO_HIRAGANA).casefold()
    return "".join(ch for ch in t if not ch.isspace())


def search_key(*parts: str | None) -> str:
    """The folded text a record is found by; parts are separated so that a
    query never matches across two fields."""
    return "\x1f".join(fold(p) for p in parts if p)


def normalise_password(password: str) -> bytes:
    """NFC, so the same password typed through different input methods (which
    may produce composed or decomposed kana) derives the same key."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def is_kana(text: str) -> bool:
    """True when ``text`` is hiragana/katakana (either width), spaces and the
    long-vowel mark only: what a furigana field may hold."""
    t = unicodedata.normalize("NFKC", text)
    for ch in t:
        cp = ord(ch)
        if ch.isspace() or ch in "ー・=＝":
            continue
        if 0x3041 <= cp <= 0x309F or 0x30A0 <= cp <= 0x30FF:
            continue
        return False
    return True


def describe(text: str) -> str:
    """What a cell holds without saying what it is (issue 8, item 8): its
    length and the kinds of characters in it, for an error message that must
    not echo a name typed into the wrong column."""
    from shelterdesk.i18n import _

    kinds = []

    def add(kind: str) -> None:
        if kind not in kinds:
            kinds.append(kind)

    for ch in text:
        name = unicodedata.name(ch, "")
        if ch.isdigit():
            add(_("digits"))
        elif ch.isascii() and ch.isalpha():
            add(_("letters"))
        elif "HIRAGANA" in name or "KATAKANA" in name:
            add(_("kana"))
        elif "CJK" in name:
            add(_("kanji"))
        elif ch.isspace():
            add(_("spaces"))
        elif ch.isalpha():
            add(_("other letters"))
        else:
            add(_("punctuation"))
    return _("{n} characters: {kinds}").format(n=len(text), kinds=", ".join(kinds))
