"""Nationality: a country from a list with names in the reader's language, or
free text.

What is stored is the ISO 3166 code when staff chose a country from the list
(JP, PH…), otherwise the text as typed ("無国籍", an old free-text value).
Screens and paper show a name, never a raw code: :func:`nationality_name`
turns a code into the country's name and leaves any other text as typed.
Names come from Babel's territory names (CLDR), so the list needs no
translation of its own. The countries a Japanese shelter meets most often
come first.
"""

from __future__ import annotations

from functools import lru_cache

#: Offered first, in this order (then every other country by name).
COMMON = ("JP", "CN", "KR", "PH", "VN", "BR", "NP", "TH", "ID", "US", "PE", "TW", "IN", "LK",
          "MM", "BD", "PK", "MN")
#: Territory codes that are not a nationality (regions, unknown, pseudo).
_NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}


def _babel_locale(lang: str):
    from babel import Locale

    return Locale.parse({"tl": "fil", "zh": "zh_Hans"}.get(lang, lang))


@lru_cache(maxsize=16)
def _names(lang: str) -> dict[str, str]:
    try:
        territories = _babel_locale(lang).territories
    except Exception:  # an unknown language: English names
        territories = _babel_locale("en").territories
    return {code: name for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES}


def countries(lang: str) -> list[tuple[str, str]]:
    """(code, name) pairs: the common ones first, then the rest by name."""
    names = _names(lang)
    first = [(c, names[c]) for c in COMMON if c in names]
    rest = sorted(((c, n) for c, n in names.items() if c not in COMMON), key=lambda x: x[1])
    return first + rest


def is_country_code(value: str | None) -> bool:
    return bool(value) and value in _names("en")


def nationality_name(value: str | None, lang: str) -> str:
    """The country's name for a stored code (JP → 日本); any other stored text
    (typed by hand before the list existed) is shown as typed."""
    if not value:
        return ""
    if is_country_code(value):
        return _names(lang).get(value) or _names("en")[value]
    return value


def nationality_code(text: str, lang: str) -> str:
    """What to store for ``text``: the code when it is a country's name (in
    ``lang`` or English) or a code, otherwise the text itself, trimmed."""
    t = text.strip()
    if not t:
        return ""
    if is_country_code(t.upper()) and len(t) == 2:
        return t.upper()
    for table in (_names(lang), _names("en")):
        for code, name in table.items():
            if name == t:
                return code
    return t
