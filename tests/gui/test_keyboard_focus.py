"""Keyboard and focus (issue 7, defect 9): where the cursor starts, Enter on
a focused button, the rooms table, stale errors, and where the focus goes
after a dialog closes or after logging in."""

from __future__ import annotations

from intake_helpers import admit_sample, bed_id
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from shelterdesk.gui.main_window import MainWindow
from shelterdesk.gui.views.first_run import FirstRunScreen
from shelterdesk.store.accounts import check_login
from shelterdesk.store.vault import TEST_KDF


def _first_run(qtbot, tmp_path) -> FirstRunScreen:
    screen = FirstRunScreen(tmp_path / "new.db", kdf=TEST_KDF)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitExposed(screen)
    return screen


def test_first_run_starts_on_the_first_choice_and_enter_presses_it(qtbot, tmp_path):
    screen = _first_run(qtbot, tmp_path)
    qtbot.waitUntil(lambda: screen.create_choice.hasFocus())
    QTest.keyClick(screen.create_choice, Qt.Key.Key_Return)
    assert screen.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: screen.facility_name.hasFocus())


def test_the_rooms_table_lets_tab_through_and_space_ticks_its_own_line(qtbot, tmp_path):
    screen = _first_run(qtbot, tmp_path)
    screen.pages.setCurrentIndex(1)
    table = screen.rooms
    assert not table.tabKeyNavigation()
    table.setFocus()
    table.setCurrentCell(1, 1)  # room 102
    QTest.keyClick(table, Qt.Key.Key_Space)
    assert table.item(1, 1).checkState() == Qt.CheckState.Checked
    assert table.item(0, 1).checkState() == Qt.CheckState.Unchecked  # 101 untouched
    rows = table.rowCount()
    screen.add_room_and_edit()
    assert table.rowCount() == rows + 1
    assert (table.currentRow(), table.currentColumn()) == (rows, 0)
    assert table.state() == table.State.EditingState


def test_enter_in_the_password_field_submits_and_an_edit_clears_the_stale_error(
        qtbot, tmp_path, type_text):
    screen = _first_run(qtbot, tmp_path)
    screen.pages.setCurrentIndex(1)
    screen.password2.setFocus()
    QTest.keyClick(screen.password2, Qt.Key.Key_Return)
    assert screen.errors.error_text("facility_name") == "Enter the facility name."
    assert screen.errors.error_text("login") == "Enter a login."
    screen.facility_name.setFocus()
    type_text(screen.facility_name, "架空")
    assert screen.errors.error_text("facility_name") == ""
    assert screen.errors.error_text("login") == "Enter a login."  # not edited yet


def test_an_empty_login_is_asked_for_not_called_malformed():
    assert [e.message for e in check_login("")] == ["Enter a login."]
    assert "only" in check_login("名前")[0].message


def test_after_login_the_search_box_has_the_focus(qtbot, session):
    window = MainWindow(session, session.db.path, idle_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.pages["residents"].search.hasFocus())
    window.close()


def test_focus_returns_to_the_board_after_the_move_dialog_closes(qtbot, session):
    db = session.db
    admit_sample(db, room="201", bed="A")
    window = MainWindow(session, db.path, idle_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    window.show_page("beds")
    board = window.pages["beds"]
    assert board.select_bed(bed_id(db, "201", "A"))
    qtbot.waitUntil(window.isActiveWindow)
    assert board.move_button.isEnabled() and board.move_button.isVisible()
    board.move_button.setFocus()
    qtbot.waitUntil(lambda: board.move_button.hasFocus())
    board.move_button.click()
    dlg = board.move_dialog
    qtbot.waitUntil(lambda: dlg.isVisible())
    dlg.reject()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is board.move_button)
    window.close()


def test_enter_on_a_focused_button_of_her_record(qtbot, session):
    s = admit_sample(session.db)
    window = MainWindow(session, session.db.path, idle_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    window.open_record(s.resident_id)
    record = window.pages[window.RECORD]
    record.back_button.setFocus()
    QTest.keyClick(record.back_button, Qt.Key.Key_Return)
    assert window.current_page() == "residents"
    window.close()
