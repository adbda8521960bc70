"""Role grants that can be checked: each ``account_role`` row carries the
Ed25519 signature of the slot that granted it (an administrator's, or the
recovery slot's), over the database id, the account, the role, the granting
slot and the time. The signing key is derived from the slot's private key
(vault.signing_key), so only whoever can open that slot can sign; its public
half is recorded both in the key file and in the database (``meta``
``slot_sign:<slot id>``) and must agree where both exist.

A role is *valid* when its signature verifies and its granter may grant:
the recovery slot, the *role root* (the first
administrator who unlocked a database whose roles were unsigned, i.e. one
created or upgraded before grants were signed, who then signed every role
present; read from the chained audit log, ``meta.role_root`` only mirrors it),
or an account that itself holds a valid administrator role. A role that is
not valid is ignored (the account does not get it) and reported.

Until a role root exists (an upgraded database no administrator has opened
yet) the roles are taken as they are, so nobody is locked out by the upgrade.
"""

from __future__ import annotations

import base64
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from shelterdesk.store.database import Database
from shelterdesk.store.rows import now_text
from shelterdesk.store.vault import RECOVERY, SlotFile

SIGN_META = "slot_sign:"


def _payload(database_id: str, account_id: int, role: str, by: str, at: str) -> bytes:
    return json.dumps(["shelterdesk-role-grant-v1", database_id, account_id, role, by, at],
                      separators=(",", ":")).encode("ascii")


def sign_grants(db: Database, slots: SlotFile, account_id: int, roles) -> None:
    """Sign the rows ``(account_id, role)`` just written, as the slot that
    unlocked this session (inside the caller's transaction)."""
    if slots.signer is None:
        return
    by, key = slots.signer
    at = now_text()
    with db.transaction() as con:
        for role in roles:
            sig = key.sign(_payload(db.database_id, account_id, role, by, at))
            con.execute("UPDATE account_role SET grant_sig=? WHERE account_id=? AND role=?",
                        (json.dumps({"by": by, "at": at,
                                     "sig": base64.b64encode(sig).decode("ascii")}),
                         account_id, role))


def resign(db: Database, slots: SlotFile, by: str, new_key) -> int:
    """Sign again with ``new_key`` (keeping their time) the grants made by
    slot ``by`` that verify now, before that slot's signing key is replaced
    (a new recovery code); inside the caller's transaction. A grant that does
    not verify is left as it is: replacing a key never launders a forgery.
    The number of grants signed again."""
    current = _signing_keys(db, slots).get(by)
    if current is None:
        return 0
    n = 0
    with db.transaction() as con:
        for aid, role, grant in con.execute(
                "SELECT account_id, role, grant_sig FROM account_role").fetchall():
            try:
                g = json.loads(grant)
                if g["by"] != by:
                    continue
                at, sig = g["at"], base64.b64decode(g["sig"], validate=True)
                current.verify(sig, _payload(db.database_id, aid, role, by, at))
            except (TypeError, ValueError, KeyError, InvalidSignature):
                continue
            new_sig = new_key.sign(_payload(db.database_id, aid, role, by, at))
            con.execute("UPDATE account_role SET grant_sig=? WHERE account_id=? AND role=?",
                        (json.dumps({"by": by, "at": at,
                                     "sig": base64.b64encode(new_sig).decode("ascii")}),
                         aid, role))
            n += 1
    return n


def _signing_keys(db: Database, slots: SlotFile) -> dict[str, Ed25519PublicKey]:
    """The signing keys the database and the key file agree on (a slot no
    longer in the file, as a disabled administrator's, counts by the
    database's record alone: her past grants stay valid)."""
    keys = {}
    for k, v in db.query("SELECT key, value FROM meta WHERE key LIKE 'slot_sign:%'"):
        sid = k[len(SIGN_META):]
        slot = slots.slots.get(sid)
        if slot is not None and slot.get("sign_public") != v:
            continue
        try:
            keys[sid] = Ed25519PublicKey.from_public_bytes(base64.b64decode(v, validate=True))
        except ValueError:
            continue
    return keys


def role_root(db: Database) -> str | None:
    """The slot that signed the roles first. Read from the audit log's first
    ``roles_signed`` row (written with ``meta.role_root`` in one transaction,
    and chained: a SQL statement cannot change or remove it unseen), so that
    deleting the meta record does not make the database look like one from
    before grants were signed, whose unsigned roles count as they are."""
    row = db.query_one("SELECT account_id FROM audit WHERE action='roles_signed' "
                       "ORDER BY id LIMIT 1")
    if row is not None:
        return RECOVERY if row[0] is None else SlotFile.account_slot_id(row[0])
    return db.get_meta("role_root")


def valid_roles(db: Database, slots: SlotFile) -> tuple[dict[int, set[str]], int]:
    """The roles that count, per account, and how many rows do not."""
    rows = db.query("SELECT account_id, role, grant_sig FROM account_role")
    root = role_root(db)
    if root is None:
        out: dict[int, set[str]] = {}
        for aid, role, _sig in rows:
            out.setdefault(aid, set()).add(role)
        return out, 0
    keys = _signing_keys(db, slots)
    signed = []
    for aid, role, grant in rows:
        try:
            g = json.loads(grant)
            by, at, sig = g["by"], g["at"], base64.b64decode(g["sig"], validate=True)
            keys[by].verify(sig, _payload(db.database_id, aid, role, by, at))
        except (TypeError, ValueError, KeyError, InvalidSignature):
            continue
        signed.append((aid, role, by))
    valid: dict[int, set[str]] = {}
    changed = True
    while changed:  # grants by administrators whose own role is valid, to a fixpoint
        changed = False
        for aid, role, by in signed:
            if role in valid.get(aid, set()):
                continue
            if by in (RECOVERY, root) or (
                    by.startswith("account:") and "admin" in valid.get(int(by[8:]), set())):
                valid.setdefault(aid, set()).add(role)
                changed = True
    n_valid = sum(len(v) for v in valid.values())
    return valid, len(rows) - n_valid


def establish_root(db: Database, slots: SlotFile) -> bool:
    """On a database whose roles were never signed: the administrator who
    unlocks becomes the role root and signs every role present (audited).
    True when this happened."""
    if role_root(db) is not None or slots.signer is None:
        return False
    by = slots.signer[0]
    if by != RECOVERY:
        aid = int(by.split(":", 1)[1])
        if db.query_one("SELECT 1 FROM account_role WHERE account_id=? AND role='admin'",
                        (aid,)) is None:
            return False
    with db.transaction() as con:
        con.execute("INSERT INTO meta(key, value) VALUES ('role_root', ?)", (by,))
        by_account: dict[int, list[str]] = {}
        for aid, role in con.execute("SELECT account_id, role FROM account_role").fetchall():
            by_account.setdefault(aid, []).append(role)
        for aid, roles in by_account.items():
            sign_grants(db, slots, aid, roles)
        db.audit("roles_signed", "database", None, f"rows={sum(map(len, by_account.values()))}")
    return True
