"""``shelterdesk print DOCUMENT``: documents of a stay, one subcommand per entry
of :data:`shelterdesk.reports.documents.DOCUMENTS` (today ``print intake`` and
``print consent --lang LANG``). A document offered in several languages takes
``--lang`` with those languages as choices; one offered in one language does not.

The PDF is built in memory and written only at ``--out``, atomically (temp
file beside it, fsync, rename), so a crash never leaves half a document with a
name on it. An existing file is replaced only with ``--force``, and a
database, key file, backup or lockout file never (store.files.check_output_path). Every print is audited with the stay id, document and language
(``doc=… lang=…``), never with a name. Characters no font can draw are named on
stderr as code points (U+XXXX) before the file is written; the file is still
written, with 〓 in their place, because the intake desk may need the sheet
tonight.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from shelterdesk.cli.common import Failure, add_db_option, add_user_option, unlock
from shelterdesk.i18n import _
from shelterdesk.reports.documents import DOCUMENTS, document


def register(sub) -> None:
    p = sub.add_parser("print", help=_("print a document of a stay to a PDF file"))
    docs = p.add_subparsers(dest="document", required=True, metavar="DOCUMENT")
    for doc in DOCUMENTS:
        sp = add_db_option(docs.add_parser(doc.key, help=_(doc.title)))
        add_user_option(sp)
        sp.add_argument("--stay", required=True, type=int, metavar="ID", help=_("stay number"))
        if doc.chooses_language:
            sp.add_argument("--lang", dest="doc_lang", required=True, choices=doc.languages,
                            help=_("language of the sheet"))
        sp.add_argument("--out", required=True, metavar="FILE.pdf", help=_("PDF file to write"))
        sp.add_argument("--force", action="store_true",
                        help=_("replace FILE.pdf if it exists (never a database or key file)"))
        sp.set_defaults(func=cmd_print)


def cmd_print(args) -> int:
    from shelterdesk.store.files import check_output_path, write_output

    doc = document(args.document)
    lang = getattr(args, "doc_lang", None) or doc.languages[0]
    out = Path(args.out)
    protect = [Path(args.db)]
    with _force_hint():  # before any password is asked for
        check_output_path(out, force=args.force, protect=protect)
    session = unlock(args)
    try:
        session.require(*doc.roles)
        staff = session.account.display_name if session.account else ""
        result = doc.build(session.db, args.stay, lang, staff)
        _warn_if_main_fonts_missing()
        if result.missing:
            print(_("shelterdesk: warning: these characters cannot be printed with the "
                    "installed fonts and appear as 〓: {codes}").format(
                codes=" ".join(result.missing_codepoints)), file=sys.stderr)
        with _force_hint():
            write_output(out, result.data, force=args.force,
                         protect=[*protect, session.db.path])
        session.db.audit("print", "stay", args.stay, f"doc={doc.key} lang={lang}")
    finally:
        session.lock()
    print(_("Wrote {path} ({pages} pages).").format(path=out, pages=result.pages))
    return 0


def _warn_if_main_fonts_missing() -> None:
    """Said once per run; the document is still written (fallback fonts)."""
    from shelterdesk.reports.fonts import missing_main_fonts
    if missing_main_fonts():
        print(_("shelterdesk: warning: the Japanese print fonts (BIZ UD) are not installed; "
                "the document uses a fallback font."), file=sys.stderr)


@contextmanager
def _force_hint():
    """An existing file: say how to replace it (the store's sentence does not
    know about command-line options)."""
    from shelterdesk.store.errors import OutputExists
    try:
        yield
    except OutputExists as e:
        raise Failure(_("{reason} Add --force to replace it.").format(reason=e)) from None
