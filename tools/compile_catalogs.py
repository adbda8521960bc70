"""Compile translations/<lang>/LC_MESSAGES/shelterdesk.po to .mo (run by `make`)."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "translations"

for po_path in sorted(ROOT.glob("*/LC_MESSAGES/shelterdesk.po")):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=po_path.parent.parent.name.replace("-", "_"))
    with mo_path.open("wb") as f:
        write_mo(f, catalog, use_fuzzy=False)
