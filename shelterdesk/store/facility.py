"""Creating a facility: a new encrypted database, its settings and rooms, the
first administrator and the recovery code.

Creation touches nothing that was there before: it refuses when any file of
a database exists at the path, and a creation that fails half-way removes
only the files it made.

Creation is staged (issue 8, item 7): the database and its key file are built
under a hidden staging name in the same folder (``.<name>.creating-<id>``) and
renamed into place only once the database, the administrator's slot and the
recovery slot are complete, and only after ``show_recovery_code`` returned, so
the code is shown before the database becomes usable. The key file is renamed
first, then the database: a kill between the two leaves a lone key file next
to the staging database of the same id, which :func:`clean_staging` (run by
the next creation) removes. A kill at any point leaves nothing at the path or
a complete database.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Callable
from pathlib import Path

from shelterdesk.core.models import Facility, Room
from shelterdesk.core.validation import Checker, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store import grants, settings
from shelterdesk.store import rooms as rooms_repo
from shelterdesk.store.accounts import check_login, check_password, get_account
from shelterdesk.store.database import Database, new_data_key
from shelterdesk.store.errors import DatabaseExists
from shelterdesk.store.files import (
    LOCKOUT_SUFFIXES,
    database_files_exist,
    disk_problem,
    fsync_dir,
    remove_database_files,
)
from shelterdesk.store.rows import now_text
from shelterdesk.store.session import Session, record_slots
from shelterdesk.store.vault import (
    KdfParams,
    SlotFile,
    calibrate_kdf,
    new_recovery_code,
    new_slot_file,
)

_STAGING = ".{name}.creating-"


def _staging_files(db_path: Path) -> list[Path]:
    prefix = _STAGING.format(name=db_path.name)
    try:
        names = [p.name for p in db_path.parent.iterdir()]
    except OSError:
        return []
    found = set()
    for name in names:
        if name.startswith("." + prefix) and name.endswith(".tmp"):
            # write_atomic's temporary file for the staging key file.
            name = name[1:]
        ident = name[len(prefix):len(prefix) + 32]
        if name.startswith(prefix) and len(ident) == 32 and all(
                c in "0123456789abcdef" for c in ident):
            found.add(db_path.with_name(prefix + ident))
    return sorted(found)


def clean_staging(db_path: Path) -> None:
    """Remove what an interrupted creation left: staging databases (and their
    key files), and a key file renamed into place whose database never
    followed (same database id as a staging database)."""
    db_path = Path(db_path)
    keys = SlotFile.path_for(db_path)
    for staging in _staging_files(db_path):
        ident = staging.name.rsplit("-", 1)[1]
        if keys.exists() and not db_path.exists():
            with contextlib.suppress(Exception):
                if SlotFile.load(db_path).database_id == ident:
                    for suffix in ("", ".bak"):
                        Path(str(keys) + suffix).unlink(missing_ok=True)
        _remove_staging(staging)
        for leftover in db_path.parent.glob(f".{glob.escape(staging.name)}.keys.*.tmp"):
            leftover.unlink(missing_ok=True)


def _remove_staging(staging: Path) -> None:
    """A staging database's files, and the throttle's files that saving its
    key file made beside it."""
    remove_database_files(staging)
    for suffix in ("-journal", *LOCKOUT_SUFFIXES):
        Path(str(staging) + suffix).unlink(missing_ok=True)


def _move_into_place(src: Path, dst: Path) -> None:
    """Rename without ever replacing: a file that appeared meanwhile wins."""
    os.link(src, dst)
    os.unlink(src)


def create_facility(db_path: Path, facility: Facility, rooms: list[Room], admin_login: str,
                    admin_name: str, admin_password: str,
                    kdf: KdfParams | None = None,
                    show_recovery_code: Callable[[str], None] | None = None,
                    ) -> tuple[Session, str]:
    """A new database with its first administrator. Returns the session and the
    recovery code, which is shown once and never stored in the clear.
    ``show_recovery_code`` is called before the database is moved into place
    (see the module docstring); if it raises, nothing is created."""
    db_path = Path(db_path)
    errors = check_login(admin_login) + check_password(admin_password)
    errors += settings.check({settings.FACILITY_NAME: facility.name,
                              settings.CAPACITY: facility.capacity})
    c = Checker()
    if not admin_name.strip():
        c.add("display_name", _("Enter the administrator's name."))
    errors += c.errors
    if errors:
        raise ValidationError(errors)
    # Any file of a database here (even a lone -wal) means "not ours to touch":
    # a failed creation removes only files it made, so it must find none.
    if database_files_exist(db_path):
        raise DatabaseExists(_("A database already exists at {path}; it was not touched.")
                             .format(path=db_path))
    clean_staging(db_path)
    kdf = kdf or calibrate_kdf()
    key = new_data_key()
    slots = new_slot_file(db_path)
    staging = db_path.with_name(_STAGING.format(name=db_path.name) + slots.database_id)
    slots.path = SlotFile.path_for(staging)
    db = None
    keys_moved = False
    try:
        db = Database.create(staging, key, slots.database_id)
        with db.transaction() as con:
            settings.seed(con, facility, now_text())
            cur = con.execute("INSERT INTO account(login, display_name, created_at, "
                              "password_changed_at) VALUES (?,?,?,?)",
                              (admin_login, admin_name.strip(), now_text(), now_text()))
            admin_id = cur.lastrowid
            con.executemany("INSERT INTO account_role(account_id, role) VALUES (?,?)",
                            [(admin_id, r) for r in ("admin", "manager")])
            for room in rooms:
                rooms_repo.insert_room(con, room)
            db.account_id = admin_id
            db.audit("create_facility", "facility")
        recovery = new_recovery_code()
        slots.set_account_slot(admin_id, admin_login, admin_password, key, kdf)
        slots.set_recovery_slot(recovery, key)
        record_slots(db, slots)
        grants.establish_root(db, slots)  # the first administrator signs her roles
        slots.save()
        db.close()
        if show_recovery_code is not None:
            show_recovery_code(recovery)
        if database_files_exist(db_path):
            raise DatabaseExists(_("A database already exists at {path}; it was not touched.")
                                 .format(path=db_path))
        _move_into_place(slots.path, SlotFile.path_for(db_path))
        keys_moved = True
        _move_into_place(staging, db_path)
        _remove_staging(staging)
        fsync_dir(db_path.parent)
    except BaseException as e:
        if db is not None:
            db.close()
        if keys_moved and not db_path.exists():
            SlotFile.path_for(db_path).unlink(missing_ok=True)
        _remove_staging(staging)
        if isinstance(e, OSError):
            raise disk_problem(e, db_path.parent) or e from None
        raise
    db = Database.open(db_path, key, upgrade=False)
    db.account_id = admin_id
    slots.path = SlotFile.path_for(db_path)
    account = get_account(db, admin_id)
    return Session(db, slots, account, kdf, key), recovery
