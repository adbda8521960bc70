"""Benchmark: the independence plan (issue 9), called by tests/bench/run.py.

The large synthetic database of bench_store extended with plans (one per
stay, 5 goals, 15 milestones: ``synthetic.add_plans``, written once and kept
in the cached file); the plan PDF of an open stay is built N times in memory
(median), and the Today page's plan queries are timed.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

N = 20


def run(workdir: Path) -> dict[str, str]:
    from shelterdesk.reports.plan_sheet import build_plan_sheet
    from shelterdesk.store import plans
    from shelterdesk.store import session as sessions
    from tests.bench import bench_store, synthetic

    path = Path(workdir) / "bench_store.db"
    bench_store.build(path)
    s = sessions.unlock(path, bench_store.LOGIN, bench_store.PASSWORD)
    out: dict[str, str] = {}
    try:
        db = s.db
        t0 = time.perf_counter()
        added = synthetic.add_plans(db, today=bench_store.TODAY)
        if added:
            out["plans added (once, kept)"] = f"{added:,} in {time.perf_counter() - t0:.1f} s"
        out["plans / milestones"] = "{:,} / {:,}".format(
            db.query_one("SELECT count(*) FROM plan")[0],
            db.query_one("SELECT count(*) FROM milestone")[0])
        stay_id = db.query_one("SELECT max(p.stay_id) FROM plan p JOIN stay s "
                               "ON s.id=p.stay_id WHERE s.discharged_on IS NULL")[0]
        t0 = time.perf_counter()
        build_plan_sheet(db, stay_id, "ja")
        first = (time.perf_counter() - t0) * 1000
        times = {}
        for lang in ("ja", "ne"):
            runs = []
            for _ in range(N):
                t0 = time.perf_counter()
                result = build_plan_sheet(db, stay_id, lang)
                runs.append((time.perf_counter() - t0) * 1000)
            times[lang] = runs
        out["plan PDF (ja), median ms"] = f"{statistics.median(times['ja']):.1f} (of {N})"
        out["plan PDF (ne, shaped), median ms"] = f"{statistics.median(times['ne']):.1f}"
        out["plan PDF, first build incl. fonts, ms"] = f"{first:.1f}"
        out["plan PDF, size"] = f"{len(result.data) / 1024:.0f} KiB, {result.pages} pages"
        until = bench_store.TODAY
        for name, call in (("due_milestones(this week)", lambda: plans.due_milestones(
                               db, until, today=until)),
                           ("reviews_due(this week)", lambda: plans.reviews_due(
                               db, until, today=until))):
            runs = []
            for _ in range(5):
                t0 = time.perf_counter()
                rows = call()
                runs.append((time.perf_counter() - t0) * 1000)
            out[f"{name}, best ms"] = f"{min(runs):.1f} ({len(rows)} rows)"
    finally:
        s.db.close()
    return out
