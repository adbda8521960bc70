"""Text normalisation for search and for passwords.

Search folds what a Japanese keyboard may type differently for the same name:
full-/half-width (NFKC), hiragana/katakana (katakana folded to hiragana), case,
and spaces (full-width or not). Both the stored search key and the typed query
go through :func:`fold`, so they compare as plain substrings.

The search key goes further (:func:`search_fold`): kanji variants used in
Japanese names and Latin diacritics fold too, so "吉田" finds "𠮷田" and "Mau"
finds "Mẫu Lan". Only the key is folded; the stored name is never changed, and
readmission matching (:func:`fold` of the kana) is left as it is.
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


#: Kanji variants (異体字) that a name may be registered with and that staff
#: will type as the everyday form, folded to that form in the search key only.
#: Why: the 戸籍 may hold 𠮷, 髙 or 﨑 while a caseworker types 吉, 高 or 崎 (and
#: an input method may offer either); a search that misses her is a real risk.
#: Source: a curated subset of the pairs in IPA's 文字情報基盤 "MJ縮退マップ"
#: (the mapping Japanese local-government systems use to search names across
#: variants) and the 人名用漢字 旧字体 list (法務省, 戸籍法施行規則 別表第二),
#: limited to forms common in family and given names. It is not complete: add
#: a pair when a real search misses, never remove one (stored keys would
#: disagree with typed queries until the next key recomputation).
KANJI_VARIANTS: dict[str, str] = {
    "𠮷": "吉", "髙": "高", "﨑": "崎", "嵜": "崎", "碕": "崎", "德": "徳",
    "邊": "辺", "邉": "辺", "澤": "沢", "齋": "斎", "齊": "斎", "斉": "斎",
    "濱": "浜", "濵": "浜", "廣": "広", "國": "国", "櫻": "桜", "榮": "栄",
    "嶋": "島", "嶌": "島", "冨": "富", "龍": "竜", "瀨": "瀬", "眞": "真",
    "惠": "恵", "圓": "円", "壽": "寿", "實": "実", "藏": "蔵", "增": "増",
    "條": "条", "黑": "黒", "豐": "豊", "萬": "万", "曾": "曽", "驒": "騨",
    "槗": "橋", "桒": "桑", "舘": "館", "籠": "篭", "淺": "浅", "傳": "伝",
    "彌": "弥", "禮": "礼", "靜": "静", "鄕": "郷", "渕": "淵",
    "淸": "清", "戶": "戸", "兒": "児", "髮": "髪", "驛": "駅",
    "關": "関", "學": "学", "縣": "県", "莊": "荘", "乘": "乗",
}
_KANJI_VARIANTS = str.maketrans(KANJI_VARIANTS)

#: Latin letters with no Unicode decomposition, folded as a reader of the name
#: would type them on an English keyboard (Vietnamese đ, Nordic ø, Polish ł…).
_LATIN_EXTRA = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ħ": "h",
                              "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})


def _strip_latin_marks(text: str) -> str:
    """NFKD and drop the combining marks of letters outside the CJK and kana
    blocks only: a kana's dakuten is a combining mark after NFKD too, and が
    must stay apart from か."""
    out = []
    for ch in text:
        if ord(ch) < 0x2E80:
            out.extend(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c))
        else:
            out.append(ch)
    return "".join(out).translate(_LATIN_EXTRA)


def search_fold(text: str | None) -> str:
    """:func:`fold`, then kanji variants to their everyday form and Latin
    letters without their diacritics: what a search key and a typed query are
    compared as."""
    return _strip_latin_marks(fold(text).translate(_KANJI_VARIANTS))


def search_key(*parts: str | None) -> str:
    """The folded text a record is found by; parts are separated so that a
    query never matches across two fields."""
    return "\x1f".join(search_fold(p) for p in parts if p)


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
