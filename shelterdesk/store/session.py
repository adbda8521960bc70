"""Who is working: unlocking the database with a password or the recovery
code, the :class:`Session` that holds the data key while it is open, and
locking it again.

This is the one module that holds the data key in memory between the slot
file and the connection; it hands out a :class:`Session` and forgets the key
when the session is locked. Failed logins are slowed down here (throttle), so
every way in (GUI, command line) waits alike.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from shelterdesk.core.models import Account, Facility
from shelterdesk.i18n import _
from shelterdesk.store import grants, settings
from shelterdesk.store.accounts import get_account
from shelterdesk.store.database import Database, check_file_type
from shelterdesk.store.errors import DatabaseDamaged, Forbidden, WrongPassword
from shelterdesk.store.files import disk_problem, remove_stale_temporaries, writable_problem
from shelterdesk.store.rows import now_text
from shelterdesk.store.throttle import Throttle
from shelterdesk.store.vault import (
    MAC_ABSENT,
    MAC_OK,
    RECOVERY,
    KdfParams,
    SlotFile,
    calibrate_kdf,
)


@dataclass
class Session:
    """An unlocked database and the staff member using it."""
    db: Database
    slots: SlotFile
    account: Account | None
    kdf: KdfParams
    _data_key: bytes | None = field(default=None, repr=False)
    #: What the unlock found and reported (each also audited): a key file
    #: changed outside ShelterDesk, slots of no known account, the previous
    #: copy of the key file used. Sentences for the user, in their language.
    warnings: list[str] = field(default_factory=list)

    def require(self, *roles: str) -> None:
        if self.account is None or not (self.account.roles & set(roles)):
            raise Forbidden(_("Your account may not do this."))

    def lock(self) -> None:
        """Close the connection and drop the data key; the audit log's head
        is written into the key file first (see vault: the anchor)."""
        if self.db.is_open:
            try:
                if not self.db.damaged:  # nothing is written into a damaged file
                    self.db.audit("lock")
                    anchor = self.db.audit_head()
                    if anchor is not None:
                        with contextlib.suppress(OSError):
                            self.slots.write_anchor(
                                anchor, lambda old: anchor_holds(self.db, old))
            finally:
                self.db.close()
        self.slots.forget_signer()
        self._data_key = None

    def save_slots(self, *, forget_previous: bool = False) -> None:
        """Write the key file after a change to the slots: the database records
        every slot's public key first (it is the authority for which slots are
        genuine), and the audit head goes into the file as its anchor."""
        record_slots(self.db, self.slots)
        head, old = self.db.audit_head(), self.slots.audit_anchor
        # Moved only forward along the same chain: a log cut below its anchor
        # (even refilled to the same row numbers) must stay reported.
        if head is not None and (old is None or anchor_holds(self.db, old)):
            self.slots.audit_anchor = head
        self.slots.save(forget_previous=forget_previous)

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
    # Held across the key derivation: parallel attempts are checked one after
    # another, each meeting the delay the previous ones earned.
    with throttle.attempt():
        wait = throttle.wait_seconds()
        if wait > 0:
            # Enforced here, not only by the screens: every way in waits alike.
            raise TooManyAttempts(wait)
        # A writer killed mid-write left its temporary files (we hold the lock
        # every writer of the key file and the lockout file holds).
        for name in (".keys", ".lockout"):
            remove_stale_temporaries(db_path.with_name(db_path.name + name))
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
            for at, who in _plausible_failures(db, throttle.take_pending()):
                db.audit("login_failed", "account", None, f"login={who}", at=at, account_id=None)
            db.audit("login", "account", account_id)
        kdf = KdfParams.from_json(slots.slot_for_login(login)["kdf"])
        session = Session(db, slots, account, kdf, key)
        session.warnings = reconcile_slots(session, SlotFile.account_slot_id(account_id))
        session.warnings += _check_roles(session)
    except BaseException:
        db.close()
        raise
    return session


_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def _plausible_failures(db: Database, pending: list[tuple[str, str]]):
    """The failed logins from the throttle files as they may enter the audit
    log: anyone can write those files, so a login that is not a real account
    becomes "?", and a time is kept only between the log's last row and now
    (never backdated before it, never in the future)."""
    logins = {r[0] for r in db.query("SELECT login FROM account")}
    last = db.query_one("SELECT max(at) FROM audit")
    floor = last[0] if last and last[0] else ""
    now = now_text()
    for at, who in pending:
        if not _TIMESTAMP.fullmatch(at) or at > now:
            at = now
        yield max(at, floor), (who if who in logins else "?")


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
    session = Session(db, slots, recovery_admin, kdf or calibrate_kdf(), key)
    try:
        session.warnings = reconcile_slots(session, RECOVERY)
        session.warnings += _check_roles(session)
    except BaseException:
        db.close()
        raise
    return session


# -- the database is the authority for which slots are genuine -----------------------

def _slot_meta_key(slot_id: str) -> str:
    return "slot_public:" + slot_id


def record_slots(db: Database, slots: SlotFile) -> None:
    """Record in the database the public key of every slot the program has
    set (called before each save, inside the caller's transaction)."""
    with db.transaction() as con:
        for sid, slot in slots.slots.items():
            con.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                        "DO UPDATE SET value=excluded.value", (_slot_meta_key(sid), slot["public"]))
            if "sign_public" in slot:
                con.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) "
                            "DO UPDATE SET value=excluded.value",
                            (grants.SIGN_META + sid, slot["sign_public"]))


def known_slot_ids(db: Database, slots: SlotFile) -> set[str]:
    """The slots the database vouches for: the recovery slot and the slot of
    every enabled account, each with the public key the database recorded."""
    recorded = dict(db.query("SELECT key, value FROM meta WHERE key LIKE 'slot_public:%'"))
    enabled = {SlotFile.account_slot_id(r[0])
               for r in db.query("SELECT id FROM account WHERE disabled=0")} | {RECOVERY}
    return {sid for sid, slot in slots.slots.items()
            if sid in enabled and recorded.get(_slot_meta_key(sid)) == slot.get("public")}


def anchor_holds(db: Database, anchor: tuple[int, str]) -> bool:
    """The database still holds the anchored row as it was written."""
    row = db.query_one("SELECT hash FROM audit WHERE id=?", (anchor[0],))
    return row is not None and row[0] == anchor[1]


def reconcile_slots(s: Session, own_slot: str) -> list[str]:
    """After an unlock: check the key file against the database and report
    (and audit) what does not match; rewrite it from the database's truth.

    - no MAC yet (a file from before it existed): the database records the
      slots of its enabled accounts as they are now, once, and the file gets
      its MAC (trust on first use, audited);
    - a MAC that does not verify: the file was changed outside ShelterDesk;
    - a slot the database does not know (no such enabled account, or not the
      public key recorded for it): dropped from both copies, reported.

    The slot that has just unlocked is genuine by proof (it opened the data
    key), so its owner is never locked out by someone else's tampering."""
    db, slots = s.db, s.slots
    warnings: list[str] = []
    rewrite = False
    recorded = db.query_one("SELECT count(*) FROM meta WHERE key LIKE 'slot_public:%'")[0]
    if slots.mac_status == MAC_ABSENT and recorded == 0:
        enabled = {SlotFile.account_slot_id(r[0])
                   for r in db.query("SELECT id FROM account WHERE disabled=0")} | {RECOVERY}
        with db.transaction():
            slots.retain(set(slots.slots) & enabled)
            record_slots(db, slots)
            db.audit("key_file_upgraded", "database")
        rewrite = True
    elif slots.mac_status != MAC_OK:
        warnings.append(_("The key file was changed outside ShelterDesk (its seal does not "
                          "match). It has been rewritten from the database's list of accounts."))
        db.audit("key_file_tampered", "database")
        rewrite = True
    if own_slot in slots.slots and own_slot != RECOVERY and \
            db.get_meta(_slot_meta_key(own_slot)) is None:
        record_slots_one(db, slots, own_slot)
    own = slots.slots.get(own_slot)
    if own is not None and slots.signer_public is not None:
        # The signing key is derived from the slot's private key, which only
        # this unlock holds: the records of it must match (a replaced one
        # would let someone else's signature pass as this administrator's).
        recorded = db.get_meta(grants.SIGN_META + own_slot)
        if (own.get("sign_public") not in (None, slots.signer_public)
                or recorded not in (None, slots.signer_public)):
            warnings.append(_("The signing key recorded for your account had been replaced; "
                              "it has been restored."))
            db.audit("signing_key_replaced", "database")
        if own.get("sign_public") != slots.signer_public or recorded != slots.signer_public:
            own["sign_public"] = slots.signer_public
            db.set_meta(grants.SIGN_META + own_slot, slots.signer_public)
            rewrite = True
    unknown = slots.retain(known_slot_ids(db, slots) | {own_slot})
    if unknown:
        warnings.append(_("The key file held {n} key slot(s) that belong to no account of this "
                          "database; they were removed.").format(n=len(unknown)))
        db.audit("key_file_unknown_slots", "database", None, f"count={len(unknown)}")
        rewrite = True
    if slots.from_backup:
        enabled = {r[0]: r[1] for r in db.query(
            "SELECT id, login FROM account WHERE disabled=0 ORDER BY login")}
        lacking = [login for aid, login in enabled.items()
                   if SlotFile.account_slot_id(aid) not in slots.slots]
        if lacking:
            warnings.append(_("The key file was damaged and its previous copy was used. These "
                              "accounts cannot log in until an administrator sets a new password "
                              "for them: {logins}.").format(logins=", ".join(lacking)))
        else:
            warnings.append(_("The key file was damaged and its previous copy was used; every "
                              "account is in it."))
        db.audit("key_file_backup_used", "database", None, f"lacking={len(lacking)}")
        # Nothing is written: the damaged file is kept for whoever repairs it.
        return warnings
    if rewrite:
        s.save_slots(forget_previous=True)
    return warnings


def _check_roles(s: Session) -> list[str]:
    """Sign the roles of a database that has none signed yet (its first
    administrator's unlock), then keep only the roles whose grant verifies;
    the others are ignored and reported."""
    grants.establish_root(s.db, s.slots)
    valid, invalid = grants.valid_roles(s.db, s.slots)
    if s.account is not None and s.account.id is not None:
        s.account = dataclasses.replace(s.account,
                                        roles=frozenset(valid.get(s.account.id, set())))
    if not invalid:
        return []
    s.db.audit("role_unsigned", "database", None, f"count={invalid}")
    return [_("{n} role grant(s) are not signed by an administrator; they are ignored until an "
              "administrator sets the roles again.").format(n=invalid)]


def record_slots_one(db: Database, slots: SlotFile, slot_id: str) -> None:
    db.set_meta(_slot_meta_key(slot_id), slots.slots[slot_id]["public"])


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
