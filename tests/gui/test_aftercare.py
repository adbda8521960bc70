"""Aftercare screens: the schedule after a discharge (from her record), the due
list, recording outcomes, the export dialog's preview, the results import with
a conflict; keyboard use; screenshots at 1366×768 in /tmp/shots."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta

import pyrage
from intake_helpers import admit_sample
from PySide6.QtCore import Qt

from shelterdesk.core.aftercare import NewItem, Partner
from shelterdesk.core.models import Consent
from shelterdesk.gui.views.aftercare.due_list import DueListPage
from shelterdesk.gui.views.aftercare.export import ExportDialog
from shelterdesk.gui.views.aftercare.outcome import OutcomeDialog
from shelterdesk.gui.views.aftercare.partners import PartnersDialog
from shelterdesk.gui.views.aftercare.results import ResultsDialog
from shelterdesk.gui.views.aftercare.schedule import ScheduleDialog
from shelterdesk.gui.views.record import RecordView
from shelterdesk.gui.views.record.aftercare import AftercareTab
from shelterdesk.gui.widgets.pickers import set_combo
from shelterdesk.store import aftercare, partners, residents, stays
from shelterdesk.transfer import age

PARTNER = "架空市 女性相談支援課"


def _discharged(session, days_ago=20, room="201"):
    s = admit_sample(session.db, days_ago=60, room=room)
    stays.discharge(session.db, s.id, date.today() - timedelta(days=days_ago), "independent")
    return s


def test_discharge_from_the_record_opens_the_schedule(qtbot, session, monkeypatch, shoot):
    s = admit_sample(session.db, days_ago=10)
    v = RecordView(session)
    qtbot.addWidget(v)
    v.open_resident(s.resident_id)
    tab = v.tab(AftercareTab)
    assert tab is not None
    stays.discharge(session.db, s.id, date.today(), "relatives")
    v.discharged.emit(s.id)
    dlg = tab.schedule_dialog
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 6
    dlg.visit.setChecked(True)
    assert dlg.table.rowCount() == 7
    dlg.resize(1366, 768)
    shoot(dlg, "aftercare_schedule")
    with qtbot.waitSignal(dlg.accepted):
        assert dlg.submit()
    items = aftercare.items_of_stay(session.db, s.id)
    assert len(items) == 7 and {i.kind for i in items} == {"phone", "visit"}
    assert all(i.assignee_account_id == session.account.id for i in items)
    assert tab.table.rowCount() == 7


def test_no_aftercare_needs_a_reason(qtbot, session):
    s = _discharged(session)
    dlg = ScheduleDialog(session, s.id)
    qtbot.addWidget(dlg)
    dlg.none.setChecked(True)
    assert not dlg.submit()
    assert dlg.form.error_text("none_reason") == "Say why there is no aftercare."
    dlg.reason.setText("本人の希望（架空）")
    assert dlg.submit()
    assert aftercare.items_of_stay(session.db, s.id) == []
    assert aftercare.none_reason(session.db, s.id) == "本人の希望（架空）"


def _scheduled(session, days_ago=20):
    s = _discharged(session, days_ago)
    on = stays.get_stay(session.db, s.id).discharged_on
    ids = aftercare.save_schedule(session.db, s.id, [
        NewItem(p.kind, p.due_on, session.account.id) for p in aftercare.propose(session.db, on)])
    return s, ids


def test_due_list_sections_filter_and_open(qtbot, session, shoot):
    s, ids = _scheduled(session, days_ago=40)
    page = DueListPage(session)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    heads = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())
             if not page.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)]
    assert heads[0].startswith("Overdue (") and len(heads) == 4
    assert page.selected().id == ids[0]
    shoot(page, "aftercare_due_list")
    set_combo(page.kind, "visit")
    assert page.selected() is None
    set_combo(page.kind, None)
    with qtbot.waitSignal(page.openRecord) as sig:
        qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert sig.args == [s.resident_id]


def test_record_outcomes_reschedule_retry_and_close(qtbot, session, monkeypatch):
    _s, ids = _scheduled(session)
    dlg = OutcomeDialog(session, ids[0])
    qtbot.addWidget(dlg)
    assert not dlg.submit()
    assert dlg.form.error_text("outcome") == "Choose the outcome."
    set_combo(dlg.outcome, "rescheduled")
    assert not dlg.submit()
    assert dlg.form.error_text("new_date") == "Give the new date."
    dlg.new_date.set_value(date.today() + timedelta(days=5))
    assert dlg.submit()
    follow = aftercare.items_of_stay(session.db, _s.id)
    assert any(i.due_on == date.today() + timedelta(days=5) for i in follow)
    dlg = OutcomeDialog(session, ids[1])
    qtbot.addWidget(dlg)
    set_combo(dlg.outcome, "not_reached")
    assert dlg.retry.isChecked() and dlg.submit()
    before = sum(1 for i in aftercare.items_of_stay(session.db, _s.id) if i.is_open)
    asked = []
    dlg = OutcomeDialog(session, ids[2], ask=lambda *a: asked.append(a) or True)
    qtbot.addWidget(dlg)
    set_combo(dlg.outcome, "closed")
    assert dlg.submit() and asked
    assert before > 1
    assert not any(i.is_open for i in aftercare.items_of_stay(session.db, _s.id))


def _consenting(session, tmp_path):
    key = pyrage.x25519.Identity.generate()
    pid = partners.save_partner(session, Partner(name=PARTNER, recipient=str(key.to_public())))
    s, ids = _scheduled(session)
    residents.insert_consent(session.db, Consent(None, s.resident_id, "municipality_aftercare",
                                                 PARTNER, date.today() - timedelta(days=30)))
    other = admit_sample(session.db, room="101", days_ago=90)
    stays.discharge(session.db, other.id, date.today() - timedelta(days=30), "relatives")
    residents.insert_consent(session.db, Consent(
        None, other.resident_id, "municipality_aftercare", PARTNER,
        date.today() - timedelta(days=80), date.today() - timedelta(days=2)))
    return key, pid, s, ids


def test_export_dialog_preview_and_done(qtbot, session, tmp_path, shoot):
    key, _pid, _s, _ids = _consenting(session, tmp_path)
    dlg = ExportDialog(session)
    qtbot.addWidget(dlg)
    text = dlg.preview.toPlainText()
    assert "1 people, 6 items" in text and "expired" in text and "氏名" in text
    assert not dlg.submit()
    assert dlg.file_form.error_text("path") == "Choose where to write the file."
    out = tmp_path / "stick.age"
    dlg.path.setText(str(out))
    dlg.resize(1366, 768)
    shoot(dlg, "aftercare_export_preview")
    assert dlg.submit()
    assert "read back and decrypted" in dlg.result.text()
    shoot(dlg, "aftercare_export_done")
    assert zipfile.is_zipfile(io.BytesIO(age.decrypt(out.read_bytes(), [str(key)])))


def test_import_dialog_shows_the_conflict_and_keeps_local(qtbot, session, tmp_path, shoot):
    key, pid, _s, _ids = _consenting(session, tmp_path)
    from shelterdesk.transfer import handover
    res = handover.export(session.db, pid, tmp_path / "out.age")
    plain = age.decrypt(res.path.read_bytes(), [str(key)])
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        rows = list(csv.reader(io.StringIO(z.read("schedule.csv").decode("utf-8-sig"))))
    rows[1][10:13] = ["実施", date.today().isoformat(), "相手の記録"]
    rows[2][10:13] = ["要支援", date.today().isoformat(), "相手の記録2"]
    aftercare.record_outcome(session.db, int(rows[1][0]), "declined", date.today(), "当方")
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    back = tmp_path / "back.age"
    back.write_bytes(age.encrypt(buf.getvalue().encode("utf-8-sig"),
                                 [aftercare.facility_recipient(session.db)]))
    dlg = ResultsDialog(session)
    qtbot.addWidget(dlg)
    dlg.path.setText(str(back))
    assert dlg.read()
    assert "1 items will be updated" in dlg.summary.text() and "1 conflict" in dlg.summary.text()
    assert dlg.table.item(0, 4).text() == "conflict"
    dlg.resize(1366, 768)
    shoot(dlg, "aftercare_import_conflict")
    assert dlg.import_button.isEnabled()
    dlg.apply()
    assert aftercare.get_item(session.db, int(rows[1][0])).outcome == "declined"
    assert aftercare.get_item(session.db, int(rows[2][0])).outcome == "needs_support"


def test_import_dialog_refuses_a_foreign_file(qtbot, session, tmp_path):
    _consenting(session, tmp_path)
    bad = tmp_path / "foreign.age"
    bad.write_bytes(age.encrypt(b"x", [str(pyrage.x25519.Identity.generate().to_public())]))
    dlg = ResultsDialog(session)
    qtbot.addWidget(dlg)
    dlg.path.setText(str(bad))
    assert not dlg.read()
    assert "not encrypted for this facility" in dlg.error.text()


def test_partners_dialog_validates_the_recipient(qtbot, session, shoot):
    dlg = PartnersDialog(session)
    qtbot.addWidget(dlg)
    dlg.name.setText("架空市")
    dlg.recipient.setText("age1notakey")
    dlg.closures.setText("2027-01-04, 昨日")
    assert not dlg.save()
    assert "age1" in dlg.form.error_text("recipient") or dlg.form.error_text("closures")
    dlg.closures.setText("2027-01-04")
    assert not dlg.save()
    assert "age1" in dlg.form.error_text("recipient")
    dlg.recipient.setText(str(pyrage.x25519.Identity.generate().to_public()))
    assert dlg.save()
    assert partners.find_partner(session.db, "架空市").closures == (date(2027, 1, 4),)
    shoot(dlg, "aftercare_partners")


def test_schedule_dialog_tab_walks_out_of_the_table(qtbot, session):
    """Tab goes visit → each row's kind, date, assignee → the buttons, "No
    aftercare" and Save: never caught between the table's cells."""
    s = _discharged(session)
    dlg = ScheduleDialog(session, s.id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    dlg.visit.setFocus()
    seen = []
    for _ in range(6 * 3 + 6):
        qtbot.keyClick(dlg.focusWidget(), Qt.Key.Key_Tab)
        seen.append(dlg.focusWidget())
    cells = [dlg.table.cellWidget(r, c) for r in range(6) for c in range(3)]
    assert seen[:18] == cells
    assert seen[18:22] == [dlg.add_button, dlg.remove_button, dlg.none, dlg.cancel_button]
    assert dlg.ok_button in seen
    dlg.none.setChecked(True)
    dlg.none.setFocus()
    qtbot.keyClick(dlg.none, Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.reason


def test_schedule_remove_takes_the_row_being_edited(qtbot, session):
    s = _discharged(session)
    dlg = ScheduleDialog(session, s.id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    third = dlg.table.cellWidget(2, 1).value_or_none()
    dlg.table.cellWidget(2, 1).setFocus()
    qtbot.waitUntil(lambda: dlg.table.currentRow() == 2)
    qtbot.keyClick(dlg.table.cellWidget(2, 1), Qt.Key.Key_Tab)  # on to her assignee
    dlg.remove_button.click()
    dates = [dlg.table.cellWidget(r, 1).value_or_none() for r in range(dlg.table.rowCount())]
    assert len(dates) == 5 and third not in dates


def test_aftercare_labels_are_the_right_japanese(qtbot, session):
    """"Record" (対象 in the audit log) and "Reason" (エラー内容 in the ledger
    import) once gave the outcome's button and the no-aftercare reason those."""
    from shelterdesk.i18n import set_language
    set_language("ja")  # the autouse fixture sets English back afterwards
    s = _discharged(session)
    it = aftercare.save_schedule(session.db, s.id, [NewItem("phone", date.today())])[0]
    out = OutcomeDialog(session, it)
    qtbot.addWidget(out)
    assert out.ok_button.text() == "結果を記録"
    sched = ScheduleDialog(session, s.id)
    qtbot.addWidget(sched)
    from PySide6.QtWidgets import QLabel
    labels = [w.text() for w in sched.findChildren(QLabel)]
    assert "退所後支援を行わない理由" in labels and "エラー内容" not in labels


def test_today_lists_aftercare_due_and_opens_her_tab_with_the_focus_on_the_item(qtbot, session):
    """Walk findings: Today had no aftercare section; a line opened her record
    with the focus on 「← 一覧に戻る」, so Enter went straight back."""
    from PySide6.QtWidgets import QApplication

    from shelterdesk.gui.main_window import MainWindow
    from shelterdesk.gui.views.today.page import EVERYONE

    _scheduled(session, days_ago=20)
    window = MainWindow(session, idle_ms=600_000)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.show_page("today")
    page = window.pages["today"]
    page.filter.setCurrentIndex(page.filter.findData(EVERYONE))
    due = page.lines("aftercare")
    assert due and {line.tab for line in due} == {"AftercareTab"}
    head = next(page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())
                if page.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1) == "aftercare")
    assert head.text(0).startswith("Follow-up calls and visits due")
    item = head.child(head.childCount() - 1)
    wanted = item.data(0, Qt.ItemDataRole.UserRole).target
    page.tree.setCurrentItem(item)
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert window.current_page() == window.RECORD
    record = window.pages[window.RECORD]
    tab = record.tab(AftercareTab)
    assert QApplication.focusWidget() is tab.table
    assert tab.items[tab.table.currentRow()].id == wanted
    window.close()
