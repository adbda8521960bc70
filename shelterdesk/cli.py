"""``shelterdesk SUBCOMMAND``: the headless jobs. A stable contract for scripts.

The database path comes from ``--db``, else ``SHELTERDESK_DB``, else the
per-user data directory. Passwords are read from standard input when it is not
a terminal and prompted otherwise, never taken from arguments. Exit 0 on
success, 1 on failure with a one-line reason on stderr, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from shelterdesk.i18n import _, set_language


def default_db_path() -> Path:
    env = os.environ.get("SHELTERDESK_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_dir
    return Path(user_data_dir("ShelterDesk", appauthor=False)) / "shelterdesk.db"


class Failure(Exception):
    """A one-line reason for stderr; exit status 1."""


def read_password(prompt: str, confirm: bool = False) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise Failure(_("No password on standard input."))
        return line.rstrip("\r\n")
    pw = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the password: ")) != pw:
        raise Failure(_("The passwords do not match."))
    return pw


def _unlock(args):
    from shelterdesk.store import session as sessions
    path = Path(args.db)
    if not path.exists():
        raise Failure(_("There is no database at {path}.").format(path=path))
    wait = sessions.wait_seconds(path)
    if wait > 0:
        raise Failure(_("Too many failed logins; try again in {n} seconds.").format(
            n=int(wait) + 1))
    return sessions.unlock(path, args.user, read_password(_("Password: ")))


def cmd_init(args) -> int:
    from shelterdesk.core.models import Facility
    from shelterdesk.store import facility as facility_repo
    path = Path(args.db)
    if path.exists():
        raise Failure(_("A database already exists at {path}; it was not touched.").format(
            path=path))
    password = read_password(_("Password for {login}: ").format(login=args.admin), confirm=True)
    session, recovery = facility_repo.create_facility(
        path, Facility(args.facility, args.capacity), [], args.admin,
        args.admin_name or args.admin, password)
    session.lock()
    print(_("Created {path}.").format(path=path))
    print(_("Recovery code (print it, seal it in an envelope; it is shown only once):"))
    print(recovery)
    return 0


def cmd_demo(args) -> int:
    from shelterdesk.store.demo import create_demo
    path = Path(args.db)
    if path.exists():
        raise Failure(_("A database already exists at {path}; it was not touched.").format(
            path=path))
    password = read_password(_("Password for the demo accounts: "), confirm=True)
    session = create_demo(path, password)
    session.lock()
    print(_("Created the demo database {path}; log in as admin.").format(path=path))
    return 0


def cmd_verify(args) -> int:
    session = _unlock(args)
    try:
        problems = session.db.integrity_problems()
        audit = session.db.verify_audit()
        session.db.audit("verify", "database")
    finally:
        session.lock()
    ok = True
    for name in ("cipher_integrity_check", "integrity_check", "foreign_key_check"):
        found = problems[name]
        ok &= not found
        print(f"{name}: " + ("ok" if not found else "; ".join(found[:5])))
    ok &= not audit
    print("audit_chain: " + ("ok" if not audit else "; ".join(audit[:5])))
    return 0 if ok else 1


def cmd_residents(args) -> int:
    from shelterdesk.store import residents
    session = _unlock(args)
    try:
        view = {"in": residents.VIEW_IN_RESIDENCE, "all": residents.VIEW_ALL,
                "discharged": residents.VIEW_DISCHARGED}[args.view]
        rows = residents.list_residents(session.db, view, args.search or "", limit=1_000_000)
        session.db.audit("list", "resident", None, f"count={len(rows)}")
    finally:
        session.lock()
    print("\t".join(["stay_id", "resident_id", "name", "admitted", "discharged"]))
    for r in rows:
        print("\t".join(str(x) for x in (r.stay_id or "", r.resident_id, r.display_name,
                                         r.admitted_on or "", r.discharged_on or "")))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shelterdesk", description=_("ShelterDesk"))
    p.add_argument("--lang", default=os.environ.get("SHELTERDESK_LANG", "ja"),
                   help=_("language of messages (ja or en)"))
    # Without a subcommand the GUI starts; it reads --db from the command line itself.
    p.add_argument("--db", dest="gui_db", default=None, help=_("database file (for the GUI)"))
    sub = p.add_subparsers(dest="command")

    def with_db(sp):
        sp.add_argument("--db", default=None, help=_("database file"))
        return sp

    sp = with_db(sub.add_parser("init", help=_("create a new facility database")))
    sp.add_argument("--facility", required=True)
    sp.add_argument("--capacity", required=True, type=int)
    sp.add_argument("--admin", required=True)
    sp.add_argument("--admin-name", default=None)
    sp.set_defaults(func=cmd_init)

    sp = with_db(sub.add_parser("demo", help=_("create the demo database")))
    sp.set_defaults(func=cmd_demo)

    sp = with_db(sub.add_parser("verify", help=_("check the database and the audit log")))
    sp.add_argument("--user", required=True)
    sp.set_defaults(func=cmd_verify)

    sp = with_db(sub.add_parser("residents", help=_("list residents with their ids")))
    sp.add_argument("--user", required=True)
    sp.add_argument("--search", default="")
    sp.add_argument("--view", choices=["in", "all", "discharged"], default="all")
    sp.set_defaults(func=cmd_residents)

    from shelterdesk import ledger_cli
    ledger_cli.register(sub, with_db)

    from shelterdesk.print_cli import add_print_command
    add_print_command(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang)
    if args.command is None:
        from shelterdesk.__main__ import run_gui
        return run_gui()
    if getattr(args, "db", "x") is None:
        args.db = args.gui_db or str(default_db_path())
    from shelterdesk.core.validation import ValidationError
    from shelterdesk.store.errors import StoreError
    try:
        return args.func(args)
    except (Failure, StoreError, ValidationError, OSError) as e:
        print(f"shelterdesk: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1


if __name__ == "__main__":
    sys.exit(main())
