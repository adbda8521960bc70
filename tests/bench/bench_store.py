"""Store figures on the large synthetic database: unlock, first page of the
residents list, search as you type, peak memory.

The database is built once (the real, calibrated KDF for the admin slot) and
cached in ``.benchmarks/`` (git-ignored); delete it to rebuild.
"""

from __future__ import annotations

import resource
import statistics
import time
from datetime import date
from pathlib import Path

from shelterdesk.core.models import Facility
from shelterdesk.store import facility as facility_repo
from shelterdesk.store import residents
from shelterdesk.store import session as sessions
from tests.bench import synthetic

LOGIN = "admin"
PASSWORD = "bench password 1"  # a synthetic database; nothing real is behind it
PAGE = 100
TYPED = "かくうさくら"  # a kana name typed one character at a time
TODAY = date(2026, 11, 21)


def build(path: Path, counts: synthetic.Counts | None = None) -> float:
    """Create the database at ``path`` unless it is already there; seconds spent."""
    counts = counts or synthetic.Counts()
    if path.exists():
        s = sessions.unlock(path, LOGIN, PASSWORD)
        try:
            have = synthetic.table_counts(s.db)
        finally:
            s.db.close()
        if have == {"resident": counts.residents, "stay": counts.stays,
                    "child": counts.children, "aftercare": counts.aftercare}:
            return 0.0
        raise SystemExit(f"{path} holds other counts ({have}); delete it to rebuild")
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    s, _code = facility_repo.create_facility(path, Facility("ベンチ施設（架空）", 40), [], LOGIN,
                                      "管理者（架空）", PASSWORD)  # calibrate_kdf(): the real cost
    try:
        synthetic.populate(s.db, counts, today=TODAY)
    finally:
        s.lock()
    return time.perf_counter() - start


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _timed(fn, repeat: int = 5) -> tuple[float, object]:
    """Best of ``repeat`` (the first call also reported separately by callers)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def measure(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    t = time.perf_counter()
    s = sessions.unlock(path, LOGIN, PASSWORD)
    out["unlock (Argon2id, calibrated) + open"] = _ms(time.perf_counter() - t)
    db = s.db
    try:
        counts = synthetic.table_counts(db)
        out["database"] = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        out["database file"] = f"{path.stat().st_size / 1e6:.0f} MB"

        def first_page(view):
            def page():
                rows = residents.list_residents(db, view, "", limit=PAGE, today=TODAY)
                n = residents.count_residents(db, view, "")
                return rows, n
            return page

        for view in (residents.VIEW_IN_RESIDENCE, residents.VIEW_ALL):
            t = time.perf_counter()
            rows, n = first_page(view)()
            cold = time.perf_counter() - t
            warm, _ = _timed(first_page(view))
            out[f"first page, view {view} ({n:,} rows, page {PAGE}) + count"] = (
                f"{_ms(cold)} first, {_ms(warm)} again")
            assert rows

        for sort in ("admitted", "days", "safety"):
            warm, _ = _timed(lambda sort=sort: residents.list_residents(
                db, residents.VIEW_ALL, "", sort=sort, descending=True, limit=PAGE,
                today=TODAY))
            out[f"first page, view all, sorted by {sort}"] = _ms(warm)

        per_key, found = [], []
        for _round in range(3):
            typed = ""
            for ch in TYPED:
                typed += ch
                t = time.perf_counter()
                rows = residents.list_residents(db, residents.VIEW_ALL, typed, limit=PAGE,
                                                today=TODAY)
                n = residents.count_residents(db, residents.VIEW_ALL, typed)
                per_key.append(time.perf_counter() - t)
                found.append(n)
            assert rows
        out[f"search as you type '{TYPED}' (view all, page + count), median"] = _ms(
            statistics.median(per_key))
        out["search as you type, worst keystroke"] = _ms(max(per_key))
        out["search as you type, matches per keystroke"] = " → ".join(
            f"{n:,}" for n in found[: len(TYPED)])
    finally:
        s.db.close()
    out["peak memory (maxrss)"] = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    return out


def run(workdir: Path) -> dict[str, str]:
    path = workdir / "bench_store.db"
    built = build(path)
    out = {"build (once, cached)": f"{built:.1f} s" if built else "cached"}
    out.update(measure(path))
    return out
