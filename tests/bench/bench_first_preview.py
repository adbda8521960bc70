"""Benchmark: a session's first intake sheet (issue 7, "first preview"),
called by tests/bench/run.py.

Each figure comes from a fresh process (the costs are once per process:
importing ReportLab, parsing the fonts, ReportLab's first subsetting):

- cold: the first build, as when staff open a preview right after login;
- warmed: the first build after ``reports.fonts.warm_up()``, which the GUI
  runs on a worker thread once the main window is shown (the warm-up's own
  time is printed too: it is spent while staff look at the board).

A small database of its own (test KDF) with one fictitious resident whose
name needs the rare-kanji fallback (𠮷, 髙), as bench_pdf has.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROUNDS = 3


def _child(mode: str, folder: Path) -> dict[str, float]:
    from shelterdesk.core.models import Bed, Child, Facility, Resident, Room, Stay
    from shelterdesk.store import facility as facility_repo
    from shelterdesk.store import rooms, stays
    from shelterdesk.store.vault import TEST_KDF

    session, _ = facility_repo.create_facility(
        folder / "shelter.db", Facility("ベンチ施設（架空）", 6),
        [Room(None, "201", family=True, beds=[Bed(None, None, x) for x in "ABC"])],
        "admin", "管理者 架空", "correct horse 1", kdf=TEST_KDF)
    out: dict[str, float] = {}
    try:
        db = session.db
        r = Resident(family_name="髙橋", given_name="\U00020BB7子", family_kana="たかはし",
                     given_kana="よしこ", birth_date=date(1990, 4, 1))
        s = Stay(admitted_at=datetime(2026, 11, 21, 21, 30),
                 admission_type="temporary_protection", main_complaint="dv_spouse",
                 referral_source="police", bed_id=rooms.free_beds(db)[0].bed_id)
        kids = [Child(family_name="山﨑", given_name="見本", birth_date=date(2019, 5, 5),
                      sex="F")]
        stay = stays.admit(db, stays.Admission(r, s, kids), now=datetime(2026, 11, 21, 22, 0))
        if mode == "warm":
            t = time.perf_counter()
            from shelterdesk.reports import fonts
            fonts.warm_up()
            out["warm_up"] = time.perf_counter() - t
        t = time.perf_counter()
        from shelterdesk.reports.intake_sheet import build_intake_sheet
        build_intake_sheet(db, stay.id, staff_name="受付 架空")
        out["first"] = time.perf_counter() - t
        t = time.perf_counter()
        build_intake_sheet(db, stay.id, staff_name="受付 架空")
        out["second"] = time.perf_counter() - t
    finally:
        session.lock()
    return out


def _spawn(mode: str) -> dict[str, float]:
    root = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory(prefix="shelterdesk-bench-") as tmp:
        proc = subprocess.run([sys.executable, "-m", "tests.bench.bench_first_preview",
                               "--child", mode, tmp], cwd=root, capture_output=True,
                              text=True, timeout=300, env=dict(os.environ))
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-300:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(workdir: Path) -> dict[str, str]:
    import statistics

    cold = [_spawn("cold") for _ in range(ROUNDS)]
    warm = [_spawn("warm") for _ in range(ROUNDS)]

    def med(rows, key):
        return statistics.median(r[key] for r in rows) * 1000

    return {
        f"first intake sheet, cold (median of {ROUNDS} processes)": f"{med(cold, 'first'):.0f} ms",
        "second intake sheet, same process": f"{med(cold, 'second'):.0f} ms",
        "fonts.warm_up() on the worker after login": f"{med(warm, 'warm_up'):.0f} ms",
        "first intake sheet after warm_up (target < 1 s)": f"{med(warm, 'first'):.0f} ms",
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], Path(sys.argv[3]))))
    else:
        from tests.bench.run import WORKDIR, _table
        print(_table("ShelterDesk benchmark: first preview", run(WORKDIR)))
