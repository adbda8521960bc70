"""Rooms and beds board: occupants, free and out-of-service beds, moving."""

from __future__ import annotations

from intake_helpers import admit_sample, bed_id
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from shelterdesk.gui.views.bed_board import BedBoard
from shelterdesk.store import stays


def board(qtbot, session) -> BedBoard:
    b = BedBoard(session)
    qtbot.addWidget(b)
    b.resize(900, 600)
    b.show()
    return b


def test_board_shows_occupants_free_and_out_of_service(qtbot, session):
    db = session.db
    s = admit_sample(db, room="201", bed="A", alias="さくら", children=2)
    b = board(qtbot, session)
    a = bed_id(db, "201", "A")
    assert b.occupant_text(a) == "さくら"  # aliases on the board by default
    assert b.status_text(a) == "occupied"
    assert b.status_text(bed_id(db, "101", "A")) == "free"
    assert b.status_text(bed_id(db, "301", "A")) == "out of service"
    assert "4 beds free of 5" in b.summary.text()
    assert s.id


def test_admin_toggles_names_and_the_toggle_is_audited(qtbot, session):
    db = session.db
    admit_sample(db, room="101", bed="A")
    b = board(qtbot, session)
    a = bed_id(db, "101", "A")
    assert b.occupant_text(a).startswith("(no alias) resident no.")
    b.alias_toggle.setChecked(False)
    assert db.get_meta("board_shows_alias") == "0"
    assert b.occupant_text(a) == "見本 花子"
    assert db.query_one("SELECT detail FROM audit WHERE entity='setting' ORDER BY id DESC")[0] \
        == "board_shows_alias=0"


def test_move_her_and_her_children_by_keyboard(qtbot, session):
    db = session.db
    s = admit_sample(db, room="201", bed="A", children=1)
    b = board(qtbot, session)
    b.tree.setFocus()
    assert b.select_bed(bed_id(db, "201", "A"))
    QTest.keyClick(b.tree, Qt.Key.Key_Return)  # Enter on an occupied bed: move dialog
    dlg = b.move_dialog
    assert dlg.isVisible()
    assert dlg.choose(bed_id(db, "102", "A"))
    with qtbot.waitSignal(b.moved):
        QTest.keyClick(dlg.beds, Qt.Key.Key_Return)
    moved = stays.get_stay(db, s.id)
    assert moved.bed_id == bed_id(db, "102", "A")
    assert len(moved.child_ids) == 1  # her child stays on her stay
    assert b.status_text(bed_id(db, "201", "A")) == "free"
    assert b.status_text(bed_id(db, "102", "A")) == "occupied"
    assert b.selected_bed_id() == bed_id(db, "102", "A")
