"""Translation: one gettext catalog per language serves code, Designer forms and
printed documents.

Msgids are English; the UI language defaults to Japanese. Module-level constants
are marked with ``N_()`` and translated where they are shown, never at import
time (the language can change after import). Documents printed in a resident's
language ask for their own catalog with :func:`translation`, so printing a
consent sheet in Korean never changes the UI language.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from pathlib import Path

DOMAIN = "shelterdesk"
DEFAULT_LANGUAGE = "ja"
#: Languages the UI is offered in.
UI_LANGUAGES = ("ja", "en")
#: Languages the house-rules/consent sheet is printed in (seed: foreign residents).
DOCUMENT_LANGUAGES = ("ja", "en", "zh", "ko", "vi", "tl", "pt", "es", "ne")

#: Compiled catalogs inside the package (tools/compile_catalogs.py or the wheel build
#: makes them from translations/*.po), so an installed build finds them too.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: _gettext.NullTranslations = _gettext.NullTranslations()
_current_lang = "en"


@cache
def translation(lang: str) -> _gettext.NullTranslations:
    """The catalog for ``lang``; English (the msgids) when there is none."""
    if lang == "en":
        return _gettext.NullTranslations()
    try:
        return _gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[lang])
    except OSError:
        return _gettext.NullTranslations()


def has_catalog(lang: str) -> bool:
    return lang == "en" or (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()


def set_language(lang: str) -> None:
    global _current, _current_lang
    _current = translation(lang)
    _current_lang = lang


def current_language() -> str:
    return _current_lang


def _(message: str) -> str:
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def NC_(context: str, message: str) -> str:
    """Mark ``message`` with its ``context`` for extraction, without translating
    it now (e.g. Qt's own contexts whose catalog lags behind Qt)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current.pgettext(context, message)


set_language(DEFAULT_LANGUAGE)
