"""Staff accounts: adding, roles, password changes, disabling."""

from __future__ import annotations

import pytest

from shelterdesk.core.validation import ValidationError
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import Conflict, Forbidden, WrongPassword

ADMIN = "admin"  # as in conftest.py
PASSWORD = "correct horse 1"


def test_add_account_validates_each_field(session):
    with pytest.raises(ValidationError) as e:
        accounts_repo.add_account(session, "bad login!", "", set(), "short")
    fields = {err.field for err in e.value.errors}
    assert {"login", "display_name", "roles", "password"} <= fields
    with pytest.raises(ValidationError) as e:
        accounts_repo.add_account(session, "x1", "名前", {"janitor"}, "long enough 1")
    assert e.value.for_field("roles")
    with pytest.raises(ValidationError) as e:
        accounts_repo.add_account(session, ADMIN, "二人目", {"intake"}, "long enough 1")
    assert e.value.for_field("login") == ["This login is already in use."]
    assert [a.login for a in accounts_repo.list_accounts(session.db)] == [ADMIN]


def test_only_an_administrator_manages_accounts(session, db_path):
    accounts_repo.add_account(session, "intake1", "受付 架空", {"intake"}, "intake pass 1")
    s = sessions.unlock(db_path, "intake1", "intake pass 1")
    try:
        with pytest.raises(Forbidden):
            accounts_repo.add_account(s, "x2", "名前", {"intake"}, "long enough 1")
        with pytest.raises(Forbidden):
            accounts_repo.reset_password(s, session.account.id, "takeover pass 1")
        with pytest.raises(Forbidden):
            accounts_repo.rotate_data_key(s)
    finally:
        s.db.close()


def test_reset_password_gives_a_new_slot(session, db_path):
    acct = accounts_repo.add_account(session, "case1", "支援員", {"caseworker"}, "first pass 1")
    accounts_repo.reset_password(session, acct.id, "second pass 2")
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "case1", "first pass 1")
    sessions.unlock(db_path, "case1", "second pass 2").db.close()


def test_change_own_password_needs_the_current_one(session, db_path):
    with pytest.raises(ValidationError) as e:
        accounts_repo.change_own_password(session, "not it at all", "new password 9")
    assert e.value.for_field("old_password")
    with pytest.raises(ValidationError) as e:
        accounts_repo.change_own_password(session, PASSWORD, "short")
    assert e.value.for_field("new_password")
    accounts_repo.change_own_password(session, PASSWORD, "new password 9")
    sessions.unlock(db_path, ADMIN, "new password 9").db.close()


def test_last_administrator_cannot_be_disabled_or_demoted(session):
    with pytest.raises(Conflict):
        accounts_repo.set_disabled(session, session.account.id, True)
    with pytest.raises(Conflict):
        accounts_repo.set_roles(session, session.account.id, {"manager"})
    assert accounts_repo.get_account(session.db, session.account.id).roles == {"admin", "manager"}


def test_disabled_account_can_be_enabled_with_a_new_password(session, db_path):
    acct = accounts_repo.add_account(session, "case1", "支援員", {"caseworker"}, "first pass 1")
    accounts_repo.set_disabled(session, acct.id, True)
    assert accounts_repo.get_account(session.db, acct.id).disabled
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "case1", "first pass 1")
    accounts_repo.enable_with_password(session, acct.id, "back again 1")
    s = sessions.unlock(db_path, "case1", "back again 1")
    assert not s.account.disabled
    s.db.close()


def test_a_failed_slot_write_leaves_no_trace(session, db_path, monkeypatch):
    """A password reset that fails to write the key file (a full disk) does not
    take effect later, when another change writes the file."""
    from shelterdesk.store import vault

    case = accounts_repo.add_account(session, "case9", "支援員 見本", {"caseworker"},
                              "first password 9")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(vault, "write_atomic", full_disk)
        with pytest.raises(OSError):
            accounts_repo.reset_password(session, case.id, "second password 9")
        with pytest.raises(OSError):
            accounts_repo.set_disabled(session, case.id, True)
    accounts_repo.add_account(session, "case10", "支援員 架空", {"caseworker"}, "third password 10")
    session.db.close()
    sessions.unlock(db_path, "case9", "first password 9").db.close()
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "case9", "second password 9")
