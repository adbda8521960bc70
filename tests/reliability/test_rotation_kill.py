"""SIGKILL during data-key rotations (issue 8): whatever instant the kill
lands on (sealing, saving the key file, PRAGMA rekey, the final save), the
files left open with every password and the recovery code, pass the
integrity checks, and a finished open leaves no pending seal behind."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions
from shelterdesk.store.vault import TEST_KDF, SlotFile

PASSWORD = "correct horse 1"  # as in conftest.py
STAFF_PASSWORD = "staff password 2"
ROTATOR = Path(__file__).resolve().parent / "rotator.py"
BUDGET_SECONDS = 15
MIN_KILLS = 8

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                                   reason="needs SIGKILL")]


def _rotate_and_kill(db_path: Path, rng: random.Random) -> int:
    proc = subprocess.Popen([sys.executable, str(ROTATOR), str(db_path)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    proc.stdin.write(PASSWORD + "\n")
    proc.stdin.flush()
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line.strip())
            ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not ready.wait(20):
        proc.kill()
        raise AssertionError("rotator did not start: " + proc.stderr.read())
    time.sleep(rng.uniform(0.0, 0.4))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    reader.join(10)
    err = proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL, err
    return sum(1 for x in lines if x.isdigit())


def test_sigkill_during_rotations_never_locks_anyone_out(session, db_path, recovery_code):
    accounts_repo.add_account(session, "case1", "職員 テスト", {"caseworker"}, STAFF_PASSWORD)
    session.lock()
    rng = random.Random(20261130)
    started = time.monotonic()
    kills = rotations = 0
    while time.monotonic() - started < BUDGET_SECONDS:
        rotations += _rotate_and_kill(db_path, rng)
        kills += 1
        s = sessions.unlock(db_path, "admin", PASSWORD)
        try:
            problems = s.db.integrity_problems()
            assert not any(problems.values()), (kills, problems)
            assert s.db.verify_audit(s.slots.audit_anchor) == [], kills
            assert not s.slots.rotation_pending
        finally:
            s.lock()
        sessions.unlock(db_path, "case1", STAFF_PASSWORD).lock()
        sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF).lock()
        # The primary copy never keeps a pending seal after an open. (A kill
        # between writing it and its .bak at the final save leaves the .bak
        # with the previous seal, to the same slots, until the next save.)
        doc = json.loads(SlotFile.path_for(db_path).read_text(encoding="utf-8"))
        assert not any("sealed_prev" in sl for sl in doc["body"]["slots"]), kills
    assert kills >= MIN_KILLS, f"only {kills} kills within {BUDGET_SECONDS} s"
    assert rotations > 0  # it really rotated (and was killed inside rotations)
    leftovers = [p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert SlotFile.path_for(db_path).exists()
    assert leftovers == []
