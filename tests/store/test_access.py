"""Staff accounts: adding, roles, password changes, disabling, locking."""

from __future__ import annotations

import pytest

from shelterdesk.core.validation import ValidationError
from shelterdesk.store import access
from shelterdesk.store.errors import Conflict, Forbidden, StoreError, WrongPassword

ADMIN = "admin"  # as in conftest.py
PASSWORD = "correct horse 1"


def test_add_account_validates_each_field(session):
    with pytest.raises(ValidationError) as e:
        access.add_account(session, "bad login!", "", set(), "short")
    fields = {err.field for err in e.value.errors}
    assert {"login", "display_name", "roles", "password"} <= fields
    with pytest.raises(ValidationError) as e:
        access.add_account(session, "x1", "名前", {"janitor"}, "long enough 1")
    assert e.value.for_field("roles")
    with pytest.raises(ValidationError) as e:
        access.add_account(session, ADMIN, "二人目", {"intake"}, "long enough 1")
    assert e.value.for_field("login") == ["This login is already in use."]
    assert [a.login for a in access.list_accounts(session.db)] == [ADMIN]


def test_only_an_administrator_manages_accounts(session, db_path):
    access.add_account(session, "intake1", "受付 架空", {"intake"}, "intake pass 1")
    s = access.unlock(db_path, "intake1", "intake pass 1")
    try:
        with pytest.raises(Forbidden):
            access.add_account(s, "x2", "名前", {"intake"}, "long enough 1")
        with pytest.raises(Forbidden):
            access.reset_password(s, session.account.id, "takeover pass 1")
        with pytest.raises(Forbidden):
            access.rotate_data_key(s)
    finally:
        s.db.close()


def test_reset_password_gives_a_new_slot(session, db_path):
    acct = access.add_account(session, "case1", "支援員", {"caseworker"}, "first pass 1")
    access.reset_password(session, acct.id, "second pass 2")
    with pytest.raises(WrongPassword):
        access.unlock(db_path, "case1", "first pass 1")
    access.unlock(db_path, "case1", "second pass 2").db.close()


def test_change_own_password_needs_the_current_one(session, db_path):
    with pytest.raises(ValidationError) as e:
        access.change_own_password(session, "not it at all", "new password 9")
    assert e.value.for_field("old_password")
    with pytest.raises(ValidationError) as e:
        access.change_own_password(session, PASSWORD, "short")
    assert e.value.for_field("new_password")
    access.change_own_password(session, PASSWORD, "new password 9")
    access.unlock(db_path, ADMIN, "new password 9").db.close()


def test_last_administrator_cannot_be_disabled_or_demoted(session):
    with pytest.raises(Conflict):
        access.set_disabled(session, session.account.id, True)
    with pytest.raises(Conflict):
        access.set_roles(session, session.account.id, {"manager"})
    assert access.get_account(session.db, session.account.id).roles == {"admin", "manager"}


def test_disabled_account_can_be_enabled_with_a_new_password(session, db_path):
    acct = access.add_account(session, "case1", "支援員", {"caseworker"}, "first pass 1")
    access.set_disabled(session, acct.id, True)
    assert access.get_account(session.db, acct.id).disabled
    with pytest.raises(WrongPassword):
        access.unlock(db_path, "case1", "first pass 1")
    access.enable_with_password(session, acct.id, "back again 1")
    s = access.unlock(db_path, "case1", "back again 1")
    assert not s.account.disabled
    s.db.close()


def test_lock_closes_and_forgets_the_key(session):
    db = session.db
    session.lock()
    assert session._data_key is None
    assert not db.is_open
    with pytest.raises(StoreError):
        db.query("SELECT 1")
    last = access.unlock(db.path, ADMIN, PASSWORD)
    try:
        actions = [r[0] for r in last.db.query("SELECT action FROM audit ORDER BY id DESC "
                                               "LIMIT 2")]
        assert actions == ["login", "lock"]
    finally:
        last.db.close()


def test_facility_settings_read_back(session):
    f = session.facility()
    assert f.name == "テスト施設（架空）" and f.capacity == 6
    assert f.idle_lock_minutes == 5
    assert f.database_id == session.slots.database_id


def test_a_failed_slot_write_leaves_no_trace(session, db_path, monkeypatch):
    """A password reset that fails to write the key file (a full disk) does not
    take effect later, when another change writes the file."""
    from shelterdesk.store import vault

    case = access.add_account(session, "case9", "支援員 見本", {"caseworker"},
                              "first password 9")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(vault, "write_atomic", full_disk)
        with pytest.raises(OSError):
            access.reset_password(session, case.id, "second password 9")
        with pytest.raises(OSError):
            access.set_disabled(session, case.id, True)
    access.add_account(session, "case10", "支援員 架空", {"caseworker"}, "third password 10")
    session.db.close()
    access.unlock(db_path, "case9", "first password 9").db.close()
    with pytest.raises(access.WrongPassword):
        access.unlock(db_path, "case9", "second password 9")


def test_init_never_touches_files_it_did_not_make(tmp_path):
    """A leftover -wal beside a missing database: creation refuses and the
    leftover stays (it may hold the last transactions of a real database)."""
    from shelterdesk.core.models import Facility
    from shelterdesk.store.vault import TEST_KDF

    db = tmp_path / "shelter.db"
    wal = tmp_path / "shelter.db-wal"
    wal.write_bytes(b"not ours")
    with pytest.raises(access.DatabaseExists):
        access.create_facility(db, Facility("見本施設", 5), [], "admin", "管理者",
                               "long enough 1", kdf=TEST_KDF)
    assert wal.read_bytes() == b"not ours"
    assert not db.exists()
