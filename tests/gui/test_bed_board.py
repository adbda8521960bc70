"""Rooms and beds board: occupants, free and out-of-service beds, moving."""

from __future__ import annotations

from intake_helpers import admit_sample, bed_id
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from shelterdesk.gui.views.bed_board import COL_STATUS, BedBoard
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
    # A family room is taken as a whole by her family: 201-B and -C are hers.
    assert b.status_text(bed_id(db, "201", "B")) == "her family (bed A)"
    assert b.status_text(bed_id(db, "201", "C")) == "her family (bed A)"
    assert "2 beds free of 5" in b.summary.text()
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


def test_a_family_room_in_use_is_not_offered_to_the_next_family(qtbot, session):
    db = session.db
    admit_sample(db, room="201", bed="A", children=2)
    other = admit_sample(db, room="101", bed="A", children=1)
    b = board(qtbot, session)
    b.select_bed(bed_id(db, "101", "A"))
    b.move_selected()
    offered = [b.move_dialog.beds.item(i).text() for i in range(b.move_dialog.beds.count())]
    assert offered == ["Room 102, bed A (single room)"]
    assert not b.move_dialog.choose(bed_id(db, "201", "B"))
    b.move_dialog.reject()
    assert stays.get_stay(db, other.id).bed_id == bed_id(db, "101", "A")


def test_residents_without_a_bed_are_listed_with_assign_a_bed(qtbot, session):
    db = session.db
    admit_sample(db, room="101", bed="A")
    waiting = admit_sample(db, room=None, children=1)
    b = board(qtbot, session)
    assert "1 occupied" in b.summary.text() and "1 without a bed" in b.summary.text()
    rows = b.without_bed_rows()
    assert len(rows) == 1 and rows[0].text(COL_STATUS) == "no bed yet: assign a bed"
    assert b.select_stay(waiting.id)
    assert b.move_button.text() == "Assign a bed…" and b.move_button.isEnabled()
    QTest.keyClick(b.tree, Qt.Key.Key_Return)
    dlg = b.move_dialog
    assert dlg.ui.info.text().startswith(f"Stay no. {waiting.id}, no bed yet.")
    assert "—" not in dlg.ui.info.text()
    assert dlg.choose(bed_id(db, "201", "A"))
    with qtbot.waitSignal(b.moved):
        QTest.keyClick(dlg.beds, Qt.Key.Key_Return)
    assert stays.get_stay(db, waiting.id).bed_id == bed_id(db, "201", "A")
    assert b.without_bed_rows() == []
    assert b.selected_bed_id() == bed_id(db, "201", "A")


def test_the_board_shows_the_danger_level_never_the_note(qtbot, session, texts):
    db = session.db
    admit_sample(db, room="101", bed="A", danger="high")  # note: 架空の注意事項
    b = board(qtbot, session)
    shown = texts() + [t for item in b._rows() for c in range(5)
                       for t in (item.text(c), item.toolTip(c))]
    assert any("Danger: High" in t for t in shown)
    assert not any("架空の注意事項" in t for t in shown)
