"""The ledger import dialog: counts and every error before anything is
written; Import only without errors; the work runs off the UI thread."""

from __future__ import annotations

from shelterdesk.core import ledger
from shelterdesk.gui.dialogs.ledger_import import LedgerImportDialog

HEADER = ",".join(ledger.STAY_COLUMNS)
CHILD_HEADER = ",".join(ledger.CHILD_COLUMNS)
GOOD = [
    "L-101,見本,花子,みほん,はなこ,,H2.3.4,JP,ja,R4.5.1,令和4年6月1日,一時保護,"
    "夫等の暴力（DV）,警察,自立（アパート等）,101",
    "L-102,架空,桜,かくう,さくら,,1985/7/7,JP,ja,2022-07-10,2022/9/30,temporary_protection,"
    "dv_spouse,self,public_housing,201",
]
CHILDREN = ["L-101,見本,結衣,みほん,ゆい,2019/5/5,F"]


def counts(db):
    return {t: db.query_one(f"SELECT count(*) FROM {t}")[0]
            for t in ("resident", "stay", "child")}


def write(tmp_path, name, header, rows, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return p


def dialog(qtbot, session) -> LedgerImportDialog:
    d = LedgerImportDialog(session)
    qtbot.addWidget(d)
    d.show()
    return d


def test_every_error_is_listed_and_nothing_can_be_imported(qtbot, session, tmp_path):
    db = session.db
    before = counts(db)
    bad = [*GOOD,
           "L-103,見本,,みほん,,,2999/1/1,JP,ja,2022/1/1,,unknown_type,dv_spouse,self,,101",
           "L-104,架空,,かくう,,,1980/1/1,JP,ja,2022/13/1,,temporary_protection,dv_spouse,"
           "self,,101"]
    d = dialog(qtbot, session)
    d.stays_path.setText(str(write(tmp_path, "stays.csv", HEADER, bad)))
    d.check()
    qtbot.waitUntil(lambda: d.plan is not None, timeout=10000)
    n = d.errors.rowCount()
    assert n == len(d.preview.errors) >= 3
    rows = {d.errors.item(i, 1).text() for i in range(n)}
    assert {"4", "5"} <= rows  # Excel's row numbers (header = 1)
    columns = {d.errors.item(i, 2).text() for i in range(n)}
    assert {"birth_date", "admission_type", "admitted_on"} <= columns
    assert f"{n} errors" in d.errors_title.text()
    assert not d.import_button.isEnabled()
    assert counts(db) == before


def test_counts_then_import_then_nothing_new(qtbot, session, tmp_path):
    db = session.db
    d = dialog(qtbot, session)
    d.stays_path.setText(str(write(tmp_path, "stays.csv", HEADER, GOOD, "cp932")))
    d.children_path.setText(str(write(tmp_path, "children.csv", CHILD_HEADER, CHILDREN)))
    d.check()
    qtbot.waitUntil(lambda: d.plan is not None, timeout=10000)
    assert d.errors.rowCount() == 0
    assert "2 stays of 2 women, 1 child rows" in d.counts.text()
    assert "2 new stays" in d.counts.text()
    assert counts(db) == {"resident": 0, "stay": 0, "child": 0}  # checking writes nothing
    assert d.import_button.isEnabled()
    with qtbot.waitSignal(d.imported, timeout=10000) as sig:
        d.import_button.click()
    assert sig.args[0].stays_new == 2
    assert counts(db) == {"resident": 2, "stay": 2, "child": 1}
    assert "Imported: 2 new stays" in d.result_label.text()
    assert "L-101 →" in d.result_label.text()
    assert d.bar.isHidden()
    # The same files again: nothing to import.
    d.check()
    qtbot.waitUntil(lambda: d.plan is not None, timeout=10000)
    assert not d.import_button.isEnabled()
    assert "already imported" in d.result_label.text()


def test_missing_file_is_reported(qtbot, session, tmp_path):
    d = dialog(qtbot, session)
    d.stays_path.setText(str(tmp_path / "nowhere.csv"))
    d.check()
    assert "no such file" in d.error.text()
