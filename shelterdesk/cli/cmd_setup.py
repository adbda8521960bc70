"""``shelterdesk init`` and ``shelterdesk demo``: a new database.

Neither ever touches an existing file: a path that exists is a failure, so a
mistyped ``--db`` cannot replace the shelter's records. ``init`` prints the
recovery code once, on stdout, for printing and sealing; it is never stored.
The code is printed (and flushed) before the database is moved into place
(store.facility: staged creation), so a database that can be opened always
had its code shown. Both commands read the password twice (from standard
input: two lines); a mismatch is a failure.
"""

from __future__ import annotations

from pathlib import Path

from shelterdesk.cli.common import Failure, add_db_option, read_password
from shelterdesk.i18n import _


def register(sub) -> None:
    sp = add_db_option(sub.add_parser("init", help=_("create a new facility database")))
    sp.add_argument("--facility", required=True, metavar="NAME",
                    help=_("name of the facility"))
    sp.add_argument("--capacity", required=True, type=int, metavar="N",
                    help=_("number of residents the facility can take in"))
    sp.add_argument("--admin", required=True, metavar="LOGIN",
                    help=_("login of the first administrator (the password is read from "
                           "standard input)"))
    sp.add_argument("--admin-name", default=None, metavar="NAME",
                    help=_("display name of the administrator (default: the login)"))
    sp.set_defaults(func=cmd_init)

    sp = add_db_option(sub.add_parser("demo", help=_("create the demo database")))
    sp.set_defaults(func=cmd_demo)


def _refuse_existing(path: Path) -> None:
    if path.exists():
        raise Failure(_("A database already exists at {path}; it was not touched.").format(
            path=path))


def cmd_init(args) -> int:
    from shelterdesk.core.models import Facility
    from shelterdesk.store import facility as facility_repo
    path = Path(args.db)
    _refuse_existing(path)
    password = read_password(_("Password for {login}: ").format(login=args.admin), confirm=True)

    def show(recovery: str) -> None:
        print(_("Recovery code (print it, seal it in an envelope; it is shown only once):"))
        print(recovery, flush=True)

    session, _recovery = facility_repo.create_facility(
        path, Facility(args.facility, args.capacity), [], args.admin,
        args.admin_name or args.admin, password, show_recovery_code=show)
    session.lock()
    print(_("Created {path}.").format(path=path))
    return 0


def cmd_demo(args) -> int:
    from shelterdesk.store.demo import create_demo
    path = Path(args.db)
    _refuse_existing(path)
    password = read_password(_("Password for the demo accounts: "), confirm=True)
    session = create_demo(path, password)
    session.lock()
    print(_("Created the demo database {path}; log in as admin.").format(path=path))
    return 0
