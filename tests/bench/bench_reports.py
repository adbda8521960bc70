"""Benchmark: the manager's reports and the audit viewer (issue 11) on the
large synthetic database (20 years of history).

Targets (figures, not assertions): monthly summary figures and PDF < 1 s,
fiscal-year statistics and PDF < 1 s, the audit viewer's first page over
1,000,000 audit rows < 100 ms.

Works on a copy of ``bench_store.db`` (built by bench_store if missing) with
a million chained audit rows added once and cached in
``.benchmarks/bench_reports/``; delete that folder to rebuild.
"""

from __future__ import annotations

import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path

AUDIT_ROWS = 1_000_000
ACTIONS = ("view", "update", "print", "login", "lock", "discharge", "admit")


def _add_audit_rows(db, n: int) -> None:
    from shelterdesk.store.database import GENESIS, audit_hash

    last = db.query_one("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
    next_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    start = datetime(2006, 12, 1, 9, 0)
    with db.transaction() as con:
        batch = []
        for i in range(n):
            rid = next_id + i
            at = (start + timedelta(minutes=10 * i)).isoformat(timespec="seconds")
            acct, action = 1, ACTIONS[i % len(ACTIONS)]
            entity, eid = ("resident", 1 + i % 20_000) if i % 3 else ("stay", 1 + i % 25_000)
            h = audit_hash(rid, at, acct, action, entity, eid, "", prev)
            batch.append((rid, at, acct, action, entity, eid, "", prev, h))
            prev = h
            if len(batch) == 50_000:
                con.executemany("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?,?)", batch)
                batch = []
        con.executemany("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?,?)", batch)
        con.execute("UPDATE meta SET value=? WHERE key='audit_head'",
                    (f"{next_id + n - 1}:{prev}",))


def _prepare(workdir: Path) -> Path:
    from tests.bench import bench_store

    folder = workdir / "bench_reports"
    path = folder / "reports.db"
    if path.exists():
        return path
    source = workdir / "bench_store.db"
    bench_store.build(source)
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".keys", ".keys.bak"):
        if Path(str(source) + suffix).exists():
            shutil.copy2(str(source) + suffix, str(path) + suffix)
    from shelterdesk.store import session as sessions
    s = sessions.unlock(path, bench_store.LOGIN, bench_store.PASSWORD)
    try:
        _add_audit_rows(s.db, AUDIT_ROWS)
    finally:
        s.db.close()
    return path


def _ms(t: float) -> str:
    return f"{t * 1000:.1f} ms"


def _best(fn, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def run(workdir: Path) -> dict[str, str]:
    from shelterdesk.reports.documents import ReportRequest, report
    from shelterdesk.store import audit_log, statistics
    from shelterdesk.store import session as sessions
    from tests.bench import bench_store

    path = _prepare(Path(workdir))
    s = sessions.unlock(path, bench_store.LOGIN, bench_store.PASSWORD)
    try:
        db = s.db
        rows = db.query_one("SELECT count(*) FROM audit")[0]
        t0 = time.perf_counter()
        first = audit_log.entries(db)
        cold_page = time.perf_counter() - t0
        page, _ = _best(lambda: audit_log.entries(db))
        acct_page, _ = _best(lambda: audit_log.entries(db, audit_log.AuditFilter(
            account_id=1, action="print")))
        res_page, found = _best(lambda: audit_log.entries(db, audit_log.AuditFilter(
            resident_id=123)))
        month, figures = _best(lambda: statistics.monthly_report(db, 2026, 10,
                                                                 today=bench_store.TODAY))
        month_pdf, pdf = _best(lambda: report("monthly").build(
            db, ReportRequest("monthly", 2026, 10), None, "施設長（架空）"))
        fy, fy_fig = _best(lambda: statistics.fiscal_year_report(db, 2025))
        fy_pdf, fy_doc = _best(lambda: report("fiscal-year").build(
            db, ReportRequest("fiscal-year", 2025), None, "施設長（架空）"))
    finally:
        s.db.close()
    return {
        "audit rows": f"{rows:,}",
        "audit viewer first page (200 rows), first call": _ms(cold_page) + f" ({len(first)} rows)",
        "audit viewer first page, best of 3": _ms(page) + " (target < 100 ms)",
        "audit viewer, staff + action filter": _ms(acct_page),
        "audit viewer, one resident's rows": _ms(res_page) + f" ({len(found)} rows)",
        "monthly figures (2026-10)": _ms(month) + f" ({figures.movement.admissions} admissions)",
        "monthly figures + PDF": _ms(month_pdf) + f" ({pdf.pages} page; target < 1 s)",
        "fiscal-year figures (FY2025 + FY2024)": _ms(fy) +
        f" ({fy_fig.current.movement.admissions} admissions)",
        "fiscal-year figures + PDF": _ms(fy_pdf) + f" ({fy_doc.pages} page; target < 1 s)",
    }
