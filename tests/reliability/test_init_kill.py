"""Killing ``init`` at any point (issue 8, item 7) leaves nothing at the path
or a complete database that opens with the password; the next creation clears
what a killed one left."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shelterdesk.store import facility as facility_repo
from shelterdesk.store import session as sessions

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                                   reason="needs SIGKILL")]
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from shelterdesk.core.models import Facility
from shelterdesk.store import facility
from shelterdesk.store.vault import TEST_KDF
s, code = facility.create_facility(sys.argv[1], Facility("x", 3), [], "boss", "Boss",
                                   "init password 1", kdf=TEST_KDF,
                                   show_recovery_code=lambda c: print(c, flush=True))
s.lock()
print("done", flush=True)
"""


def test_a_killed_init_leaves_nothing_or_a_complete_database(tmp_path):
    rng = random.Random(8)
    deadline = time.monotonic() + 20
    outcomes = {"nothing": 0, "complete": 0}
    i = 0
    while time.monotonic() < deadline and i < 40:
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        db = folder / "s.db"
        proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(db)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.15, 0.6))
        proc.send_signal(signal.SIGKILL)
        out = proc.communicate()[0].decode()
        facility_repo.clean_staging(db)  # what the next init does first
        names = sorted(p.name for p in folder.iterdir())
        if db.exists():
            assert Path(str(db) + ".keys").exists(), names
            assert out.strip(), "opened without the recovery code having been shown"
            s = sessions.unlock(db, "boss", "init password 1")
            s.lock()
            outcomes["complete"] += 1
        else:
            assert names == [], names
            outcomes["nothing"] += 1
        i += 1
    assert sum(outcomes.values()) >= 10
