"""Creating a facility: a new encrypted database, its settings and rooms, the
first administrator and the recovery code.

Creation touches nothing that was there before: it refuses when any file of
a database exists at the path, and a creation that fails half-way removes
only the files it made.
"""

from __future__ import annotations

from pathlib import Path

from shelterdesk.core.models import Facility, Room
from shelterdesk.core.validation import Checker, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store import grants, settings
from shelterdesk.store import rooms as rooms_repo
from shelterdesk.store.accounts import check_login, check_password, get_account
from shelterdesk.store.database import Database, new_data_key
from shelterdesk.store.errors import DatabaseExists
from shelterdesk.store.files import database_files_exist, remove_database_files
from shelterdesk.store.rows import now_text
from shelterdesk.store.session import Session, record_slots
from shelterdesk.store.vault import KdfParams, calibrate_kdf, new_recovery_code, new_slot_file


def create_facility(db_path: Path, facility: Facility, rooms: list[Room], admin_login: str,
                    admin_name: str, admin_password: str,
                    kdf: KdfParams | None = None) -> tuple[Session, str]:
    """A new database with its first administrator. Returns the session and the
    recovery code, which is shown once and never stored in the clear."""
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
    kdf = kdf or calibrate_kdf()
    key = new_data_key()
    slots = new_slot_file(db_path)
    db = None
    try:
        db = Database.create(db_path, key, slots.database_id)
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
    except BaseException:
        if db is not None:
            db.close()
        remove_database_files(db_path)
        raise
    account = get_account(db, admin_id)
    return Session(db, slots, account, kdf, key), recovery
