"""``shelterdesk backup`` and ``shelterdesk restore``.

``backup --db PATH --user LOGIN --out FILE``: exit 0 only after the written
file was read back and checked (store.backup); prints the file and its size.
``restore --backup FILE --db NEWPATH --user LOGIN``: the password is that of
LOGIN *in the backup*; refuses an existing NEWPATH or any of its companion
files before a password is read; exit 1 and nothing written on any failure.
The restore drill (README): restore into a scratch folder, then ``verify`` there.
"""

from __future__ import annotations

from pathlib import Path

from shelterdesk.cli.common import Failure, add_db_option, add_user_option, read_password, unlock
from shelterdesk.i18n import _


def register(sub) -> None:
    sp = add_db_option(sub.add_parser("backup", help=_("write a verified backup of the database")))
    add_user_option(sp)
    sp.add_argument("--out", required=True, metavar="FILE",
                    help=_("backup file to write (never replaces an existing file)"))
    sp.set_defaults(func=cmd_backup)

    rp = sub.add_parser("restore", help=_("restore a backup into a new database file"))
    rp.add_argument("--backup", required=True, metavar="FILE", help=_("backup file"))
    rp.add_argument("--db", required=True, metavar="NEWPATH",
                    help=_("new database file (must not exist)"))
    add_user_option(rp)
    rp.set_defaults(func=cmd_restore)


def cmd_backup(args) -> int:
    from shelterdesk.store import backup as backups
    from shelterdesk.store.files import check_output_path

    out = Path(args.out)
    check_output_path(out, protect=[Path(args.db)])  # before any password is asked for
    session = unlock(args)
    try:
        result = backups.backup(session, out)
    finally:
        session.lock()
    print(_("Wrote {path} ({size} bytes); read back and verified.").format(
        path=result.path, size=result.size))
    return 0


def cmd_restore(args) -> int:
    from shelterdesk.store import backup as backups
    from shelterdesk.store import session as sessions

    new = Path(args.db)
    if backups.companions_exist(new):
        raise Failure(_("A database already exists at {path}; it was not touched.").format(
            path=new))
    if not Path(args.backup).is_file():
        raise Failure(_("There is no backup at {path}.").format(path=args.backup))
    password = read_password(_("Password: "))
    info = backups.restore(Path(args.backup), new, args.user, password)
    # The first login of the restored database (audited there).
    session = sessions.unlock(new, args.user, password)
    try:
        session.db.audit("restore", "database", None, f"schema={info.schema}")
    finally:
        session.lock()
    print(_("Restored the backup of {date} (made by {login}) into {path}: {residents} "
            "residents, {stays} stays.").format(
        date=info.created_at, login=info.made_by, path=new,
        residents=info.counts.get("resident", 0), stays=info.counts.get("stay", 0)))
    return 0
