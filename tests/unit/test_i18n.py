"""The Japanese catalog is complete and consistent with the code."""

from __future__ import annotations

import re
import string
from pathlib import Path
from xml.etree import ElementTree

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from shelterdesk import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "NC_": ((1, "c"), 2)}


def _extracted() -> set[tuple[str, str | None]]:
    """(msgid, context) of every message; pgettext's context is part of its key."""
    ids = set()
    for _f, _l, message, _c, ctx in extract_from_dir(
            str(ROOT / "shelterdesk"), method_map=[("**.py", "python")], keywords=KEYWORDS):
        ids.add((message[0] if isinstance(message, tuple) else message, ctx))
    for ui in (ROOT / "ui").glob("*.ui"):
        ids.update((el.text, None) for el in ElementTree.parse(ui).iter("string")  # noqa: S314
                   if el.text and el.get("notr") != "true")
    return ids


def _ja_catalog():
    with (ROOT / "translations" / "ja" / "LC_MESSAGES" / "shelterdesk.po").open("rb") as f:
        return read_po(f, locale="ja")


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_has_a_japanese_translation():
    catalog = _ja_catalog()
    missing = sorted((m for m, ctx in _extracted()
                      if not (catalog.get(m, context=ctx) and catalog.get(m, context=ctx).string)),
                     key=str)
    assert missing == [], f"{len(missing)} messages lack Japanese: {missing[:10]}"


def test_translations_keep_the_placeholders():
    bad = []
    for m in _ja_catalog():
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        if any(_fields(s) != _fields(ids[0]) for s in strs):
            bad.append(ids[0])
    assert bad == []


def test_japanese_is_the_default_language():
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    try:
        assert i18n.current_language() == "ja"
        assert i18n._("Wrong login or password.") != "Wrong login or password."
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", i18n._("Wrong login or password."))
    finally:
        i18n.set_language("en")


def test_no_translated_text_hides_inside_an_f_string():
    """Extraction does not look inside f-strings: a _() there would never reach
    the catalog and would show in English."""
    pattern = re.compile(r"""\bf(["']).*\{\s*(esc\()?_\(\s*["']""")
    found = [f"{p.relative_to(ROOT)}:{n}"
             for p in (ROOT / "shelterdesk").rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert found == []
