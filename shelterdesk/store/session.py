"""Who is working: unlocking the database with a password or the recovery
code, the :class:`Session` that holds the data key while it is open, and
locking it again.

This is the one module that holds the data key in memory between the slot
file and the connection; it hands out a :class:`Session` and forgets the key
when the session is locked. Failed logins are slowed down here (throttle), so
every way in (GUI, command line) waits alike.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from shelterdesk.core.models import Account, Facility
from shelterdesk.i18n import _
from shelterdesk.store import settings
from shelterdesk.store.accounts import get_account
from shelterdesk.store.database import Database, check_file_type
from shelterdesk.store.errors import DatabaseDamaged, Forbidden, WrongPassword
from shelterdesk.store.files import disk_problem, writable_problem
from shelterdesk.store.rows import now_text
from shelterdesk.store.throttle import Throttle
from shelterdesk.store.vault import KdfParams, SlotFile, calibrate_kdf


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
            try:
                if not self.db.damaged:  # nothing is written into a damaged file
                    self.db.audit("lock")
            finally:
                self.db.close()
        self._data_key = None

    @property
    def data_key(self) -> bytes | None:
        """The key that opens the database, for the store modules that seal
        slots with it (accounts) or copy the database under it (backup).
        Never log it, show it or keep it beyond the session."""
        return self._data_key

    @data_key.setter
    def data_key(self, key: bytes) -> None:
        self._data_key = key

    @contextmanager
    def slot_change(self):
        """A change to the key slots that must follow the database transaction:
        if the slot file cannot be written (a full disk), the in-memory slots go
        back to what is on disk, so a later save cannot slip the failed change in."""
        before = (copy.deepcopy(self.slots.slots), self.slots.generation)
        try:
            yield
        except BaseException:
            self.slots.slots, self.slots.generation = before
            raise

    def facility(self) -> Facility:
        return settings.facility(self.db)


def unlock(db_path: Path, login: str, password: str, *, damaged_ok: bool = False) -> Session:
    """Open the database as ``login``. Wrong login or password raises
    WrongPassword (the same message for both); each failure is recorded and
    audited at the next successful login, and makes the next attempt wait
    longer (see throttle).

    A folder that cannot be written (a full or read-only disk) is refused
    *before* the password is tried: a login writes a row either way (the
    audit row, or the failed-attempt record), and the answer must not tell a
    guesser which password was right. ``damaged_ok`` (verify only) opens a
    database with a damaged page without writing anything into it."""
    db_path = Path(db_path)
    check_file_type(db_path)
    problem = writable_problem(db_path.parent)
    if problem is not None:
        raise problem
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
        _record_failure(throttle, db_path, who)
        raise
    db, key = _open_with_fallback(db_path, slots, key,
                                  lambda: slots.unlock(login, password, previous=True)[1],
                                  damaged_ok=damaged_ok)
    try:
        try:
            account = get_account(db, account_id)
        except DatabaseDamaged:
            if not db.damaged:
                raise
            # verify on a damaged file: the slot proved the password; no roles.
            account = Account(account_id, login, login, frozenset())
        # The login typed must be the login the database (not the editable
        # slot file) holds for that account.
        if account is None or account.disabled or account.login != login:
            _record_failure(throttle, db_path, who)
            raise WrongPassword(_("Wrong login or password."))
        db.account_id = account_id
        if db.damaged:
            kdf = KdfParams.from_json(slots.slot_for_login(login)["kdf"])
            return Session(db, slots, account, kdf, key)
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


def _record_failure(throttle: Throttle, db_path: Path, who: str) -> None:
    """Count a failed attempt; a disk that cannot take the record says so
    (the same sentence the correct password would get)."""
    try:
        throttle.record_failure(who, now_text())
    except OSError as e:
        raise disk_problem(e, db_path.parent) or e from None


def _open_with_fallback(db_path: Path, slots: SlotFile, key: bytes, previous_key,
                        damaged_ok: bool = False):
    """Open with ``key``; if a data-key rotation was interrupted before the
    database was re-encrypted, the previous generation's key opens it."""
    try:
        db = Database.open(db_path, key, damaged_ok=damaged_ok)
    except DatabaseDamaged as first:
        if not slots.rotation_pending:
            raise
        old = previous_key()
        try:
            db = Database.open(db_path, old, damaged_ok=damaged_ok)
        except DatabaseDamaged:
            raise first from None
        if db.damaged:
            return db, old
    else:
        if not slots.rotation_pending or db.damaged:
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
