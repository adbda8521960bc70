"""Issue 8, item 7: an administrator replaces the recovery code. The vault's
invariants hold: the database records the new slot (the next unlock does not
drop it as unknown), both copies of the key file forget the old code, grants
signed by the recovery slot stay valid (and forged ones stay invalid), and a
key file that cannot be written leaves the old code working."""

from __future__ import annotations

import errno
import json

import pytest

from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import files, grants
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import Forbidden, WrongPassword
from shelterdesk.store.recovery import replace_recovery_code
from shelterdesk.store.vault import RECOVERY, TEST_KDF, SlotFile

ADMIN = "admin"
PASSWORD = "correct horse 1"
STAFF_PASSWORD = "staff password 2"


def _add(session, login="case1", roles=("caseworker",)):
    return accounts_repo.add_account(session, login, "職員 テスト", set(roles), STAFF_PASSWORD)


def _slots_doc(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_new_code_opens_and_the_old_one_does_not(session, db_path, recovery_code):
    code = replace_recovery_code(session)
    assert code != recovery_code
    session.lock()

    s = sessions.unlock_with_recovery(db_path, code, kdf=TEST_KDF)
    assert s.warnings == []
    s.lock()
    with pytest.raises(WrongPassword):
        sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    # Not from the previous copy of the key file either.
    keys = SlotFile.path_for(db_path)
    bak = keys.with_name(keys.name + ".bak")
    keys.write_bytes(b"damaged")
    with pytest.raises(WrongPassword):
        sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    s = sessions.unlock_with_recovery(db_path, code, kdf=TEST_KDF)
    s.db.close()
    assert bak.exists()


def test_the_next_unlock_reports_nothing_and_keeps_the_slot(session, db_path):
    code = replace_recovery_code(session)
    public = session.slots.slots[RECOVERY]["public"]
    session.lock()
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        assert s.warnings == []
        assert s.slots.slots[RECOVERY]["public"] == public
        assert s.db.get_meta("slot_public:recovery") == public
        assert s.db.verify_audit(s.slots.audit_anchor) == []
        assert not any(s.db.integrity_problems().values())
        row = s.db.query_one("SELECT action, entity, detail FROM audit "
                             "WHERE action='recovery_code_replaced'")
        assert row is not None and code not in (row[2] or "")
    finally:
        s.lock()
    # The file on disk holds the new slot in both copies.
    for path in (SlotFile.path_for(db_path),
                 SlotFile.path_for(db_path).with_name("shelter.db.keys.bak")):
        slots = {sl["id"]: sl for sl in _slots_doc(path)["body"]["slots"]}
        assert slots[RECOVERY]["public"] == public


def test_a_non_administrator_is_refused(session, db_path, recovery_code):
    _add(session)
    session.lock()
    s = sessions.unlock(db_path, "case1", STAFF_PASSWORD)
    try:
        before = SlotFile.path_for(db_path).read_bytes()
        with pytest.raises(Forbidden):
            replace_recovery_code(s)
        assert SlotFile.path_for(db_path).read_bytes() == before
    finally:
        s.lock()
    s = sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    s.db.close()


def test_grants_signed_by_the_recovery_slot_stay_valid(session, db_path, recovery_code):
    case = _add(session)
    session.lock()
    # The recovery session makes case1 an administrator (signed by "recovery").
    r = sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    accounts_repo.set_roles(r, case.id, {"admin", "caseworker"})
    r.lock()
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.kdf = TEST_KDF
    replace_recovery_code(s)
    s.lock()
    c = sessions.unlock(db_path, "case1", STAFF_PASSWORD)
    try:
        assert c.warnings == []
        assert c.account.roles == {"admin", "caseworker"}
    finally:
        c.lock()


def test_a_forged_recovery_grant_stays_invalid(session, db_path):
    case = _add(session)
    # Someone with a Python shell claims the recovery slot granted admin.
    session.db.con.execute(
        "INSERT INTO account_role(account_id, role, grant_sig) VALUES (?, 'admin', ?)",
        (case.id, json.dumps({"by": RECOVERY, "at": "2026-11-21T10:00:00",
                              "sig": "AAAA"})))
    assert grants.resign(session.db, session.slots, RECOVERY,
                         _any_signing_key()) == 0
    replace_recovery_code(session)
    session.lock()
    c = sessions.unlock(db_path, "case1", STAFF_PASSWORD)
    try:
        assert "admin" not in c.account.roles
    finally:
        c.lock()


def _any_signing_key():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    return Ed25519PrivateKey.generate()


def test_a_recovery_session_signs_with_the_new_code(db_path, recovery_code):
    r = sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    code = replace_recovery_code(r)
    case = _add(r, roles=("admin",))
    r.lock()
    s = sessions.unlock(db_path, "case1", STAFF_PASSWORD)
    try:
        assert s.warnings == []
        assert s.account.roles == {"admin"}
        assert case.id == s.account.id
    finally:
        s.lock()
    sessions.unlock_with_recovery(db_path, code, kdf=TEST_KDF).lock()


def test_a_key_file_that_cannot_be_written_keeps_the_old_code(session, db_path, recovery_code,
                                                               monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_atomic", full)
    import shelterdesk.store.vault as vault
    monkeypatch.setattr(vault, "write_atomic", full)
    with pytest.raises(OSError):
        replace_recovery_code(session)
    monkeypatch.undo()
    assert session.db.query_one(
        "SELECT 1 FROM audit WHERE action='recovery_code_replaced'") is None
    session.lock()
    s = sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    assert s.warnings == []
    s.lock()
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    assert s.warnings == []
    s.lock()
