"""Issue 8: attacks on the key file, the throttle and the login, each
reproduced first (ARCHITECTURE.md, "The vault")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions
from shelterdesk.store import throttle, vault
from shelterdesk.store.errors import SlotFileDamaged, WrongPassword
from shelterdesk.store.throttle import MAX_DELAY, Throttle, delay_for
from shelterdesk.store.vault import TEST_KDF, KdfParams, SlotFile, calibrate_kdf

ADMIN = "admin"
PASSWORD = "correct horse 1"
OTHER_PASSWORD = "staff password 2"


def _keys(db_path: Path) -> Path:
    return SlotFile.path_for(db_path)


def _bak(db_path: Path) -> Path:
    p = _keys(db_path)
    return p.with_name(p.name + ".bak")


def _rewrite_slots(path: Path, edit) -> None:
    """Edit the key file as someone with a text editor would, fixing up its
    unkeyed checksum so that it still parses."""
    import hashlib
    doc = json.loads(path.read_text(encoding="utf-8"))
    edit(doc["body"])
    doc["sha256"] = hashlib.sha256(
        json.dumps(doc["body"], sort_keys=True).encode()).hexdigest()
    path.write_text(json.dumps(doc), encoding="utf-8")


class FakeClock:
    def __init__(self):
        self.now = 1_790_000_000.0  # late 2026

    def __call__(self) -> float:
        return self.now

    def wait_out(self, db_path) -> None:
        self.now += sessions.wait_seconds(db_path)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    c = FakeClock()
    monkeypatch.setattr(throttle, "clock", c)
    return c


# -- the throttle's schedule ---------------------------------------------------------

def test_the_whole_delay_schedule_is_pinned():
    """None for two failures, then doubling from 2 s, capped at a minute: a
    delay that grew linearly (2, 4, 6, 8 …) fails here."""
    assert [delay_for(n) for n in range(12)] == [
        0, 0, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]
    assert delay_for(10**9) == MAX_DELAY == 60


def test_unknown_login_runs_exactly_one_key_derivation(db_path, clock, monkeypatch):
    """Logins cannot be probed: an unknown login costs the same one Argon2
    derivation as a known one with a wrong password."""
    calls = []
    real = vault.derive_kek
    monkeypatch.setattr(vault, "derive_kek", lambda *a: calls.append(a) or real(*a))
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "nobody", PASSWORD)
    assert len(calls) == 1
    clock.wait_out(db_path)
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, ADMIN, "wrong password 9")
    assert len(calls) == 2
    clock.wait_out(db_path)
    sessions.unlock(db_path, ADMIN, PASSWORD).db.close()
    assert len(calls) == 3


# -- KDF calibration and bounds ------------------------------------------------------

class FakeCost:
    """Argon2 on a fake clock: each pass over the memory costs ``per_pass`` s."""

    def __init__(self, per_pass: float):
        self.per_pass = per_pass
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def run(self, time_cost: int, memory_kib: int) -> None:
        self.now += self.per_pass * time_cost * memory_kib / (64 * 1024)


@pytest.mark.parametrize("per_pass, expected_t", [(0.05, 10), (0.1, 5), (0.25, 2)])
def test_calibration_reaches_the_target(per_pass, expected_t):
    fake = FakeCost(per_pass)
    kdf = calibrate_kdf(0.5, 64 * 1024, run=fake.run, clock=fake.clock)
    assert kdf == KdfParams(expected_t, 64 * 1024, 1)
    # The chosen cost really takes about the target on that (fake) machine.
    before = fake.now
    fake.run(kdf.time_cost, kdf.memory_kib)
    assert 0.4 <= fake.now - before <= 0.6


@pytest.mark.parametrize("per_pass", [1e-9, 0.0, 10.0])
def test_calibration_stays_within_the_accepted_bounds(per_pass):
    fake = FakeCost(per_pass)
    kdf = calibrate_kdf(0.5, 64 * 1024, run=fake.run, clock=fake.clock)
    assert vault.MIN_TIME_COST <= kdf.time_cost <= vault.MAX_TIME_COST
    assert kdf.time_cost >= 2  # never the test setting
    KdfParams.from_json(kdf.to_json())  # what it writes, it accepts


@pytest.mark.parametrize("field, value", [
    ("p", 0), ("m", 2**31), ("t", 10**9), ("t", 0), ("m", 1), ("p", 10**6),
    ("t", "3"), ("t", 2.5), ("t", None), ("t", True), ("alg", "argon2i"),
])
def test_tampered_kdf_values_are_refused_quickly(db_path, clock, field, value):
    """p=0, m=2^31, t=10^9 gave tracebacks or hung for minutes."""
    def edit(body):
        for slot in body["slots"]:
            if "kdf" in slot:
                slot["kdf"][field] = value

    _rewrite_slots(_keys(db_path), edit)
    # No previous copy: the one copy is refused with the one-line message.
    with pytest.raises(SlotFileDamaged):
        sessions.unlock(db_path, ADMIN, PASSWORD)


def test_tampered_kdf_in_the_key_file_falls_back_to_the_previous_copy(session, db_path, clock):
    accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"}, OTHER_PASSWORD)
    session.lock()

    def edit(body):
        for slot in body["slots"]:
            if "kdf" in slot:
                slot["kdf"]["t"] = 10**9

    _rewrite_slots(_keys(db_path), edit)
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.db.close()


# -- pathological key files ------------------------------------------------------------

def test_deeply_nested_key_file_is_damaged_not_a_crash(db_path):
    _keys(db_path).write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(SlotFileDamaged):
        sessions.unlock(db_path, ADMIN, PASSWORD)


def test_deeply_nested_key_file_falls_back_to_the_previous_copy(session, db_path):
    accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"}, OTHER_PASSWORD)
    session.lock()
    _keys(db_path).write_bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000)
    sessions.unlock(db_path, ADMIN, PASSWORD).db.close()


def test_key_file_that_is_a_directory_falls_back_to_the_previous_copy(session, db_path):
    accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"}, OTHER_PASSWORD)
    session.lock()
    _keys(db_path).unlink()
    _keys(db_path).mkdir()
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.db.close()


def test_key_file_that_is_a_directory_without_a_copy_is_one_line(db_path):
    _keys(db_path).unlink()
    _keys(db_path).mkdir()
    with pytest.raises(SlotFileDamaged):
        sessions.unlock(db_path, ADMIN, PASSWORD)


# -- non-UTF-8 passwords ------------------------------------------------------------------

BAD = "pass\udcffword"  # what a non-UTF-8 byte on standard input becomes


@pytest.mark.parametrize("login", [ADMIN, "nobody"])
def test_non_utf8_password_is_a_counted_wrong_password_for_any_login(db_path, clock, login):
    with pytest.raises(WrongPassword) as e:
        sessions.unlock(db_path, login, BAD)
    # The same sentence for a known and an unknown login, and counted.
    assert str(e.value) == "Wrong login or password."
    assert not isinstance(e.value, sessions.TooManyAttempts)
    doc = json.loads(Throttle(db_path).path.read_text(encoding="utf-8"))
    assert doc["failures"] == 1


# -- the throttle cannot be reset or crashed ---------------------------------------------

def _fail(db_path, clock, n: int, login: str = ADMIN) -> None:
    for i in range(n):
        clock.wait_out(db_path)
        with pytest.raises(WrongPassword):
            sessions.unlock(db_path, login, f"guess {i}")


def test_deleting_the_lockout_file_does_not_reset_the_count(db_path, clock):
    _fail(db_path, clock, 4)
    before = sessions.wait_seconds(db_path)
    assert before == 8
    Throttle(db_path).path.unlink()
    assert sessions.wait_seconds(db_path) == before
    with pytest.raises(sessions.TooManyAttempts):
        sessions.unlock(db_path, ADMIN, PASSWORD)
    # ... and the pending failures still reach the audit log.
    clock.wait_out(db_path)
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        n = s.db.query("SELECT count(*) FROM audit WHERE action='login_failed'")[0][0]
        assert n == 4
    finally:
        s.db.close()
    assert sessions.wait_seconds(db_path) == 0


@pytest.mark.parametrize("content", [
    b'{"failures": "many", "last": "yesterday", "pending": "x"}',
    b'{"failures": -5, "last": 1e400, "pending": [[1, 2, 3], null, ["a"]]}',
    b'{"failures": 1e308, "last": NaN, "pending": [["2026-01-01T00:00:00", 7]]}',
    b'[1, 2, 3]',
    b'\xff\xfe garbage',
    b'{"failures": 3, "last": 100000000000000000000000000000}',
])
def test_malformed_lockout_file_never_crashes_the_right_login(db_path, clock, content):
    Throttle(db_path).path.write_bytes(content)
    assert 0 <= sessions.wait_seconds(db_path) <= MAX_DELAY
    clock.wait_out(db_path)
    sessions.unlock(db_path, ADMIN, PASSWORD).db.close()


def test_a_time_in_the_future_is_capped_and_does_not_lock_everyone_out(db_path, clock):
    _fail(db_path, clock, 3)
    doc = json.loads(Throttle(db_path).path.read_text(encoding="utf-8"))
    doc["last"] = clock.now + 8_203_935_649
    Throttle(db_path).path.write_text(json.dumps(doc), encoding="utf-8")
    wait = sessions.wait_seconds(db_path)
    assert 0 < wait <= MAX_DELAY
    clock.now += MAX_DELAY
    sessions.unlock(db_path, ADMIN, PASSWORD).db.close()


def test_a_clock_jumping_back_does_not_lock_everyone_out(db_path, clock):
    _fail(db_path, clock, 3)
    clock.now -= 365 * 24 * 3600  # the PC's clock is set back a year
    assert sessions.wait_seconds(db_path) <= MAX_DELAY
    clock.now += MAX_DELAY
    sessions.unlock(db_path, ADMIN, PASSWORD).db.close()


def test_parallel_attempts_are_checked_one_after_another(db_path, clock, monkeypatch):
    """Twenty attempts at once: after the two free ones, each must wait its
    delay, so only two key derivations run (the check is held across the KDF)."""
    import threading
    import time as _time

    calls = []
    real = vault.derive_kek

    def slow(*a):
        calls.append(1)
        _time.sleep(0.05)
        return real(*a)

    monkeypatch.setattr(vault, "derive_kek", slow)
    outcomes = []

    def attempt(i):
        try:
            sessions.unlock(db_path, ADMIN, f"guess {i}")
        except sessions.TooManyAttempts:
            outcomes.append("wait")
        except WrongPassword:
            outcomes.append("wrong")

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["wait"] * 18 + ["wrong"] * 2
    assert len(calls) == 2


def test_a_planted_login_never_becomes_an_audit_row(session, db_path, clock):
    accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"}, OTHER_PASSWORD)
    session.lock()
    path = Throttle(db_path).path
    path.write_text(json.dumps({"failures": 1, "last": clock.now, "pending": [
        ["2001-01-01T00:00:00", "case1"],          # backdated
        ["2026-11-20T10:00:00", "intruder"],       # not an account
        ["not a time", "admin"],
        ["9999-12-31T23:59:59", "admin"],          # from the future
    ]}), encoding="utf-8")
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        rows = s.db.query("SELECT at, detail FROM audit WHERE action='login_failed' ORDER BY id")
        first = s.db.query("SELECT min(at) FROM audit WHERE action!='login_failed'")[0][0]
        login = s.db.query("SELECT at FROM audit WHERE action='login' ORDER BY id DESC")[0][0]
    finally:
        s.db.close()
    assert len(rows) == 4
    assert {d for _a, d in rows} <= {"login=case1", "login=admin", "login=?"}
    assert "login=intruder" not in [d for _a, d in rows]
    # Never before the log's own rows, never after the login that reports them.
    assert all(first <= at <= login for at, _d in rows)


# -- planted slots and the slot list's MAC ----------------------------------------------------

def _plant_slot(path: Path, attacker) -> None:
    """Append a slot with the attacker's own X25519 public key, as anyone who
    can write the folder could (the checksum is unkeyed)."""
    from shelterdesk.store.vault import _b64, _raw_public

    def edit(body):
        body["slots"].append({"id": "account:999", "account_id": 999, "login": "helper",
                              "kdf": body["slots"][0]["kdf"],
                              "private": body["slots"][0]["private"],
                              "public": _b64(_raw_public(attacker.public_key())),
                              "sealed": body["slots"][0]["sealed"]})
    _rewrite_slots(path, edit)


def test_planted_slot_is_reported_dropped_and_never_gets_the_new_key(session, db_path):
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    attacker = X25519PrivateKey.generate()
    session.lock()
    _plant_slot(_keys(db_path), attacker)
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.kdf = TEST_KDF
    try:
        assert any("changed outside ShelterDesk" in w for w in s.warnings)
        assert any("belong to no account" in w for w in s.warnings)
        assert "account:999" not in s.slots.slots
        for copy in (_keys(db_path), _bak(db_path)):
            assert "account:999" not in copy.read_text(encoding="utf-8")
        actions = [r[0] for r in s.db.query("SELECT action FROM audit")]
        assert "key_file_tampered" in actions and "key_file_unknown_slots" in actions
        # Planted again into the session's own list (as if read before the
        # check): a rotation still seals only to the slots the database knows.
        _plant_slot(_keys(db_path), attacker)
        s.slots.slots["account:999"] = json.loads(_keys(db_path).read_text())["body"]["slots"][-1]
        accounts_repo.rotate_data_key(s)
        assert "account:999" not in json.loads(_keys(db_path).read_text())["body"]["slots"]
        assert "account:999" not in s.slots.slots
    finally:
        s.lock()
    again = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        assert again.warnings == []
    finally:
        again.lock()


def test_any_edit_of_the_slot_list_is_reported(session, db_path, clock):
    accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"}, OTHER_PASSWORD)
    session.lock()

    def edit(body):
        for slot in body["slots"]:
            if slot.get("login") == "case1":
                slot["kdf"]["t"] = 2
    _rewrite_slots(_keys(db_path), edit)
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        assert any("changed outside ShelterDesk" in w for w in s.warnings)
    finally:
        s.lock()


def test_replaced_public_key_of_a_real_account_is_dropped(session, db_path):
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from shelterdesk.store.vault import _b64, _raw_public
    case = accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"},
                                     OTHER_PASSWORD)
    # Someone holding the key rewrites case1's public key and the MAC itself.
    session.slots.slots[f"account:{case.id}"]["public"] = _b64(
        _raw_public(X25519PrivateKey.generate().public_key()))
    session.slots.save()
    session.lock()
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        assert any("belong to no account" in w for w in s.warnings)
        assert f"account:{case.id}" not in s.slots.slots
    finally:
        s.lock()


def test_previous_copy_used_is_said_with_the_accounts_it_lacks(session, db_path):
    accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"}, OTHER_PASSWORD)
    accounts_repo.add_account(session, "case2", "支援員 架空", {"caseworker"}, OTHER_PASSWORD)
    session.lock()
    _keys(db_path).write_bytes(b"\x00" * 40)
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        assert len(s.warnings) == 1
        assert "previous copy" in s.warnings[0] and "case2" in s.warnings[0]
        assert "case1" not in s.warnings[0]
        assert s.db.query("SELECT count(*) FROM audit WHERE action='key_file_backup_used'")
    finally:
        s.lock()
    assert _keys(db_path).read_bytes() == b"\x00" * 40  # the damaged file is not replaced


def test_v1_key_file_gets_its_mac_at_the_first_unlock(tmp_path):
    import shutil
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    path = tmp_path / "schema_v1.db"
    for suffix in ("", ".keys"):
        shutil.copy2(str(fixtures / "schema_v1.db") + suffix, str(path) + suffix)
    assert "mac" not in json.loads(_keys(path).read_text())
    s = sessions.unlock(path, "admin", "schema-v1-fixture")
    try:
        assert s.warnings == []
        assert s.db.query("SELECT count(*) FROM audit WHERE action='key_file_upgraded'")[0][0] == 1
    finally:
        s.lock()
    assert "mac" in json.loads(_keys(path).read_text())
    for login, pw in (("admin", "schema-v1-fixture"), ("case1", "schema-v1-case")):
        s = sessions.unlock(path, login, pw)
        assert s.warnings == []
        s.lock()


# -- role grants are signed --------------------------------------------------------------------

def _login(db_path, login, pw):
    return sessions.unlock(db_path, login, pw)


def test_an_admin_role_row_inserted_directly_is_ignored_and_reported(session, db_path):
    """An intake account with the data key and a SQLCipher shell inserts an
    admin role for herself: nothing grants it, and it is reported."""
    acct = accounts_repo.add_account(session, "intake1", "受付 架空", {"intake"}, OTHER_PASSWORD)
    session.lock()
    s = _login(db_path, "intake1", OTHER_PASSWORD)
    assert s.account.roles == frozenset({"intake"}) and s.warnings == []
    s.db.con.execute("INSERT INTO account_role(account_id, role) VALUES (?, 'admin')", (acct.id,))
    s.lock()
    s = _login(db_path, "intake1", OTHER_PASSWORD)
    try:
        assert s.account.roles == frozenset({"intake"})
        assert any("not signed by an administrator" in w for w in s.warnings)
        assert s.db.query("SELECT count(*) FROM audit WHERE action='role_unsigned'")[0][0] == 1
    finally:
        s.lock()
    s = _login(db_path, ADMIN, PASSWORD)
    try:
        assert any("not signed by an administrator" in w for w in s.warnings)
        assert s.account.roles == frozenset({"admin", "manager"})
    finally:
        s.lock()


def test_a_self_signed_admin_grant_is_ignored(session, db_path):
    """She signs the row with her own slot's key: she is no administrator, so
    her signature grants nothing."""
    from shelterdesk.store import grants
    acct = accounts_repo.add_account(session, "intake1", "受付 架空", {"intake"}, OTHER_PASSWORD)
    session.lock()
    s = _login(db_path, "intake1", OTHER_PASSWORD)
    with s.db.transaction() as con:
        con.execute("INSERT INTO account_role(account_id, role) VALUES (?, 'admin')", (acct.id,))
        grants.sign_grants(s.db, s.slots, acct.id, ["admin"])
    s.lock()
    s = _login(db_path, "intake1", OTHER_PASSWORD)
    try:
        assert "admin" not in s.account.roles
        assert s.warnings
    finally:
        s.lock()


def test_grants_by_an_administrator_stay_valid_after_she_is_disabled(session, db_path):
    boss2 = accounts_repo.add_account(session, "boss2", "管理者 架空", {"admin"}, "boss password 2")
    session.lock()
    s = _login(db_path, "boss2", "boss password 2")
    s.kdf = TEST_KDF
    case = accounts_repo.add_account(s, "case1", "支援員 架空", {"caseworker"}, OTHER_PASSWORD)
    s.lock()
    s = _login(db_path, ADMIN, PASSWORD)
    accounts_repo.remove_account(s, boss2.id)
    s.lock()
    s = _login(db_path, "case1", OTHER_PASSWORD)
    try:
        assert s.account.id == case.id and s.account.roles == frozenset({"caseworker"})
        assert s.warnings == []
    finally:
        s.lock()


def test_a_replaced_signing_key_is_reported_to_its_owner(session, db_path):
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    other = vault.signing_public(X25519PrivateKey.generate())
    session.db.set_meta("slot_sign:" + SlotFile.account_slot_id(session.account.id), other)
    session.lock()
    s = _login(db_path, ADMIN, PASSWORD)
    try:
        assert any("signing key" in w for w in s.warnings)
    finally:
        s.lock()
    s = _login(db_path, ADMIN, PASSWORD)
    try:
        assert s.warnings == [] and s.account.has("admin")
    finally:
        s.lock()


def test_v1_roles_are_signed_by_the_first_administrator_who_unlocks(tmp_path):
    import shutil
    fixtures = Path(__file__).resolve().parent.parent / "fixtures"
    path = tmp_path / "schema_v1.db"
    for suffix in ("", ".keys"):
        shutil.copy2(str(fixtures / "schema_v1.db") + suffix, str(path) + suffix)
    # Before any administrator has signed, the caseworker keeps her roles.
    s = _login(path, "case1", "schema-v1-case")
    assert s.account.roles == frozenset({"caseworker"}) and s.warnings == []
    s.lock()
    s = _login(path, "admin", "schema-v1-fixture")
    try:
        assert s.account.roles == frozenset({"admin", "manager"})
        assert s.db.get_meta("role_root") == SlotFile.account_slot_id(s.account.id)
        assert s.db.query("SELECT count(*) FROM account_role WHERE grant_sig IS NULL")[0][0] == 0
        case_id = s.db.query("SELECT id FROM account WHERE login='case1'")[0][0]
        s.db.con.execute("INSERT INTO account_role(account_id, role) VALUES (?, 'admin')",
                         (case_id,))
    finally:
        s.lock()
    s = _login(path, "case1", "schema-v1-case")
    try:
        assert s.account.roles == frozenset({"caseworker"})
        assert any("not signed" in w for w in s.warnings)
    finally:
        s.lock()
