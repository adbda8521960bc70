"""Compile translations/<lang>/LC_MESSAGES/shelterdesk.po into the package, as
shelterdesk/locale/<lang>/LC_MESSAGES/shelterdesk.mo (gitignored).

Run by tools/setup.sh (so `make run` and `make test` work on a fresh clone) and,
through :func:`compile_catalogs`, by setup.py's build step, so a wheel built from
a clean checkout carries the catalogs. The .po files are the source; never edit
or commit a .mo.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "translations"
TARGET = ROOT / "shelterdesk" / "locale"
DOMAIN = "shelterdesk"


def compile_catalogs(source: Path = SOURCE, target: Path = TARGET) -> list[Path]:
    """Write one .mo per .po under ``target``; skip those already newer than
    their .po. Returns the .mo paths (all of them, written or not)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po_path.parent.parent.name
        mo_path = target / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        written.append(mo_path)
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=lang.replace("-", "_"))
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        tmp.replace(mo_path)
    return written


if __name__ == "__main__":
    compile_catalogs()
