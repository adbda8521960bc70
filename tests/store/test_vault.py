"""The vault: who can open the database, and what survives a damaged key file
or an interrupted key rotation (ARCHITECTURE.md, "The vault")."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest

from shelterdesk.core.models import Facility
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import backup as backups
from shelterdesk.store import facility as facility_repo
from shelterdesk.store import session as sessions
from shelterdesk.store import throttle
from shelterdesk.store.database import Database
from shelterdesk.store.errors import DatabaseDamaged, SlotFileDamaged, WrongPassword
from shelterdesk.store.throttle import Throttle, delay_for
from shelterdesk.store.vault import TEST_KDF, SlotFile, calibrate_kdf, new_recovery_code

ADMIN = "admin"  # as in conftest.py
PASSWORD = "correct horse 1"

OTHER_PASSWORD = "staff password 2"


def _keys(db_path: Path) -> Path:
    return SlotFile.path_for(db_path)


def _bak(db_path: Path) -> Path:
    p = _keys(db_path)
    return p.with_name(p.name + ".bak")


def _add_caseworker(session, login: str = "case1", password: str = OTHER_PASSWORD):
    return accounts_repo.add_account(session, login, "支援員 架空", {"caseworker"}, password)


def _reads(s: sessions.Session) -> bool:
    """The session's connection really decrypts: the facility name comes back."""
    return s.facility().name == "テスト施設（架空）"


# -- passwords ---------------------------------------------------------------

def test_right_password_opens(db_path):
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        assert _reads(s)
        assert s.account.login == ADMIN and s.account.has("admin")
    finally:
        s.db.close()


@pytest.mark.parametrize("login, password", [
    (ADMIN, "correct horse 2"),
    (ADMIN, ""),
    (ADMIN, PASSWORD.upper()),
    ("nobody", PASSWORD),
])
def test_wrong_login_or_password_is_refused_with_one_message(db_path, login, password):
    with pytest.raises(WrongPassword) as e:
        sessions.unlock(db_path, login, password)
    # The same sentence whether the login or the password was wrong.
    assert str(e.value) == "Wrong login or password."


def test_two_accounts_open_the_same_database(session, db_path):
    _add_caseworker(session)
    a = sessions.unlock(db_path, ADMIN, PASSWORD)
    b = sessions.unlock(db_path, "case1", OTHER_PASSWORD)
    try:
        # Both at once, each knowing who it is.
        assert _reads(a) and _reads(b)
        assert a.account.login == ADMIN and b.account.login == "case1"
        assert b.account.roles == frozenset({"caseworker"})
        assert a._data_key == b._data_key
        # The admin's password does not open the caseworker's slot and vice versa.
        with pytest.raises(WrongPassword):
            sessions.unlock(db_path, "case1", PASSWORD)
        with pytest.raises(WrongPassword):
            sessions.unlock(db_path, ADMIN, OTHER_PASSWORD)
    finally:
        a.db.close()
        b.db.close()


class FakeClock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def wait_out(self, db_path) -> None:
        self.now += sessions.wait_seconds(db_path)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """The login delay measured on a clock the test moves (no sleeping)."""
    c = FakeClock()
    monkeypatch.setattr(throttle, "clock", c)
    return c


def test_removed_account_no_longer_opens_it(session, db_path, clock):
    acct = _add_caseworker(session)
    sessions.unlock(db_path, "case1", OTHER_PASSWORD).db.close()
    accounts_repo.remove_account(session, acct.id)
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "case1", OTHER_PASSWORD)
    # Nor does the previous copy of the key file still hold her slot: anyone who
    # learnt her password must not get in by copying the folder.
    for copy in (_keys(db_path), _bak(db_path)):
        assert "case1" not in copy.read_text(encoding="utf-8")
    _keys(db_path).unlink()  # force the previous copy to be used
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "case1", OTHER_PASSWORD)
    clock.wait_out(db_path)
    sessions.unlock(db_path, ADMIN, PASSWORD).db.close()


def test_changed_password_old_one_opens_neither_copy(session, db_path):
    accounts_repo.change_own_password(session, PASSWORD, "a new password 3")
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, ADMIN, PASSWORD)
    sessions.unlock(db_path, ADMIN, "a new password 3").db.close()
    _keys(db_path).unlink()
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, ADMIN, PASSWORD)
    sessions.unlock(db_path, ADMIN, "a new password 3").db.close()


@pytest.mark.parametrize("typed_at_setup, typed_at_login", [
    ("がっこうの鍵-ぱすわーど", "か\u3099っこうの鍵-は\u309aすわーと\u3099"),  # NFC then NFD
    ("か\u3099っこうの鍵-は\u309aすわーと\u3099", "がっこうの鍵-ぱすわーど"),  # NFD then NFC
])
def test_same_password_typed_composed_or_decomposed(session, db_path, typed_at_setup,
                                                    typed_at_login):
    assert typed_at_setup != typed_at_login  # different code points, same text
    _add_caseworker(session, "kana1", typed_at_setup)
    s = sessions.unlock(db_path, "kana1", typed_at_login)
    try:
        assert _reads(s)
    finally:
        s.db.close()


def test_recovery_code_opens(db_path, recovery_code):
    s = sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    try:
        assert _reads(s)
        assert s.account.has("admin")
    finally:
        s.db.close()
    # Typed in lower case, without the dashes: still the code.
    s = sessions.unlock_with_recovery(db_path, recovery_code.lower().replace("-", ""), kdf=TEST_KDF)
    s.db.close()


def test_wrong_recovery_code_is_refused(db_path):
    with pytest.raises(WrongPassword):
        sessions.unlock_with_recovery(db_path, new_recovery_code(), kdf=TEST_KDF)
    with pytest.raises(WrongPassword):
        sessions.unlock_with_recovery(db_path, "not a code", kdf=TEST_KDF)


def test_calibrated_kdf_is_not_the_test_setting():
    kdf = calibrate_kdf(target_seconds=0.05, memory_kib=8 * 1024)
    assert kdf.time_cost >= 2 and kdf.memory_kib == 8 * 1024
    assert kdf != TEST_KDF


# -- damaged key file ----------------------------------------------------------

def _make_both_copies(session) -> None:
    """A second save, so that ``.keys.bak`` exists (a fresh facility has one copy)."""
    _add_caseworker(session)
    assert _bak_exists(session.db.path)


def _bak_exists(db_path: Path) -> bool:
    return _bak(db_path).exists()


def _damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "flipped":
        # Change one character of a key inside the body: valid JSON, bad checksum.
        doc = json.loads(raw)
        slot = doc["body"]["slots"][0]
        ct = slot["sealed"]["ct"]
        slot["sealed"]["ct"] = ("B" if ct[0] != "B" else "C") + ct[1:]
        path.write_text(json.dumps(doc), encoding="utf-8")
    elif how == "garbage":
        path.write_bytes(b"\x00\xff" * 300)
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["truncated", "empty", "flipped", "garbage"])
def test_damaged_key_file_falls_back_to_previous_copy(session, db_path, recovery_code, how):
    _make_both_copies(session)
    session.lock()
    _damage(_keys(db_path), how)
    # The previous copy predates the last change (case1's slot), so the
    # administrator and the recovery code are what must still open it.
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    assert _reads(s)
    s.db.close()
    s = sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    assert _reads(s)
    s.db.close()


@pytest.mark.parametrize("how", ["truncated", "empty", "flipped", "garbage"])
def test_damaged_previous_copy_does_not_matter(session, db_path, how):
    _make_both_copies(session)
    session.lock()
    _damage(_bak(db_path), how)
    sessions.unlock(db_path, ADMIN, PASSWORD).db.close()


@pytest.mark.parametrize("how", ["truncated", "flipped"])
def test_both_copies_damaged_is_a_clear_error_and_nothing_is_touched(session, db_path, how):
    _make_both_copies(session)
    session.lock()
    _damage(_keys(db_path), how)
    _damage(_bak(db_path), how)
    before = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    with pytest.raises(SlotFileDamaged) as e:
        sessions.unlock(db_path, ADMIN, PASSWORD)
    msg = str(e.value)
    assert "shelter.db.keys" in msg and "damaged" in msg and msg.endswith(".")
    assert "backup" in msg  # says what to do
    # A key file that cannot be read is never replaced and the database never re-created.
    after = {p.name: p.read_bytes() for p in db_path.parent.iterdir()}
    assert after == before


def test_missing_key_file_is_a_clear_error(db_path):
    _keys(db_path).unlink()
    with pytest.raises(SlotFileDamaged) as e:
        sessions.unlock(db_path, ADMIN, PASSWORD)
    assert "missing" in str(e.value)
    assert db_path.exists()


def test_key_file_of_another_database_is_refused(db_path, tmp_path, _template_db):
    # A different facility: the same password, but its slots wrap another key.
    other = tmp_path / "other" / "shelter.db"
    s, _ = facility_repo.create_facility(other, Facility("別施設（架空）", 3), [], ADMIN,
                                  "管理者", PASSWORD, kdf=TEST_KDF)
    s.lock()
    shutil.copy2(_keys(other), _keys(db_path))
    with pytest.raises(DatabaseDamaged) as e:
        sessions.unlock(db_path, ADMIN, PASSWORD)
    assert "key file" in str(e.value)


# -- rotation ----------------------------------------------------------------------

def test_rotation_makes_the_old_data_key_useless(session, db_path, recovery_code):
    case1 = _add_caseworker(session)
    _add_caseworker(session, "case2", "staff password 3")
    accounts_repo.remove_account(session, case1.id)
    old_key = session._data_key
    accounts_repo.rotate_data_key(session)
    assert session._data_key != old_key
    assert _reads(session)  # the working session carries on under the new key
    session.lock()

    with pytest.raises(DatabaseDamaged):
        Database.open(db_path, old_key)
    new = Database.open(db_path, sessions.unlock(db_path, ADMIN, PASSWORD)._data_key)
    new.close()
    for login, pw in ((ADMIN, PASSWORD), ("case2", "staff password 3")):
        s = sessions.unlock(db_path, login, pw)
        assert _reads(s)
        s.db.close()
    s = sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    assert _reads(s)
    s.db.close()
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "case1", OTHER_PASSWORD)
    # Neither copy of the key file still holds the old key for anybody.
    slots = json.loads(_keys(db_path).read_text(encoding="utf-8"))
    assert not any("sealed_prev" in sl for sl in slots["body"]["slots"])


def test_interrupted_rotation_still_opens(session, db_path, recovery_code):
    """The resealed key file was saved but the power went before PRAGMA rekey."""
    _add_caseworker(session)
    old_key = session._data_key
    new_key = bytes(32 * [7])
    session.slots.reseal_all(new_key)
    session.slots.save()
    session.db.close()  # the crash: database still under the old key

    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    assert _reads(s)
    s.db.close()
    s = sessions.unlock(db_path, "case1", OTHER_PASSWORD)
    s.db.close()
    s = sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF)
    assert _reads(s)
    s.db.close()
    # The rotation the administrator asked for is not silently dropped: the old
    # key no longer opens the database once someone has logged in again.
    with pytest.raises(DatabaseDamaged):
        Database.open(db_path, old_key)


def test_rotation_interrupted_twice_still_opens(session, db_path):
    """A second rotation after an interrupted one must not seal away the only
    key that opens the database."""
    session.slots.reseal_all(bytes(32 * [7]))
    session.slots.save()
    session.db.close()

    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.kdf = TEST_KDF
    s.slots.reseal_all(bytes(32 * [9]))
    s.slots.save()
    s.db.close()  # crashed again before rekey
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    assert _reads(s)
    s.db.close()


def test_backup_copy_opens_with_the_same_passwords(session, tmp_path):
    target = tmp_path / "backup" / "copy.sdbk"
    target.parent.mkdir()
    backups.backup(session, target)
    restored = tmp_path / "restored.db"
    backups.restore(target, restored, ADMIN, PASSWORD)
    s = sessions.unlock(restored, ADMIN, PASSWORD)
    try:
        assert _reads(s)
        assert not any(s.db.integrity_problems().values())
    finally:
        s.db.close()


# -- throttle -----------------------------------------------------------------------

def test_delay_grows_with_repeated_failures():
    delays = [delay_for(n) for n in range(10)]
    assert delays[0] == delays[1] == 0
    assert all(b > a for a, b in itertools.pairwise(delays[1:8]))
    assert delays[-1] <= 60
    assert delay_for(1000) == 60


def test_failed_logins_slow_down_the_next_attempt_and_are_audited(db_path, clock):
    waits = []
    for _ in range(5):
        clock.wait_out(db_path)
        with pytest.raises(WrongPassword):
            sessions.unlock(db_path, ADMIN, "guess " + str(len(waits)))
        waits.append(sessions.wait_seconds(db_path))
    assert waits[0] == 0
    assert all(b > a for a, b in itertools.pairwise(waits[1:]))
    assert waits[-1] >= 8
    lockout = Throttle(db_path).path
    assert lockout.exists()
    text = lockout.read_text(encoding="utf-8")
    assert "guess" not in text  # tried passwords are never written down

    # While the delay runs, even the right password is refused, uncounted.
    with pytest.raises(sessions.TooManyAttempts):
        sessions.unlock(db_path, ADMIN, PASSWORD)
    clock.wait_out(db_path)
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "stranger", "x" * 10)  # unknown login: also counted

    clock.wait_out(db_path)
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        rows = s.db.query("SELECT action, account_id, detail FROM audit "
                          "WHERE action='login_failed' ORDER BY id")
        assert len(rows) == 6
        assert all(r[1] is None for r in rows)
        # An unknown login is not written down (it could be anything typed).
        assert [r[2] for r in rows] == ["login=admin"] * 5 + ["login=?"]
        # The login itself comes after the failures it reports.
        last = s.db.query("SELECT action, account_id FROM audit ORDER BY id DESC LIMIT 1")
        assert last == [("login", s.account.id)]
        assert s.db.verify_audit() == []
    finally:
        s.db.close()
    assert not lockout.exists()
    assert sessions.wait_seconds(db_path) == 0
    # Audited once only.
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        n = s.db.query("SELECT count(*) FROM audit WHERE action='login_failed'")[0][0]
        assert n == 6
    finally:
        s.db.close()


def test_disabled_account_cannot_log_in_even_with_a_slot(session, db_path):
    """Roles and the disabled flag live inside the encrypted database: a slot
    file edited to keep a disabled account's slot still lets nobody in."""
    acct = _add_caseworker(session)
    saved = _keys(db_path).read_bytes()
    accounts_repo.set_disabled(session, acct.id, True)
    session.lock()
    _keys(db_path).write_bytes(saved)  # the old file, with her slot
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "case1", OTHER_PASSWORD)


def _rewrite_slots(db_path: Path, edit) -> None:
    """Edit the key file as an attacker with a text editor would, fixing up its
    (unkeyed) checksum so that the file still parses."""
    import hashlib

    path = _keys(db_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc["body"])
    doc["sha256"] = hashlib.sha256(
        json.dumps(doc["body"], sort_keys=True).encode()).hexdigest()
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_editing_the_key_file_never_grants_a_role(session, db_path, clock):
    """A caseworker who edits her slot to name the administrator's account id
    logs in as herself, or not at all, never as the administrator."""
    case = _add_caseworker(session)
    admin_id = session.account.id
    session.db.close()

    def claim_admin(body):
        for slot in body["slots"]:
            if slot.get("login") == "case1":
                slot["account_id"] = admin_id

    _rewrite_slots(db_path, claim_admin)
    s = sessions.unlock(db_path, "case1", OTHER_PASSWORD)
    try:
        assert s.account.id == case.id
        assert s.account.roles == frozenset({"caseworker"})
    finally:
        s.db.close()

    def rename_slot(body):
        for slot in body["slots"]:
            if slot.get("login") == "case1":
                slot["id"] = f"account:{admin_id}"
                slot["account_id"] = admin_id
            elif slot.get("login") == ADMIN:
                slot["login"] = "former-admin"

    _rewrite_slots(db_path, rename_slot)
    clock.wait_out(db_path)
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "case1", OTHER_PASSWORD)
