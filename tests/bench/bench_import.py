"""Benchmark: importing a 10,000-stay ledger (plus its children) into a fresh
facility database.

Called by ``tests/bench/run.py`` (``make bench``) as ``run(workdir)``; can also
be run alone: ``.venv/bin/python -m tests.bench.bench_import``.

Measured twice on two fresh databases, because measuring memory with
tracemalloc slows Python down several times and would spoil the time:

1. time: wall-clock seconds for ``read_ledger`` (decode, parse, validate,
   group) and for ``ledger_import.apply`` (one transaction, commit included);
2. memory: peak of Python allocations during parse + write (tracemalloc; the
   plan and its records, which is what grows with the ledger), and the peak
   resident set size of the whole process (getrusage ru_maxrss, which also
   covers SQLCipher's page cache and the interpreter itself).

The ledger is synthetic (tests/fixtures/ledger/synth.py): fictitious names,
random dates, codes and Japanese labels mixed, every accepted date format.
stays.csv is UTF-8 with BOM, children.csv CP932, as a real migration mixes them.
"""

from __future__ import annotations

import importlib.util
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from shelterdesk.core import ledger
from shelterdesk.core.models import Bed, Facility, Room
from shelterdesk.store import facility as facility_repo
from shelterdesk.store import ledger_import
from shelterdesk.store.vault import TEST_KDF

N_STAYS = 10_000
SYNTH = Path(__file__).resolve().parents[1] / "fixtures" / "ledger" / "synth.py"


def _synth():
    spec = importlib.util.spec_from_file_location("ledger_synth", SYNTH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _facility(path: Path):
    rooms = [Room(None, "101", beds=[Bed(None, None, "A")]),
             Room(None, "102", beds=[Bed(None, None, "A")]),
             Room(None, "201", family=True, beds=[Bed(None, None, x) for x in "ABC"])]
    session, _recovery = facility_repo.create_facility(
        path, Facility("ベンチ施設（架空）", 20), rooms, "admin", "管理者 ベンチ",
        "bench password 1", kdf=TEST_KDF)
    return session


def _import(path: Path, stays: bytes, children: bytes) -> tuple[float, float, object]:
    session = _facility(path)
    try:
        t0 = time.perf_counter()
        plan = ledger.read_ledger(stays, children)
        t1 = time.perf_counter()
        if plan.errors:
            raise RuntimeError(f"the synthetic ledger has {len(plan.errors)} errors")
        summary = ledger_import.apply(session, plan)
        t2 = time.perf_counter()
    finally:
        session.lock()
    return t1 - t0, t2 - t1, summary


def run(workdir: Path) -> dict[str, str]:
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    synth = _synth()
    stay_rows, child_rows = synth.ledger_rows(N_STAYS, seed=1)
    stays = synth.to_csv(stay_rows, "utf-8-sig")
    children = synth.to_csv(child_rows, "cp932")

    # fresh databases every run (make bench keeps its workdir between runs)
    scratch = Path(tempfile.mkdtemp(prefix="bench_import_", dir=workdir))
    try:
        parse_s, write_s, summary = _import(scratch / "time.db", stays, children)
        tracemalloc.start()
        _import(scratch / "memory.db", stays, children)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    return {
        "ledger import: stays / children rows": f"{N_STAYS} / {len(child_rows) - 1} "
                                                f"({summary.line()})",
        "ledger import: total seconds (parse + write)": f"{parse_s + write_s:.2f}",
        "ledger import: parse seconds": f"{parse_s:.2f}",
        "ledger import: write seconds (one transaction)": f"{write_s:.2f}",
        "ledger import: peak Python memory MiB (tracemalloc)": f"{peak / 2**20:.1f}",
        "ledger import: peak process RSS MiB (ru_maxrss)": f"{maxrss_kib / 1024:.1f}",
    }


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        for k, v in run(Path(d)).items():
            print(f"{k}: {v}")
    sys.exit(0)
