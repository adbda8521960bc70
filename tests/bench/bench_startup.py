"""Benchmark: process start → login window shown, against a bare PySide6
window (issue 7, "start-up"), called by tests/bench/run.py.

Both run as fresh subprocesses with the same Python and platform plugin, each
quitting as soon as its window is exposed (the program through its test-only
``SHELTERDESK_SCREENSHOT=none`` hook, see gui/app.py), alternately, 7 times;
the medians and their ratio are printed (target ≤ 1.5×). The login needs an
existing database: a tiny one is made in a temporary folder (test KDF; the
login screen does not unlock it).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 7

BARE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
w = QLabel("bare")
w.resize(420, 220)
w.show()
def poll():
    h = w.windowHandle()
    if h is not None and h.isExposed():
        app.processEvents()
        app.exit(0)
    else:
        QTimer.singleShot(10, poll)
QTimer.singleShot(0, poll)
sys.exit(app.exec())
"""


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[1:3]} exited {proc.returncode}: {proc.stderr[-300:]}")
    return elapsed


def run(workdir: Path) -> dict[str, str]:
    from shelterdesk.core.models import Facility
    from shelterdesk.store import facility as facility_repo
    from shelterdesk.store.vault import TEST_KDF

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["SHELTERDESK_SCREENSHOT"] = "none"
    with tempfile.TemporaryDirectory(prefix="shelterdesk-bench-") as tmp:
        db = Path(tmp) / "startup.db"
        s, _code = facility_repo.create_facility(db, Facility("起動計測（架空）", 4), [], "admin",
                                                 "管理者（架空）", "bench password 1", TEST_KDF)
        s.lock()
        program = [sys.executable, "-m", "shelterdesk", "--db", str(db)]
        bare = [sys.executable, "-c", BARE]
        _run(bare, env)  # warm the file cache for both
        _run(program, env)
        times: dict[str, list[float]] = {"bare": [], "program": []}
        for rnd in range(ROUNDS):
            pair = [("bare", bare), ("program", program)]
            for name, cmd in (pair if rnd % 2 == 0 else pair[::-1]):
                times[name].append(_run(cmd, env))
    b, p = statistics.median(times["bare"]), statistics.median(times["program"])
    return {
        "bare PySide6 window, median of 7": f"{b * 1000:.0f} ms",
        "ShelterDesk login window, median of 7": f"{p * 1000:.0f} ms",
        "program ÷ bare (target ≤ 1.5×)": f"{p / b:.2f}×",
        "platform": env["QT_QPA_PLATFORM"],
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.bench.run import WORKDIR, _table

    print(_table("ShelterDesk benchmark: start-up", run(WORKDIR)))
