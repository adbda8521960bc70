"""``shelterdesk SUBCOMMAND``: the headless jobs. A stable contract for scripts
(the README lists the commands; exit 0/1/2; passwords from standard input).

The parser is built from :data:`COMMANDS`, one module per subcommand group
(Calibre's ``db/cli/main.py`` + ``cmd_*.py``). A module exposes
``register(subparsers)``, which adds its subcommands and sets ``func`` (called
with the parsed arguments, returning the exit status) on each. A new group
(discharge/aftercare, export/import, report, backup/restore) is one new module
added to the list; :mod:`shelterdesk.cli.common` has the database path, the
password, unlocking and the one-line failure.

Help and argparse's own messages are in the ``--lang`` language
(``SHELTERDESK_LANG``, else Japanese). The language must be known before the
parser formats anything, so it is read from the arguments before the
subcommand first (:func:`language_from`).

Without a subcommand the GUI starts (a lazy import of ``shelterdesk.gui.app``;
the GUI never imports this package).
"""

from __future__ import annotations

import argparse
import os
import sys

from shelterdesk.cli import (
    cmd_aftercare,
    cmd_backup,
    cmd_ledger,
    cmd_print,
    cmd_recovery,
    cmd_report,
    cmd_residents,
    cmd_setup,
    cmd_verify,
)
from shelterdesk.cli.argparse_i18n import speaking_our_language
from shelterdesk.cli.common import resolve_db, run_command
from shelterdesk.i18n import DEFAULT_LANGUAGE, _, set_language

#: The subcommand groups, in the order ``--help`` lists them.
COMMANDS = (cmd_setup, cmd_verify, cmd_residents, cmd_ledger, cmd_print, cmd_report,
            cmd_aftercare, cmd_backup, cmd_recovery)

_TOP_LEVEL_WITH_VALUE = ("--lang", "--db")


def language_from(argv: list[str]) -> str:
    """The top-level ``--lang`` (only before the subcommand: ``print consent
    --lang`` is the sheet's language), else ``SHELTERDESK_LANG``, else ja."""
    lang = os.environ.get("SHELTERDESK_LANG", DEFAULT_LANGUAGE)
    args = iter(argv)
    for arg in args:
        if arg == "--" or not arg.startswith("-"):
            break
        name, eq, value = arg.partition("=")
        full = next((o for o in _TOP_LEVEL_WITH_VALUE
                     if len(name) > 2 and o.startswith(name)), None)
        if full is None:
            continue
        if not eq:
            value = next(args, "")
        if full == "--lang" and value:
            lang = value
    return lang


def build_parser() -> argparse.ArgumentParser:
    """The whole parser, its help in the current language (call it inside
    :func:`speaking_our_language` for argparse's own words too)."""
    p = argparse.ArgumentParser(prog="shelterdesk", description=_("ShelterDesk"))
    p.add_argument("--lang", default=os.environ.get("SHELTERDESK_LANG", DEFAULT_LANGUAGE),
                   help=_("language of messages (ja or en)"))
    # Without a subcommand the GUI starts; it reads --db from the command line itself.
    p.add_argument("--db", dest="gui_db", default=None, metavar="PATH",
                   help=_("database file (for the GUI)"))
    p.add_argument("--self-test", action="store_true",
                   help=_("check that this copy of the program works on this PC, then exit"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(language_from(argv))
    with speaking_our_language():
        args = build_parser().parse_args(argv)
    set_language(args.lang)
    if args.self_test:
        from shelterdesk.selftest import run as self_test
        return self_test()
    if args.command is None:
        from shelterdesk.gui.app import main as run_gui
        return run_gui([sys.argv[0] if sys.argv else "shelterdesk", *argv])
    resolve_db(args)
    return run_command(args.func, args)
