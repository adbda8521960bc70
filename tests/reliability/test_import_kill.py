"""A kill during the ledger import leaves the database as it was before.

A child process imports a generated ledger of a few thousand stays and is
killed with SIGKILL (no cleanup, no rollback by Python: what a power cut or the
task manager does) at random moments of the write. Each time the database must
open with the normal password, pass SQLite's and SQLCipher's integrity checks
and the audit chain, and hold none of the import or all of it. Then the import
is run again to the end, as staff would, and must add everything exactly once.
"""

from __future__ import annotations

import importlib.util
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shelterdesk.store import session as sessions

ADMIN = "admin"
PASSWORD = "correct horse 1"
N_STAYS = 3000
KILLS = 6
SYNTH = Path(__file__).resolve().parents[1] / "fixtures" / "ledger" / "synth.py"

CHILD = r"""
import sys
from pathlib import Path
from shelterdesk.core import ledger
from shelterdesk.store import ledger_import
from shelterdesk.store import session as sessions

db, stays, children = (Path(a) for a in sys.argv[1:4])
plan = ledger.read_ledger(stays.read_bytes(), children.read_bytes())
assert not plan.errors, len(plan.errors)
session = sessions.unlock(db, "admin", sys.stdin.readline().rstrip("\n"))
print("START", flush=True)
summary = ledger_import.apply(
    session, plan, progress=lambda d, t: print(f"PROGRESS {d} {t}", flush=True))
session.lock()
print("DONE " + summary.line(), flush=True)
"""


def _synth():
    spec = importlib.util.spec_from_file_location("ledger_synth", SYNTH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _start(db_path: Path, stays: Path, children: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(db_path), str(stays), str(children)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    p.stdin.write(PASSWORD + "\n")
    p.stdin.close()
    p.stdin = None  # so communicate() does not flush it
    line = p.stdout.readline()
    assert line == "START\n", (line, p.stderr.read())
    return p


def _state(db_path: Path) -> tuple[int, int, int, int]:
    """Open as staff would after a crash, check everything, count the import."""
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        problems = s.db.integrity_problems()
        assert problems == {"cipher_integrity_check": [], "integrity_check": [],
                            "foreign_key_check": []}
        assert s.db.verify_audit() == []
        stays = s.db.query_one("SELECT count(*) FROM stay WHERE ledger_id IS NOT NULL")[0]
        residents = s.db.query_one("SELECT count(*) FROM resident")[0]
        children = s.db.query_one("SELECT count(*) FROM child")[0]
        audits = s.db.query_one("SELECT count(*) FROM audit WHERE action='import_ledger'")[0]
    finally:
        s.lock()
    return stays, residents, children, audits


def _copy_db(src: Path, dst_dir: Path) -> Path:
    dst_dir.mkdir(exist_ok=True)
    for suffix in ("", ".keys", ".keys.bak"):
        f = Path(str(src) + suffix)
        if f.exists():
            (dst_dir / (src.name + suffix)).write_bytes(f.read_bytes())
    return dst_dir / src.name


def _kill_after(p: subprocess.Popen, target: int, extra: float) -> str:
    """Let the import write until it reports ``target`` stays done, then a
    moment more, then SIGKILL. Returns what it printed."""
    seen = []
    for line in p.stdout:
        seen.append(line)
        if line.startswith("PROGRESS") and int(line.split()[1]) >= target:
            break
    time.sleep(extra)
    p.send_signal(signal.SIGKILL)
    out, _err = p.communicate(timeout=60)
    return "".join(seen) + out


@pytest.mark.slow
def test_sigkill_during_import_leaves_none_or_all(db_path, tmp_path):
    stays_csv, children_csv = _synth().write(tmp_path / "ledger", N_STAYS, seed=3)
    pristine = _copy_db(db_path, tmp_path / "pristine")

    # The whole import once, undisturbed, on a copy: what "all" looks like.
    ref_db = _copy_db(db_path, tmp_path / "reference")
    p = _start(ref_db, stays_csv, children_csv)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    assert out.splitlines()[-1].startswith(f"DONE stays: {N_STAYS} new, 0 already present")
    full = _state(ref_db)
    assert full[0] == N_STAYS and full[3] == 1

    rng = random.Random(20261121)
    killed_midway = 0
    for _ in range(KILLS):
        p = _start(db_path, stays_csv, children_csv)
        # anywhere from the first rows to the commit (the last report comes
        # just before the audit row and COMMIT)
        out = _kill_after(p, rng.randint(1, N_STAYS), rng.uniform(0, 0.02))
        state = _state(db_path)
        if "DONE" in out or state == full:
            assert state == full
            for suffix in ("-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            _copy_db(pristine, db_path.parent)  # start over from the empty database
            continue
        killed_midway += 1
        assert state == (0, 0, 0, 0), "a killed import left part of itself behind"
    assert killed_midway >= KILLS - 2

    # Staff run it again: everything arrives, once.
    p = _start(db_path, stays_csv, children_csv)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    assert out.splitlines()[-1] == (f"DONE stays: {N_STAYS} new, 0 already present; "
                                    f"children: {full[2]} new, 0 already present")
    assert _state(db_path) == full
