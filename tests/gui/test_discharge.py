"""Discharge: "other" is confirmed, the bed becomes free, the signal fires."""

from __future__ import annotations

from datetime import date, timedelta

from intake_helpers import admit_sample, bed_id
from PySide6.QtWidgets import QMessageBox

from shelterdesk.core import codes
from shelterdesk.gui.dialogs.discharge import DischargeDialog
from shelterdesk.gui.views.bed_board import BedBoard
from shelterdesk.gui.widgets.pickers import set_combo
from shelterdesk.store import rooms, stays


def _answers(monkeypatch, *answers):
    asked = []
    queue = list(answers)

    def question(parent, title, text, *a, **k):
        asked.append(text)
        return queue.pop(0)
    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_other_asks_to_confirm_and_the_bed_becomes_free(qtbot, session, monkeypatch):
    db = session.db
    s = admit_sample(db, room="201", bed="B")
    bed = bed_id(db, "201", "B")
    assert bed not in [b.bed_id for b in rooms.free_beds(db)]
    dlg = DischargeDialog(session, s.id)
    qtbot.addWidget(dlg)
    assert dlg.date.value() == date.today()
    assert dlg.destination.count() == len(codes.DISCHARGE_DESTINATION.codes) + 1
    set_combo(dlg.destination, "other")
    dlg.note.setPlainText("架空の記録")
    asked = _answers(monkeypatch, QMessageBox.StandardButton.No,
                     QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Yes)
    assert not dlg.submit()  # "No": nothing written
    assert len(asked) == 1 and "rare" in asked[0]
    assert stays.get_stay(db, s.id).discharged_on is None
    with qtbot.waitSignal(dlg.discharged) as sig:
        assert dlg.submit()
    assert len(asked) == 3 and asked[2].startswith("Discharge 見本 花子 on ")
    assert sig.args == [s.id]
    closed = stays.get_stay(db, s.id)
    assert (closed.discharged_on, closed.discharge_destination) == (date.today(), "other")
    assert closed.discharge_note == "架空の記録"
    assert bed in [b.bed_id for b in rooms.free_beds(db)]
    board = BedBoard(session)
    qtbot.addWidget(board)
    assert board.status_text(bed) == "free"


def test_a_discharge_is_confirmed_naming_her_and_the_date(qtbot, session, monkeypatch):
    from shelterdesk.core.dates import format_date
    s = admit_sample(session.db)
    asked = _answers(monkeypatch, QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    dlg = DischargeDialog(session, s.id)
    qtbot.addWidget(dlg)
    set_combo(dlg.destination, "public_housing")
    assert not dlg.submit()  # "No": nothing written
    assert stays.get_stay(session.db, s.id).discharged_on is None
    assert asked == [f"Discharge 見本 花子 on {format_date(date.today())}? Her stay is closed "
                     "and her bed becomes free."]
    assert dlg.submit()
    assert len(asked) == 2  # one question (a listed destination needs no "other" check)


def test_other_is_confirmed_only_once_the_date_is_right(qtbot, session, monkeypatch):
    s = admit_sample(session.db, days_ago=3)
    asked = _answers(monkeypatch)
    dlg = DischargeDialog(session, s.id)
    qtbot.addWidget(dlg)
    set_combo(dlg.destination, "other")
    dlg.date.set_value(date.today() - timedelta(days=10))  # before her arrival
    assert not dlg.submit()
    assert asked == []
    assert dlg.form.error_text("discharged_on") == "Discharge date is before the admission date."


def test_discharge_errors_are_shown_beside_the_fields(qtbot, session):
    s = admit_sample(session.db, days_ago=3)
    dlg = DischargeDialog(session, s.id)
    qtbot.addWidget(dlg)
    assert not dlg.submit()
    assert dlg.form.error_text("discharge_destination") == "Discharge destination is required."
    set_combo(dlg.destination, "relatives")
    dlg.date.set_value(date.today() - timedelta(days=10))
    assert not dlg.submit()
    assert dlg.form.error_text("discharged_on") == "Discharge date is before the admission date."
    dlg.date.setText("令和8年2月30日")
    assert not dlg.submit()
    assert "not a valid date" in dlg.form.error_text("discharged_on")
    assert stays.get_stay(session.db, s.id).discharged_on is None
