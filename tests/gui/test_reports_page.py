"""The Reports page: a month and a fiscal year on screen, the preview, saving
CSV/JSON (refusals and a full disk beside the buttons), audited, keyboard only."""

from __future__ import annotations

import csv
import errno
import io
import json
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from shelterdesk.core.models import Resident, Stay
from shelterdesk.gui.views.reports import FISCAL, ReportsPage
from shelterdesk.store import stays
from shelterdesk.store.rooms import free_beds

SHOTS = "/tmp/shots"


def _fill(db):
    for day, out in ((date(2022, 5, 30), date(2022, 6, 3)), (date(2022, 6, 10), None),
                     (date(2022, 6, 15), None), (date(2022, 6, 20), None)):
        s = stays.admit(db, stays.Admission(
            Resident(family_name="見本", given_name="花子", family_kana="みほん",
                     given_kana="はなこ", birth_date=date(1985, day.month, day.day)),
            Stay(admitted_at=datetime.combine(day, datetime.min.time()),
                 admission_type="temporary_protection", main_complaint="dv_spouse",
                 referral_source="police", bed_id=free_beds(db)[0].bed_id)),
            now=datetime(2026, 11, 21, 12, 0))
        if out:
            stays.discharge(db, s.id, out, "relatives")


def page(qtbot, session) -> ReportsPage:
    p = ReportsPage(session, today=date(2022, 7, 5))
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    return p


def cell(p: ReportsPage, item: str, col: int = 2) -> str:
    for i in range(p.table.rowCount()):
        if p.table.item(i, 1).text() == item:
            return p.table.item(i, col).text()
    raise KeyError(item)


def test_a_month_on_screen_by_keyboard_and_saved(qtbot, session, tmp_path):
    _fill(session.db)
    p = page(qtbot, session)
    assert (p.year.value(), p.month.currentData()) == (2022, 6)  # last month by default
    assert p.period_label.text() == "令和4年6月"
    assert not p.preview_button.isEnabled()
    p.show_button.setFocus()
    QTest.keyClick(p.show_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: p.figures is not None, timeout=5000)
    assert cell(p, "入所者数") == "3" and cell(p, "退所者数") == "1"
    assert cell(p, "入所者延べ人数") == str(2 + 21 + 16 + 11)
    assert "today's capacity" in p.note.text()
    import os
    os.makedirs(SHOTS, exist_ok=True)
    p.grab().save(f"{SHOTS}/reports_month.png")
    out = tmp_path / "m"
    assert p.save_to(out, "csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "m.csv").read_text("utf-8-sig"))))
    assert rows[0] == ["区分", "項目", "値"]
    assert p.save_to(tmp_path / "m.json", "json")
    assert json.loads((tmp_path / "m.json").read_text("utf-8"))["admissions"] == 3
    audits = session.db.query("SELECT detail FROM audit WHERE entity='report' ORDER BY id")
    assert [a[0] for a in audits] == ["doc=monthly period=2022-06 format=csv suppress=0",
                                      "doc=monthly period=2022-06 format=json suppress=0"]
    # a change of period clears what was shown
    p.month.setCurrentIndex(4)
    assert p.figures is None and not p.csv_button.isEnabled()


def test_a_fiscal_year_with_suppression_and_the_preview(qtbot, session):
    _fill(session.db)
    p = page(qtbot, session)
    p.kind.setCurrentIndex(p.kind.findData(FISCAL))
    assert p.year.value() == 2022 and not p.month.isVisible()
    assert p.period_label.text().startswith("令和4年度")
    p.suppress.setChecked(True)
    p.show_figures()
    qtbot.waitUntil(lambda: p.figures is not None, timeout=5000)
    assert cell(p, "入所者数", 4) == "4"
    assert cell(p, "60代以上", 4) == "0"
    assert cell(p, "30代", 4) == "4"
    assert "<3" in p.note.text()
    # every column, the current year's percentages included, stays in sight on
    # a small screen: the audit-chain head is elided instead of widening its column
    p.resize(1024, 768)
    qtbot.wait(50)
    assert not p.table.horizontalScrollBar().isVisible()
    last = p.table.columnCount() - 1
    assert p.table.columnViewportPosition(last) + p.table.sizeHintForColumn(last) \
        <= p.table.viewport().width()
    p.resize(1366, 768)
    p.grab().save(f"{SHOTS}/reports_fy.png")
    p.open_preview()
    qtbot.waitUntil(lambda: p.preview is not None, timeout=10000)
    assert p.preview.document.pageCount() == 1
    assert p.preview.suggested_name() == "fiscal-year-FY2022.pdf"
    p.preview.grab().save(f"{SHOTS}/reports_preview.png")
    p.preview.close()
    p.forget()
    assert p.table.rowCount() == 0


def test_saving_refusals_and_a_full_disk(qtbot, session, tmp_path, monkeypatch):
    _fill(session.db)
    p = page(qtbot, session)
    p.show_figures()
    qtbot.waitUntil(lambda: p.figures is not None, timeout=5000)
    before = session.db.query_one("SELECT count(*) FROM audit")[0]
    assert not p.save_to(tmp_path / "pulled" / "m.csv", "csv")
    assert p.error.text()
    from shelterdesk.store import files

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_atomic", full)
    assert not p.save_to(tmp_path / "m.csv", "csv")
    assert p.error.text() and not (tmp_path / "m.csv").exists()
    assert session.db.query_one("SELECT count(*) FROM audit")[0] == before
