"""Issue 9's benchmark: the Today page and a resident's notes tab on the large
synthetic database (bench_store's, with 60,000 children's support rows and
200,000 case notes from synthetic.populate_casework).

Figures: each Today section's query (everyone / mine), the page's first
paint (built, shown, painted into a pixmap; cold = first after unlock), and
a resident's notes tab (the store query, then the tab loading it) for the
resident with the most notes. Targets: Today < 100 ms, notes tab < 50 ms.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

from tests.bench import bench_store, synthetic

TODAY = bench_store.TODAY


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _median(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def measure(path: Path, today: date = TODAY) -> dict[str, str]:
    from PySide6.QtWidgets import QApplication

    from shelterdesk.core.casework import week_end
    from shelterdesk.gui.views.record.notes import NotesTab
    from shelterdesk.gui.views.record.state import RecordState
    from shelterdesk.gui.views.today.page import EVERYONE, TodayPage
    from shelterdesk.gui.views.today.sections import SECTIONS
    from shelterdesk.store import case_notes
    from shelterdesk.store import session as sessions

    app = QApplication.instance() or QApplication([])
    out: dict[str, str] = {}
    s = sessions.unlock(path, bench_store.LOGIN, bench_store.PASSWORD)
    db = s.db
    try:
        if not db.query_one("SELECT count(*) FROM case_note")[0]:
            t = time.perf_counter()
            synthetic.populate_casework(db, today=today)
            out["casework rows added to the cached database (once)"] = _ms(
                time.perf_counter() - t)
        out["casework rows"] = ", ".join(
            f"{db.query_one(f'SELECT count(*) FROM {t}')[0]:,} {t}"
            for t in ("child_support", "child_step", "case_note", "programme_session",
                      "programme_attendance"))
        t = time.perf_counter()
        page = TodayPage(s, today=today)
        page.resize(1366, 768)
        page.show()
        app.processEvents()
        page.grab()
        out["Today: first paint, cold (target < 100 ms)"] = _ms(time.perf_counter() - t)

        def paint():
            page.refresh()
            app.processEvents()
            page.grab()
        out["Today: repaint after a change, median"] = _ms(_median(paint))
        page.filter.setCurrentIndex(page.filter.findData(EVERYONE))
        out["Today: lines shown (everyone)"] = ", ".join(
            f"{sec.key} {len(page.lines(sec.key))}" for sec in SECTIONS)
        page.close()
        until = week_end(today)
        for sec in SECTIONS:
            for who, staff in (("everyone", None), ("mine", s.account.id)):
                out[f"Today section {sec.key} ({who}), median"] = _ms(_median(
                    lambda sec=sec, staff=staff: sec.lines(db, today, until, staff)))

        rid, n = db.query_one("SELECT resident_id, count(*) c FROM case_note "
                              "GROUP BY resident_id ORDER BY c DESC LIMIT 1")
        out["notes: the resident with the most notes"] = f"{n} notes"
        out["notes: store query (visible to an administrator), median"] = _ms(
            _median(lambda: case_notes.notes_of(db, rid)))
        out["notes: search within her notes, median"] = _ms(
            _median(lambda: case_notes.notes_of(db, rid, search="面接")))
        record = RecordState(s)
        record.load(rid, audit=False)
        tab = NotesTab(record)
        tab.resize(1366, 700)
        # Showing the tab is what loads it (showEvent), as when she picks the tab.
        t = time.perf_counter()
        tab.show()
        app.processEvents()
        tab.grab()
        out["notes tab: load and paint, cold (target < 50 ms)"] = _ms(time.perf_counter() - t)

        def notes_paint():
            tab.load()
            app.processEvents()
            tab.grab()
        out["notes tab: load and paint, median"] = _ms(_median(notes_paint))
        tab.close()
    finally:
        s.db.close()
    return out


def run(workdir: Path) -> dict[str, str]:
    path = workdir / "bench_store.db"
    bench_store.build(path)
    return measure(path)
