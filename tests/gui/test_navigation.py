"""The navigation and the menu come from the one list of features: each role
sees what it works with; pages refresh themselves from the change hub."""

from __future__ import annotations

from intake_helpers import admit_sample, bed_id
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from shelterdesk.core import codes
from shelterdesk.gui import features
from shelterdesk.gui.main_window import MainWindow
from shelterdesk.gui.models.residents import COL_ROOM
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions


def _window(qtbot, session, path) -> MainWindow:
    window = MainWindow(session, path, idle_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    return window


def _intake_session(admin):
    accounts_repo.add_account(admin, "desk", "受付 テスト", {"intake"}, "desk desk 12")
    return sessions.unlock(admin.db.path, "desk", "desk desk 12")


def test_an_intake_account_sees_the_intake_desk_but_not_the_accounts(qtbot, session):
    window = _window(qtbot, _intake_session(session), session.db.path)
    assert window.nav_keys() == ["residents", "intake", "beds"]
    assert "accounts" not in window.pages
    assert "aftercare" not in window.pages  # casework only
    assert window.current_page() == "residents"
    assert not window.action("accounts").isEnabled()
    assert not window.action("settings").isEnabled()
    assert window.action("change_password").isEnabled()
    window.close()


def test_an_administrator_also_sees_the_staff_accounts(qtbot, session):
    window = _window(qtbot, session, session.db.path)
    assert window.nav_keys() == ["residents", "intake", "beds", "today", "programme", "aftercare",
                                 "reports", "audit", "accounts"]
    assert window.action("accounts").isEnabled() and window.action("settings").isEnabled()
    window.action("accounts").trigger()
    assert window.current_page() == "accounts"
    window.close()


def test_the_ledger_import_is_for_managers_and_sits_before_quit(qtbot, session):
    path, desk_session = session.db.path, _intake_session(session)
    window = _window(qtbot, session, path)
    entries = [a for a in window.main_menu.actions() if not a.isSeparator()]
    ledger = window.action("ledger_import")
    assert entries.index(ledger) < entries.index(window.quit_action)
    assert entries[-1] is window.quit_action
    assert ledger.isEnabled()  # the test administrator
    window.lock()
    assert not ledger.isEnabled()  # nothing to import into while locked
    window.close()
    desk = _window(qtbot, desk_session, path)
    assert not desk.action("ledger_import").isEnabled()
    desk.close()


def test_roles_of_a_future_feature_are_one_entry(qtbot, session):
    """A caseworkers' page is one entry with CASEWORK roles: intake staff do
    not see it, an administrator does."""
    from PySide6.QtWidgets import QLabel
    plans = features.Feature("plans", "Residents", codes.CASEWORK,
                             lambda s, w: QLabel("plans", w.stack))
    listed = (*features.FEATURES, plans)
    desk = MainWindow(_intake_session(session), session.db.path, idle_ms=60_000,
                      feature_list=listed)
    qtbot.addWidget(desk)
    assert "plans" not in desk.nav_keys()
    admin = MainWindow(session, session.db.path, idle_ms=60_000, feature_list=listed)
    qtbot.addWidget(admin)
    assert admin.nav_keys()[-1] == "plans"


def test_a_board_move_refreshes_the_residents_list_through_the_hub(qtbot, session):
    db = session.db
    admit_sample(db, room="201", bed="A")
    window = _window(qtbot, session, db.path)
    residents = window.pages["residents"]
    board = window.pages["beds"]
    model = residents.model
    assert model.data(model.index(0, COL_ROOM)).startswith("201")
    window.show_page("beds")
    assert board.select_bed(bed_id(db, "201", "A"))
    board.move_selected()
    dlg = board.move_dialog
    assert dlg.choose(bed_id(db, "102", "A"))
    with qtbot.waitSignal(board.moved):
        QTest.keyClick(dlg.beds, Qt.Key.Key_Return)
    assert model.data(model.index(0, COL_ROOM)).startswith("102")
    window.close()


def test_her_record_opens_from_the_board_and_closes_back_to_it(qtbot, session):
    db = session.db
    s = admit_sample(db, room="201", bed="A")
    window = _window(qtbot, session, db.path)
    board = window.pages["beds"]
    window.show_page("beds")
    board.select_bed(bed_id(db, "201", "A"))
    board.open_button.click()
    assert window.current_page() == window.RECORD
    assert window.pages[window.RECORD].record.resident_id == s.resident_id
    window.pages[window.RECORD].back_button.click()
    assert window.current_page() == "beds"
    assert window.RECORD not in window.pages
    window.close()


def _click_nav(window, key: str) -> None:
    for i in range(window.nav.count()):
        item = window.nav.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == key:
            rect = window.nav.visualItemRect(item)
            QTest.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, rect.center())
            return
    raise AssertionError(key)


def test_the_page_her_record_was_opened_from_answers_a_click_in_the_navigation(qtbot, session):
    """Opened from the board (or the wizard), her record covers the page whose
    item stays current in the list: clicking that item shows its page again."""
    db = session.db
    s = admit_sample(db, room="201", bed="A")
    window = _window(qtbot, session, db.path)
    _click_nav(window, "beds")
    assert window.current_page() == "beds"
    window.open_record(s.resident_id)
    assert window.current_page() == window.RECORD
    _click_nav(window, "beds")
    assert window.current_page() == "beds"
    window.open_record(s.resident_id)
    _click_nav(window, "intake")
    assert window.current_page() == "intake"
    window.close()
