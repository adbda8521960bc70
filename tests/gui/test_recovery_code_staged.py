"""Issue 8, item 7 in the GUI: the first-run creation shows the recovery code
before the database is usable (cancelling creates nothing), and an
administrator can make a new recovery code from the menu."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shelterdesk.gui import tasks
from shelterdesk.gui.app import Controller
from shelterdesk.gui.main_window import MainWindow
from shelterdesk.gui.views.first_run import FirstRunScreen
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import WrongPassword
from shelterdesk.store.vault import TEST_KDF
from tests.gui.test_first_run import _fill_create_form

ADMIN = "admin"
PASSWORD = "correct horse 1"


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def _start_creating(qtbot, tmp_path, type_text):
    path = tmp_path / "shelter" / "new.db"
    path.parent.mkdir()
    controller = Controller(path, kdf=TEST_KDF)
    screen = controller.start()
    assert isinstance(screen, FirstRunScreen)
    _fill_create_form(qtbot, screen, type_text)
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.recovery_dialog is not None
                    and screen.recovery_dialog.isVisible(), timeout=10_000)
    return controller, screen, path


def test_the_code_is_shown_before_the_database_exists(qtbot, tmp_path, type_text, shoot):
    controller, screen, path = _start_creating(qtbot, tmp_path, type_text)
    dialog = screen.recovery_dialog
    code = dialog.code_label.text()
    # Nothing usable at the path yet: only the staging files.
    assert not path.exists() and not path.with_name("new.db.keys").exists()
    assert all(name.startswith(".") for name in _files(path.parent))
    assert tasks.busy()  # the idle lock waits while the worker waits for the answer
    assert dialog.cancel_button.isVisible() and dialog.hint.isVisible()
    shoot(dialog, "recovery_code_first_run")
    # A stray Esc neither continues nor cancels.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    dialog.sealed.setChecked(True)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
    window = controller.main_window
    qtbot.addWidget(window)
    assert window.session.account.login == "chief"
    names = _files(path.parent)
    assert "new.db" in names and "new.db.keys" in names
    assert not any(".creating-" in n for n in names)
    window.close()
    sessions.unlock_with_recovery(path, code, TEST_KDF).lock()


def test_cancelling_the_code_creates_nothing(qtbot, tmp_path, type_text):
    controller, screen, path = _start_creating(qtbot, tmp_path, type_text)
    dialog = screen.recovery_dialog
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.create_button.isEnabled(), timeout=10_000)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert _files(path.parent) == []
    assert "Nothing was created" in screen.general_error.text()
    assert controller.window is screen
    # Trying again works, with a new code.
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.recovery_dialog is not None
                    and screen.recovery_dialog.isVisible(), timeout=10_000)
    again = screen.recovery_dialog
    again.sealed.setChecked(True)
    qtbot.keyClick(again.continue_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
    qtbot.addWidget(controller.main_window)
    controller.main_window.close()
    assert path.exists()


def test_closing_the_screen_while_the_code_is_shown_creates_nothing(qtbot, tmp_path,
                                                                      type_text):
    _controller, screen, path = _start_creating(qtbot, tmp_path, type_text)
    screen.deleteLater()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
    assert _files(path.parent) == []


def test_an_administrator_makes_a_new_recovery_code_from_the_menu(qtbot, session, db_path,
                                                                   recovery_code, shoot):
    questions = []
    window = MainWindow(session, db_path, idle_ms=60_000,
                        ask=lambda _p, title, text: questions.append(text) or True)
    qtbot.addWidget(window)
    window.show()
    _feature, action = window.actions_by_key["recovery_code"]
    assert action.isEnabled()
    action.trigger()
    assert questions and "sealed envelope" in questions[0]
    dialog = window.dialog
    qtbot.waitUntil(lambda: dialog.isVisible())
    code = dialog.code_label.text().replace("\n", "-")  # shown in lines of whole groups
    assert len(code.replace("-", "")) == 52 and code != recovery_code
    assert dialog.hint.isVisible() and not dialog.cancel_button.isVisible()
    shoot(dialog, "recovery_code_new")
    dialog.sealed.setChecked(True)
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.code_label.text() == ""
    window.close()
    if session.db.is_open:
        session.lock()
    sessions.unlock_with_recovery(db_path, code, TEST_KDF).lock()
    try:
        sessions.unlock_with_recovery(db_path, recovery_code, TEST_KDF).lock()
    except WrongPassword:
        pass
    else:
        raise AssertionError("the old code still opens")


def test_no_new_code_when_the_question_is_answered_no(qtbot, session, db_path, recovery_code):
    window = MainWindow(session, db_path, idle_ms=60_000, ask=lambda *_a: False)
    qtbot.addWidget(window)
    window.actions_by_key["recovery_code"][1].trigger()
    assert window.dialog is None
    window.close()
    if session.db.is_open:
        session.lock()
    sessions.unlock_with_recovery(db_path, recovery_code, TEST_KDF).lock()


def test_the_menu_entry_is_for_administrators_only(qtbot, session, db_path):
    from shelterdesk.store import accounts as accounts_repo
    accounts_repo.add_account(session, "desk1", "受付 テスト", {"intake"}, "staff password 2")
    session.lock()
    s = sessions.unlock(db_path, "desk1", "staff password 2")
    window = MainWindow(s, db_path, idle_ms=60_000)
    qtbot.addWidget(window)
    key = "recovery_code"
    assert key not in window.actions_by_key or not window.actions_by_key[key][1].isEnabled() \
        or not window.actions_by_key[key][1].isVisible()
    window.close()
