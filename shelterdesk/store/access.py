"""Who gets in: creating a facility, unlocking, locking, staff accounts and
their key slots, data-key rotation.

This is the one module that holds the data key in memory between the slot
file and the connection; it hands out a :class:`Session` and forgets the key
when the session is locked.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from shelterdesk.core import codes
from shelterdesk.core.models import Account, Facility, Room
from shelterdesk.core.validation import Checker, FieldError, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store import rooms as rooms_repo
from shelterdesk.store.database import Database, new_data_key
from shelterdesk.store.errors import (
    Conflict,
    DatabaseDamaged,
    DatabaseExists,
    Forbidden,
    NotFound,
    WrongPassword,
)
from shelterdesk.store.throttle import Throttle
from shelterdesk.store.vault import (
    KdfParams,
    SlotFile,
    calibrate_kdf,
    new_recovery_code,
    new_slot_file,
)

MIN_PASSWORD = 8


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


@dataclass
class Session:
    """An unlocked database and the staff member using it."""
    db: Database
    slots: SlotFile
    account: Account | None
    kdf: KdfParams
    _data_key: bytes | None = field(default=None, repr=False)

    def require(self, *roles: str) -> None:
        if self.account is None or not (self.account.roles & set(roles)):
            raise Forbidden(_("Your account may not do this."))

    def lock(self) -> None:
        """Close the connection and drop the data key."""
        if self.db.is_open:
            self.db.audit("lock")
            self.db.close()
        self._data_key = None

    def facility(self) -> Facility:
        return Facility(
            name=self.db.get_meta("facility_name", ""),
            capacity=int(self.db.get_meta("capacity", "0")),
            database_id=self.db.database_id,
            idle_lock_minutes=int(self.db.get_meta("idle_lock_minutes", "5")),
            board_shows_alias=self.db.get_meta("board_shows_alias", "1") == "1",
        )


def check_password(password: str, field_name: str = "password") -> list[FieldError]:
    c = Checker()
    if len(password) < MIN_PASSWORD:
        c.add(field_name, _("The password must have at least {n} characters.").format(
            n=MIN_PASSWORD))
    return c.errors


def check_login(login: str) -> list[FieldError]:
    c = Checker()
    if not login or not login.isascii() or not all(ch.isalnum() or ch in "._-" for ch in login):
        c.add("login", _("The login may use letters, digits, '.', '_' and '-' only."))
    c.length("login", _("Login"), login, 32)
    return c.errors


def create_facility(db_path: Path, facility: Facility, rooms: list[Room], admin_login: str,
                    admin_name: str, admin_password: str,
                    kdf: KdfParams | None = None) -> tuple[Session, str]:
    """A new database with its first administrator. Returns the session and the
    recovery code, which is shown once and never stored in the clear."""
    db_path = Path(db_path)
    errors = check_login(admin_login) + check_password(admin_password)
    c = Checker()
    if not facility.name.strip():
        c.add("facility_name", _("Enter the facility name."))
    c.length("facility_name", _("Facility name"), facility.name)
    if not 1 <= facility.capacity <= 1000:
        c.add("capacity", _("Capacity must be between 1 and 1000."))
    if not admin_name.strip():
        c.add("display_name", _("Enter the administrator's name."))
    errors += c.errors
    if errors:
        raise ValidationError(errors)
    # Any file of a database here (even a lone -wal) means "not ours to touch":
    # a failed creation removes only files it made, so it must find none.
    if any(Path(str(db_path) + suffix).exists() for suffix in _DB_SUFFIXES):
        raise DatabaseExists(_("A database already exists at {path}; it was not touched.")
                             .format(path=db_path))
    kdf = kdf or calibrate_kdf()
    key = new_data_key()
    slots = new_slot_file(db_path)
    db = None
    try:
        db = Database.create(db_path, key, slots.database_id)
        with db.transaction() as con:
            for k, v in (("facility_name", facility.name.strip()),
                         ("capacity", str(facility.capacity)),
                         ("idle_lock_minutes", str(facility.idle_lock_minutes)),
                         ("board_shows_alias", "1" if facility.board_shows_alias else "0"),
                         ("created_at", _now())):
                con.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (k, v))
            cur = con.execute("INSERT INTO account(login, display_name, created_at, "
                              "password_changed_at) VALUES (?,?,?,?)",
                              (admin_login, admin_name.strip(), _now(), _now()))
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
        slots.save()
    except BaseException:
        if db is not None:
            db.close()
        _remove_new_files(db_path)
        raise
    account = get_account(db, admin_id)
    return Session(db, slots, account, kdf, key), recovery


_DB_SUFFIXES = ("", "-wal", "-shm", ".keys", ".keys.bak")


@contextmanager
def _slot_change(s: Session):
    """A change to the key slots that must follow the database transaction:
    if the slot file cannot be written (a full disk), the in-memory slots go
    back to what is on disk, so a later save cannot slip the failed change in."""
    before = (copy.deepcopy(s.slots.slots), s.slots.generation)
    try:
        yield
    except BaseException:
        s.slots.slots, s.slots.generation = before
        raise


def _remove_new_files(db_path: Path) -> None:
    """Undo a creation that failed half-way. Only called after checking that
    none of these files existed before the creation started."""
    for suffix in _DB_SUFFIXES:
        p = Path(str(db_path) + suffix)
        if p.exists():
            p.unlink()


def unlock(db_path: Path, login: str, password: str) -> Session:
    """Open the database as ``login``. Wrong login or password raises
    WrongPassword (the same message for both); each failure is recorded and
    audited at the next successful login, and makes the next attempt wait
    longer (see throttle)."""
    db_path = Path(db_path)
    throttle = Throttle(db_path)
    wait = throttle.wait_seconds()
    if wait > 0:
        # Enforced here, not only by the screens: every way in waits alike.
        raise TooManyAttempts(wait)
    slots = SlotFile.load(db_path)
    # The lockout file is in the clear: keep a typed login only when it is a
    # staff login (a resident's name typed into the wrong field must not land
    # on disk).
    who = login if slots.slot_for_login(login) is not None else "?"
    try:
        account_id, key = slots.unlock(login, password)
    except WrongPassword:
        throttle.record_failure(who, _now())
        raise
    db, key = _open_with_fallback(db_path, slots, key,
                                  lambda: slots.unlock(login, password, previous=True)[1])
    try:
        account = get_account(db, account_id)
        # The login typed must be the login the database (not the editable
        # slot file) holds for that account.
        if account is None or account.disabled or account.login != login:
            throttle.record_failure(who, _now())
            raise WrongPassword(_("Wrong login or password."))
        db.account_id = account_id
        with db.transaction():
            for at, who in throttle.take_pending():
                db.audit("login_failed", "account", None, f"login={who}", at=at, account_id=None)
            db.audit("login", "account", account_id)
    except BaseException:
        db.close()
        raise
    kdf = KdfParams.from_json(slots.slot_for_login(login)["kdf"])
    return Session(db, slots, account, kdf, key)


def unlock_with_recovery(db_path: Path, code: str, kdf: KdfParams | None = None) -> Session:
    """Open with the sealed recovery code (to reset an administrator's password
    when every administrator is locked out). The session acts as no account
    but may manage accounts."""
    db_path = Path(db_path)
    slots = SlotFile.load(db_path)
    key = slots.unlock_recovery(code)
    db, key = _open_with_fallback(db_path, slots, key,
                                  lambda: slots.unlock_recovery(code, previous=True))
    db.account_id = None
    db.audit("recovery_unlock")
    recovery_admin = Account(None, "recovery", _("Recovery"), frozenset({"admin"}))
    return Session(db, slots, recovery_admin, kdf or calibrate_kdf(), key)


def _open_with_fallback(db_path: Path, slots: SlotFile, key: bytes, previous_key):
    """Open with ``key``; if a data-key rotation was interrupted before the
    database was re-encrypted, the previous generation's key opens it."""
    try:
        db = Database.open(db_path, key)
    except DatabaseDamaged:
        if not slots.rotation_pending:
            raise
        old = previous_key()
        db = Database.open(db_path, old)
    else:
        if not slots.rotation_pending:
            return db, key
        # Re-encrypted, but the slot file still holds the previous seal.
        try:
            slots.finish_rotation()
            slots.save(forget_previous=True)
        except BaseException:
            db.close()
            raise
        return db, key
    # Finish the rotation now: left pending, the key the administrator meant to
    # retire keeps working, and a second rotation would seal away the only key
    # that opens the database.
    try:
        db.rekey(key)
        slots.finish_rotation()
        slots.save()
        db.audit("rotate_key", "database", None, "finished after interruption",
                 account_id=None)
    except BaseException:
        db.close()
        raise
    return db, key


class TooManyAttempts(WrongPassword):
    """Too many failed logins in a row: wait before the next attempt."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(_("Too many failed logins; try again in {n} seconds.").format(
            n=int(seconds) + 1))


def wait_seconds(db_path: Path) -> float:
    return Throttle(db_path).wait_seconds()


# -- accounts ------------------------------------------------------------------

def _account_from_row(row, roles) -> Account:
    return Account(row[0], row[1], row[2], frozenset(roles), bool(row[3]))


def get_account(db: Database, account_id: int) -> Account | None:
    row = db.query_one("SELECT id, login, display_name, disabled FROM account WHERE id=?",
                       (account_id,))
    if row is None:
        return None
    roles = [r[0] for r in db.query("SELECT role FROM account_role WHERE account_id=?",
                                    (account_id,))]
    return _account_from_row(row, roles)


def list_accounts(db: Database) -> list[Account]:
    roles: dict[int, list[str]] = {}
    for aid, role in db.query("SELECT account_id, role FROM account_role"):
        roles.setdefault(aid, []).append(role)
    return [_account_from_row(r, roles.get(r[0], []))
            for r in db.query("SELECT id, login, display_name, disabled FROM account ORDER BY login")]


def _check_roles(roles) -> list[FieldError]:
    c = Checker()
    if not roles:
        c.add("roles", _("Choose at least one role."))
    for r in roles:
        c.code("roles", _("Role"), codes.ROLE, r)
    return c.errors


def add_account(s: Session, login: str, display_name: str, roles: set[str],
                password: str) -> Account:
    s.require("admin")
    c = Checker()
    if not display_name.strip():
        c.add("display_name", _("Enter the name shown for this account."))
    c.length("display_name", _("Name"), display_name)
    errors = check_login(login) + check_password(password) + _check_roles(roles) + c.errors
    if errors:
        raise ValidationError(errors)
    if s.db.query_one("SELECT 1 FROM account WHERE login=?", (login,)):
        raise ValidationError([FieldError("login", _("This login is already in use."))])
    with _slot_change(s), s.db.transaction() as con:
        cur = con.execute("INSERT INTO account(login, display_name, created_at, "
                          "password_changed_at) VALUES (?,?,?,?)",
                          (login, display_name.strip(), _now(), _now()))
        aid = cur.lastrowid
        con.executemany("INSERT INTO account_role(account_id, role) VALUES (?,?)",
                        [(aid, r) for r in sorted(roles)])
        s.db.audit("create", "account", aid, "roles=" + ",".join(sorted(roles)))
        # The slot file is written inside the transaction: if it fails, the
        # account row is rolled back and nobody is left without a key.
        s.slots.set_account_slot(aid, login, password, s._data_key, s.kdf)
        s.slots.save()
    return get_account(s.db, aid)


def set_roles(s: Session, account_id: int, roles: set[str]) -> None:
    s.require("admin")
    errors = _check_roles(roles)
    if errors:
        raise ValidationError(errors)
    with s.db.transaction() as con:
        if "admin" not in roles and _is_last_admin(s.db, account_id):
            raise Conflict(_("This is the last administrator; give another account the "
                             "administrator role first."))
        con.execute("DELETE FROM account_role WHERE account_id=?", (account_id,))
        con.executemany("INSERT INTO account_role(account_id, role) VALUES (?,?)",
                        [(account_id, r) for r in sorted(roles)])
        s.db.audit("update", "account", account_id, "roles=" + ",".join(sorted(roles)))


def _is_last_admin(db: Database, account_id: int) -> bool:
    admins = [r[0] for r in db.query(
        "SELECT a.id FROM account a JOIN account_role r ON r.account_id=a.id "
        "WHERE r.role='admin' AND a.disabled=0")]
    return admins == [account_id]


def reset_password(s: Session, account_id: int, new_password: str) -> None:
    """An administrator gives an account a new password (a new key slot)."""
    s.require("admin")
    _set_password(s, account_id, new_password, "reset_password")


def change_own_password(s: Session, old_password: str, new_password: str) -> None:
    if s.account is None or s.account.id is None:
        raise Forbidden(_("Your account may not do this."))
    try:
        s.slots.unlock(s.account.login, old_password)
    except WrongPassword:
        raise ValidationError([FieldError("old_password",
                                          _("The current password is wrong."))]) from None
    _set_password(s, s.account.id, new_password, "change_password")


def _set_password(s: Session, account_id: int, new_password: str, action: str) -> None:
    errors = check_password(new_password, "new_password")
    if errors:
        raise ValidationError(errors)
    account = get_account(s.db, account_id)
    if account is None:
        raise NotFound(_("No such account."))
    with _slot_change(s), s.db.transaction() as con:
        con.execute("UPDATE account SET password_changed_at=? WHERE id=?", (_now(), account_id))
        s.db.audit(action, "account", account_id)
        s.slots.set_account_slot(account_id, account.login, new_password, s._data_key, s.kdf)
        s.slots.save(forget_previous=True)


def set_disabled(s: Session, account_id: int, disabled: bool) -> None:
    """A disabled account keeps its history but can no longer log in; its key
    slot is removed so that its password opens nothing."""
    s.require("admin")
    with _slot_change(s), s.db.transaction() as con:
        if disabled and _is_last_admin(s.db, account_id):
            raise Conflict(_("This is the last administrator; it cannot be disabled."))
        if s.account and account_id == s.account.id and disabled:
            raise Conflict(_("You cannot disable your own account."))
        con.execute("UPDATE account SET disabled=? WHERE id=?", (int(disabled), account_id))
        s.db.audit("disable" if disabled else "enable", "account", account_id)
        if disabled:
            # Remembered until a rotation: the question asked right after this
            # can go unanswered (the idle lock closes it), the advice must not.
            con.execute("INSERT INTO meta(key, value) VALUES ('rotation_advised', '1') "
                        "ON CONFLICT(key) DO UPDATE SET value='1'")
            s.slots.remove_account_slot(account_id)
            s.slots.save(forget_previous=True)


def enable_with_password(s: Session, account_id: int, new_password: str) -> None:
    """Re-enable a disabled account; it needs a new password (its slot is gone)."""
    s.require("admin")
    with s.db.transaction():
        set_disabled(s, account_id, False)
        _set_password(s, account_id, new_password, "reset_password")


def remove_account(s: Session, account_id: int) -> None:
    """Remove the key slot and disable the account (rows stay, for the audit
    log and the records it authored). Offer :func:`rotate_data_key` after this:
    the person may have kept the data key."""
    set_disabled(s, account_id, True)


def rotate_data_key(s: Session) -> None:
    """Re-encrypt the database under a new data key and seal it to every
    remaining slot and the recovery slot, so an old key is useless."""
    s.require("admin")
    new_key = new_data_key()
    s.db.audit("rotate_key")
    with _slot_change(s):
        s.slots.reseal_all(new_key)
        s.slots.save()  # both generations sealed: a crash now loses nothing
    s.db.rekey(new_key)
    s._data_key = new_key
    with s.db.transaction() as con:
        con.execute("DELETE FROM meta WHERE key='rotation_advised'")
    s.slots.finish_rotation()
    s.slots.save()


def rotation_advised(s: Session) -> bool:
    """An account was disabled since the data key was last rotated."""
    return s.db.get_meta("rotation_advised") == "1"


def backup(s: Session, target: Path) -> None:
    """Encrypted copy of the database and the slot file beside it."""
    s.require("admin", "manager")
    target = Path(target)
    keys_target = SlotFile.path_for(target)
    if keys_target.exists():
        raise DatabaseExists(_("{name} already exists; choose another file name.").format(
            name=keys_target.name))
    s.db.backup_to(target, s._data_key)
    copy = SlotFile(keys_target, s.slots.database_id, s.slots.generation, dict(s.slots.slots))
    copy.save()
    s.db.audit("backup", "database")
