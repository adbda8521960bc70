"""Staff accounts: listing, adding, roles, passwords, disabling and enabling,
removing, and rotating the data key after someone leaves.

Roles live in the encrypted database; each account's key slot lives in the
slot file (vault). A change to both writes the slot file inside the database
transaction, so a failure on either side leaves neither changed. Audit rows
carry account ids and role codes, never names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shelterdesk.core import codes
from shelterdesk.core.models import Account
from shelterdesk.core.validation import Checker, FieldError, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store.database import Database, new_data_key
from shelterdesk.store.errors import Conflict, Forbidden, NotFound, WrongPassword
from shelterdesk.store.grants import sign_grants
from shelterdesk.store.rows import now_text

if TYPE_CHECKING:
    from shelterdesk.store.session import Session

MIN_PASSWORD = 8


def check_password(password: str, field_name: str = "password") -> list[FieldError]:
    c = Checker()
    if len(password) < MIN_PASSWORD:
        c.add(field_name, _("The password must have at least {n} characters.").format(
            n=MIN_PASSWORD))
    return c.errors


def check_login(login: str) -> list[FieldError]:
    c = Checker()
    if not login:
        c.add("login", _("Enter a login."))
    elif not login.isascii() or not all(ch.isalnum() or ch in "._-" for ch in login):
        c.add("login", _("The login may use letters, digits, '.', '_' and '-' only."))
    c.length("login", _("Login"), login, 32)
    return c.errors


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
    with s.slot_change(), s.db.transaction() as con:
        cur = con.execute("INSERT INTO account(login, display_name, created_at, "
                          "password_changed_at) VALUES (?,?,?,?)",
                          (login, display_name.strip(), now_text(), now_text()))
        aid = cur.lastrowid
        con.executemany("INSERT INTO account_role(account_id, role) VALUES (?,?)",
                        [(aid, r) for r in sorted(roles)])
        sign_grants(s.db, s.slots, aid, roles)
        s.db.audit("create", "account", aid, "roles=" + ",".join(sorted(roles)))
        # The slot file is written inside the transaction: if it fails, the
        # account row is rolled back and nobody is left without a key.
        s.slots.set_account_slot(aid, login, password, s.data_key, s.kdf)
        s.save_slots()
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
        sign_grants(s.db, s.slots, account_id, roles)
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
    with s.slot_change(), s.db.transaction() as con:
        con.execute("UPDATE account SET password_changed_at=? WHERE id=?", (now_text(), account_id))
        s.db.audit(action, "account", account_id)
        s.slots.set_account_slot(account_id, account.login, new_password, s.data_key, s.kdf)
        s.save_slots(forget_previous=True)


def disable_refusal(s: Session, account_id: int) -> str | None:
    """Why this account may not be disabled (the last administrator, one's own
    account), or None: the GUI refuses before asking "Disable …?"."""
    if _is_last_admin(s.db, account_id):
        return _("This is the last administrator; it cannot be disabled.")
    if s.account and account_id == s.account.id:
        return _("You cannot disable your own account.")
    return None


def set_disabled(s: Session, account_id: int, disabled: bool) -> None:
    """A disabled account keeps its history but can no longer log in; its key
    slot is removed so that its password opens nothing."""
    s.require("admin")
    with s.slot_change(), s.db.transaction() as con:
        refusal = disable_refusal(s, account_id) if disabled else None
        if refusal:
            raise Conflict(refusal)
        con.execute("UPDATE account SET disabled=? WHERE id=?", (int(disabled), account_id))
        s.db.audit("disable" if disabled else "enable", "account", account_id)
        if disabled:
            # Remembered until a rotation: the question asked right after this
            # can go unanswered (the idle lock closes it), the advice must not.
            con.execute("INSERT INTO meta(key, value) VALUES ('rotation_advised', '1') "
                        "ON CONFLICT(key) DO UPDATE SET value='1'")
            s.slots.remove_account_slot(account_id)
            s.save_slots(forget_previous=True)


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
    from shelterdesk.store.session import known_slot_ids
    new_key = new_data_key()
    s.db.audit("rotate_key")
    with s.slot_change():
        # Only to the slots the database vouches for: a slot planted in the
        # file since this session's unlock never receives the new key.
        dropped = s.slots.retain(known_slot_ids(s.db, s.slots))
        if dropped:
            s.db.audit("key_file_unknown_slots", "database", None, f"count={len(dropped)}")
        s.slots.reseal_all(new_key)
        s.save_slots(forget_previous=bool(dropped))  # both generations sealed
    s.db.rekey(new_key)
    s.data_key = new_key
    with s.db.transaction() as con:
        con.execute("DELETE FROM meta WHERE key='rotation_advised'")
    s.slots.finish_rotation()
    s.slots.save(forget_previous=True)  # neither copy keeps the old key sealed


def rotation_advised(s: Session) -> bool:
    """An account was disabled since the data key was last rotated."""
    return s.db.get_meta("rotation_advised") == "1"
