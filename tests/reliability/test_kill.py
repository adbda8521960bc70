"""Pulling the plug: a writer process is SIGKILLed at random moments, over and
over; every time, the database opens, passes both integrity checks and holds
every resident the writer reported as committed (WAL, synchronous=FULL)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from shelterdesk.store import session as sessions

PASSWORD = "correct horse 1"  # as in conftest.py
WRITER = Path(__file__).resolve().parent / "writer.py"
KILLS = 24
BUDGET_SECONDS = 60

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                                   reason="needs SIGKILL")]


def _run_and_kill(db_path: Path, seed: int, rng: random.Random) -> list[int]:
    """Start the writer, let it commit for a random while, SIGKILL it; the ids
    it reported."""
    proc = subprocess.Popen([sys.executable, str(WRITER), str(db_path), str(seed)],
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
        raise AssertionError("writer did not start: " + proc.stderr.read())
    time.sleep(rng.uniform(0.0, 0.35))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    reader.join(10)
    err = proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL, err
    return [int(x) for x in lines if x.isdigit()]


def test_sigkill_never_loses_a_committed_resident(db_path):
    rng = random.Random(20261121)
    started = time.monotonic()
    reported: set[int] = set()
    kills = 0
    for seed in range(KILLS):
        ids = _run_and_kill(db_path, seed, rng)
        kills += 1
        reported |= set(ids)
        s = sessions.unlock(db_path, "admin", PASSWORD)
        try:
            problems = s.db.integrity_problems()
            assert problems["cipher_integrity_check"] == [], (seed, problems)
            assert problems["integrity_check"] == [], (seed, problems)
            assert problems["foreign_key_check"] == [], (seed, problems)
            present = {r[0] for r in s.db.query("SELECT id FROM resident")}
            missing = reported - present
            assert not missing, f"kill {seed}: committed residents lost: {sorted(missing)[:10]}"
            assert s.db.verify_audit() == [], seed
        finally:
            s.db.close()
        if time.monotonic() - started > BUDGET_SECONDS:
            break
    assert kills >= 20, f"only {kills} kills within {BUDGET_SECONDS} s"
    assert len(reported) > kills  # it really wrote between the kills
