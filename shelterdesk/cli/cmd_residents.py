"""``shelterdesk residents``: stay and resident ids with names, tab-separated,
so a script can find the stay to print (the header line and columns are a
contract). Every resident by default; ``--view in`` for those in residence.
The listing is audited with its count only. Fields go through
:func:`shelterdesk.core.tabular.output_row`: a tab or newline typed into a name
cannot forge a row, and a formula-leading cell is neutralised.
"""

from __future__ import annotations

from shelterdesk.cli.common import add_db_option, add_user_option, unlock
from shelterdesk.i18n import _

VIEWS = ("in", "all", "discharged")
COLUMNS = ("stay_id", "resident_id", "name", "admitted", "discharged")


def register(sub) -> None:
    sp = add_db_option(sub.add_parser("residents", help=_("list residents with their ids")))
    add_user_option(sp)
    sp.add_argument("--search", default="", metavar="TEXT",
                    help=_("only residents whose name or reading contains TEXT"))
    sp.add_argument("--view", choices=VIEWS, default="all",
                    help=_("in: in residence now; all: everyone (default); "
                           "discharged: discharged only"))
    sp.set_defaults(func=cmd_residents)


def cmd_residents(args) -> int:
    from shelterdesk.store import residents
    session = unlock(args)
    try:
        view = {"in": residents.VIEW_IN_RESIDENCE, "all": residents.VIEW_ALL,
                "discharged": residents.VIEW_DISCHARGED}[args.view]
        rows = residents.list_residents(session.db, view, args.search or "", limit=1_000_000)
        session.db.audit("list", "resident", None, f"count={len(rows)}")
    finally:
        session.lock()
    from shelterdesk.core.tabular import output_row
    print("\t".join(COLUMNS))
    for r in rows:
        print(output_row((r.stay_id or "", r.resident_id, r.display_name,
                          r.admitted_on or "", r.discharged_on or "")))
    return 0
