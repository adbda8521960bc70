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
from shelterdesk.store.vault import KdfParams, SlotFile, calibrate_kdf

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
        self.now = 1_000_000.0

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
