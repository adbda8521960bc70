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

Saved documents are encrypted by default (issue 12): ``--encrypt`` (the
default) writes an AES-256 password-protected PDF and prints the generated
password on standard output, on its own line ``password: …`` after the
"Wrote" line — shown once, never stored; ``--age`` writes an age file with
such a password instead; ``--plain`` writes an unprotected PDF after a warning
on stderr, and the audit row says ``enc=plain``.
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
        enc = sp.add_mutually_exclusive_group()
        enc.add_argument("--encrypt", dest="protection", action="store_const",
                         const="pdf-aes256",
                         help=_("password-protected PDF, AES-256 (the default); the password "
                                "is printed once on standard output"))
        enc.add_argument("--age", dest="protection", action="store_const", const="age",
                         help=_("an age file protected by a generated password instead of a PDF"))
        enc.add_argument("--plain", dest="protection", action="store_const", const="plain",
                         help=_("an unprotected PDF (anyone who gets the file can read it)"))
        sp.set_defaults(func=cmd_print, protection="pdf-aes256")


def cmd_print(args) -> int:
    from shelterdesk.reports import protect
    from shelterdesk.store.files import check_output_path, write_output

    doc = document(args.document)
    lang = getattr(args, "doc_lang", None) or doc.languages[0]
    out = Path(args.out)
    protect_paths = [Path(args.db)]
    with _force_hint():  # before any password is asked for
        check_output_path(out, force=args.force, protect=protect_paths)
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
        kind = args.protection
        password = None if kind == protect.PLAIN else protect.new_password()
        data = protect.protect(result.data, kind, password)
        if kind == protect.PLAIN:
            print(_("shelterdesk: warning: {name} is not encrypted; anyone who gets the file "
                    "can read it.").format(name=out.name), file=sys.stderr)
        with _force_hint():
            write_output(out, data, force=args.force,
                         protect=[*protect_paths, session.db.path])
        session.db.audit("print", "stay", args.stay, f"doc={doc.key} lang={lang} enc={kind}")
    finally:
        session.lock()
    print(_("Wrote {path} ({pages} pages).").format(path=out, pages=result.pages))
    if password is not None:
        print(f"password: {password}")
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
