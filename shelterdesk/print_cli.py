"""``shelterdesk print intake|consent``: documents from the command line.

The PDF is built in memory and written only at ``--out``, atomically (temp
file beside it, fsync, rename), so a crash never leaves half a document with a
name on it. Every print is audited with the stay id, document and language,
never with a name. Characters no font can draw are named on stderr as code
points (U+XXXX) before the file is written; the file is still written, with
〓 in their place, because the intake desk may need the sheet tonight.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shelterdesk.i18n import DOCUMENT_LANGUAGES, _


def add_print_command(sub) -> None:
    """Register ``print`` on the CLI's subparsers (called from cli.build_parser)."""
    p = sub.add_parser("print", help=_("print a document of a stay to a PDF file"))
    docs = p.add_subparsers(dest="document", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--db", default=None, help=_("database file"))
        sp.add_argument("--user", required=True)
        sp.add_argument("--stay", required=True, type=int, help=_("stay number"))
        sp.add_argument("--out", required=True, help=_("PDF file to write"))
        sp.set_defaults(func=cmd_print)

    common(docs.add_parser("intake", help=_("intake sheet (Japanese)")))
    sp = docs.add_parser("consent", help=_("house rules and consent sheet"))
    common(sp)
    sp.add_argument("--lang", dest="doc_lang", required=True, choices=DOCUMENT_LANGUAGES,
                    help=_("language of the sheet"))


def cmd_print(args) -> int:
    from shelterdesk.cli import Failure, _unlock
    from shelterdesk.reports.consent_sheet import build_consent_sheet
    from shelterdesk.reports.intake_sheet import build_intake_sheet
    from shelterdesk.store.files import write_atomic

    out = Path(args.out)
    if not out.parent.is_dir():
        raise Failure(_("The folder {path} does not exist.").format(path=out.parent))
    session = _unlock(args)
    try:
        db = session.db
        if args.document == "intake":
            result = build_intake_sheet(db, args.stay, staff_name=session.account.display_name)
            lang = "ja"
        else:
            lang = args.doc_lang
            result = build_consent_sheet(db, args.stay, lang)
        if result.missing:
            print(_("shelterdesk: warning: these characters cannot be printed with the "
                    "installed fonts and appear as 〓: {codes}").format(
                codes=" ".join(result.missing_codepoints)), file=sys.stderr)
        write_atomic(out, result.data)
        db.audit("print", "stay", args.stay, f"doc={args.document} lang={lang}")
    finally:
        session.lock()
    print(_("Wrote {path} ({pages} pages).").format(path=out, pages=result.pages))
    return 0
