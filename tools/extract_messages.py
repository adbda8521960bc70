"""Extract every translatable string into translations/shelterdesk.pot and merge
it into each language's catalog (`make i18n`).

Code uses _(), N_(), ngettext and pgettext; Designer forms are extracted from
ui/*.ui (their text reaches gettext through the QTranslator in gui/i18n_qt.py).
"""

import sys
from pathlib import Path
from xml.etree import ElementTree

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "NC_": ((1, "c"), 2)}
ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"

catalog = Catalog(project="ShelterDesk", msgid_bugs_address="", charset="utf-8")
for filename, lineno, message, comments, context in extract_from_dir(
    str(ROOT / "shelterdesk"),
    method_map=[("**.py", "python")],
    keywords=KEYWORDS,
    comment_tags=("Translators:",),
):
    catalog.add(message, locations=[(f"shelterdesk/{filename}", lineno)],
                auto_comments=comments, context=context)

# Designer forms: every <string> a person reads (not marked notr="true"). The
# QTranslator in gui/i18n_qt.py answers them from the plain msgid.
for ui in sorted((ROOT / "ui").glob("*.ui")):
    for el in ElementTree.parse(ui).iter("string"):  # noqa: S314 - our own forms
        if el.text and el.get("notr") != "true":
            catalog.add(el.text, locations=[(f"ui/{ui.name}", 0)])

with (TRANSLATIONS / "shelterdesk.pot").open("wb") as f:
    write_po(f, catalog, omit_header=False, sort_output=True, width=100)

ja_po = TRANSLATIONS / "ja" / "LC_MESSAGES" / "shelterdesk.po"
if not ja_po.exists():
    ja_po.parent.mkdir(parents=True, exist_ok=True)
    with ja_po.open("wb") as f:
        write_po(f, Catalog(locale="ja", project="ShelterDesk", charset="utf-8"))

only = set(sys.argv[1:])  # e.g. `extract_messages.py ja` updates the ja catalog only
for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/shelterdesk.po")):
    lang = po_path.parent.parent.name
    if only and lang not in only:
        continue
    with po_path.open("rb") as f:
        existing = read_po(f, locale=lang)
    existing.update(catalog, no_fuzzy_matching=True)
    with po_path.open("wb") as f:
        write_po(f, existing, sort_output=True, width=100, ignore_obsolete=True)
    missing = [m.id for m in existing if m.id and not m.string]
    print(f"{lang}: {len(existing)} messages, {len(missing)} untranslated")
