"""``shelterdesk import-ledger``: the Excel ledger from the command line.

    shelterdesk import-ledger --db PATH --user LOGIN --stays FILE [--children FILE] [--show-ids]

Contract for scripts (kept exactly; not translated):

- success, exit 0: exactly one line on stdout,
  ``stays: N new, K already present; children: M new, J already present``;
  with ``--show-ids`` it is followed by a tab-separated table
  ``ledger_id stay_id resident_id new|present``, one line per stay (ids only,
  no names), so the new records can be found (``shelterdesk residents`` lists
  them too);
- any invalid row, exit 1 and nothing written: every error on stderr, one per
  line, ``row N, column C: reason`` for stays.csv and
  ``children.csv: row N, column C: reason`` for children.csv (N is the row
  Excel shows, the header being row 1); a file that cannot be read at all is
  ``stays.csv: reason``. The reasons are in the --lang language.
- notes that are not errors (ignored extra columns, open stays left without a
  bed) go to stderr, so stdout stays the one line.

The files are read and checked before the password is asked for: a ledger full
of mistakes needs no unlocking to be reported. Only admin and manager accounts
may import (store.ledger_import.IMPORT_ROLES).
"""

from __future__ import annotations

import sys
from pathlib import Path

from shelterdesk.cli.common import add_db_option, add_user_option, unlock
from shelterdesk.i18n import _, ngettext


def register(sub) -> None:
    sp = add_db_option(sub.add_parser(
        "import-ledger", help=_("import the Excel ledger (stays.csv, children.csv)")))
    add_user_option(sp)
    sp.add_argument("--stays", required=True, metavar="FILE",
                    help=_("stays.csv exported from the ledger"))
    sp.add_argument("--children", default=None, metavar="FILE",
                    help=_("children.csv exported from the ledger"))
    sp.add_argument("--show-ids", action="store_true",
                    help=_("after the summary, list ledger_id, stay id and resident id"))
    sp.set_defaults(func=cmd_import_ledger)


def _read(path: str) -> bytes:
    """A regular file of at most 200 MB (store.files.read_input_file): not a
    FIFO, a device or /dev/zero."""
    from shelterdesk.store.files import read_input_file
    return read_input_file(Path(path))


def _print_errors(errors) -> None:
    for e in errors:
        print(str(e), file=sys.stderr)


def cmd_import_ledger(args) -> int:
    from shelterdesk.core import ledger
    from shelterdesk.store import ledger_import

    stays = _read(args.stays)
    children = _read(args.children) if args.children else None
    plan = ledger.read_ledger(stays, children)
    if plan.errors:
        _print_errors(plan.errors)
        return 1
    session = unlock(args)
    try:
        session.require(*ledger_import.IMPORT_ROLES)
        try:
            summary = ledger_import.apply(session, plan)
        except ledger_import.LedgerRejected as e:
            _print_errors(e.errors)
            return 1
    finally:
        session.lock()
    print(summary.line())
    if args.show_ids:
        print("\t".join(("ledger_id", "stay_id", "resident_id", "status")))
        for s in summary.stays:
            print("\t".join((s.ledger_id, str(s.stay_id), str(s.resident_id),
                             "new" if s.new else "present")))
    for file, column in plan.ignored_columns:
        # The column's letter, never its header text (it could be anything).
        print(_("{file}: column {column} (unknown header) is not part of the ledger format "
                "and was not imported.").format(file=file, column=column), file=sys.stderr)
    if summary.without_bed:
        n = len(summary.without_bed)
        print(ngettext("{n} stay in residence has no bed; assign it on the rooms board.",
                       "{n} stays in residence have no bed; assign them on the rooms board.",
                       n).format(n=n), file=sys.stderr)
    return 0
