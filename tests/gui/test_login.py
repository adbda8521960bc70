"""Logging in: success, a wrong password (one sentence, nothing more; audited
at the next success), the growing wait, and the recovery-code path."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt

from shelterdesk.gui.app import Controller
from shelterdesk.gui.main_window import MainWindow
from shelterdesk.gui.views.login import LoginScreen
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import WrongPassword
from shelterdesk.store.vault import TEST_KDF

ADMIN, PASSWORD = "admin", "correct horse 1"


def _login(qtbot, screen: LoginScreen, login: str, password: str) -> None:
    screen.panel.ui.login.setText(login)
    screen.panel.ui.password.setFocus()
    qtbot.keyClicks(screen.panel.ui.password, password)
    qtbot.keyClick(screen.panel.ui.password, Qt.Key.Key_Return)


def test_login_success_opens_the_main_window(qtbot, db_path, shoot):
    controller = Controller(db_path, kdf=TEST_KDF)
    screen = controller.start()
    assert isinstance(screen, LoginScreen)
    shoot(screen, "login")
    _login(qtbot, screen, ADMIN, PASSWORD)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=5000)
    window = controller.main_window
    qtbot.addWidget(window)
    assert window.session.account.login == ADMIN
    assert "管理者 テスト" in window.staff_label.text()
    assert window.isVisible()
    qtbot.waitUntil(lambda: not shiboken6.isValid(screen))  # the login window is gone
    window.close()


def test_wrong_password_says_so_and_is_audited_at_next_login(qtbot, db_path):
    screen = LoginScreen(db_path)
    qtbot.addWidget(screen)
    screen.show()
    unlocked = []
    screen.unlocked.connect(unlocked.append)
    _login(qtbot, screen, ADMIN, "not the password")
    qtbot.waitUntil(lambda: screen.panel.message() == "Wrong login or password.", timeout=5000)
    assert screen.panel.ui.password.text() == ""  # never left in the field
    # A login that does not exist gets exactly the same sentence.
    qtbot.waitUntil(lambda: screen.panel.ui.unlockButton.isEnabled(), timeout=5000)
    _login(qtbot, screen, "nobody", "whatever 123")
    qtbot.waitUntil(lambda: not screen.panel._busy, timeout=5000)
    assert screen.panel.message() == "Wrong login or password."
    assert not unlocked
    qtbot.waitUntil(lambda: screen.panel.ui.unlockButton.isEnabled(), timeout=10_000)
    _login(qtbot, screen, ADMIN, PASSWORD)
    qtbot.waitUntil(lambda: bool(unlocked), timeout=5000)
    session = unlocked[0]
    try:
        failed = session.db.query("SELECT detail FROM audit WHERE action='login_failed'")
        assert len(failed) == 2  # both failures, each audited once
        assert ("login=admin",) in failed
        assert session.db.query_one("SELECT count(*) FROM audit WHERE action='login'")[0] >= 1
    finally:
        session.lock()


def test_repeated_failures_disable_the_button_with_a_countdown(qtbot, db_path):
    for _ in range(2):  # the third attempt must wait (2 s; it grows from there)
        try:
            sessions.unlock(db_path, ADMIN, "wrong wrong")
        except WrongPassword:
            pass
    assert sessions.wait_seconds(db_path) > 0
    screen = LoginScreen(db_path)
    qtbot.addWidget(screen)
    screen.show()
    button = screen.panel.ui.unlockButton
    assert not button.isEnabled()
    assert button.text().startswith("Wait ")
    # Enter does not get round the wait.
    _login(qtbot, screen, ADMIN, PASSWORD)
    assert not screen.panel._busy
    qtbot.waitUntil(button.isEnabled, timeout=15_000)
    assert button.text() == "Log in"


def test_recovery_code_resets_an_administrator_password(qtbot, db_path, recovery_code):
    screen = LoginScreen(db_path, kdf=TEST_KDF)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.mouseClick(screen.panel.ui.recoveryButton, Qt.MouseButton.LeftButton)
    dialog = screen.recovery_dialog
    assert dialog.isVisible()
    dialog.code.setText("WRONG-CODE")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.code_error.text()), timeout=5000)
    assert dialog.pages.currentIndex() == 0
    dialog.code.setText(recovery_code.lower().replace("-", " "))
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=5000)
    assert dialog.account.count() == 1
    dialog.password.setText("a new password 2")
    dialog.password2.setText("a new password 2")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert screen.panel.ui.login.text() == ADMIN
    sessions.unlock(db_path, ADMIN, "a new password 2").lock()
    try:
        sessions.unlock(db_path, ADMIN, PASSWORD)
        raise AssertionError("the old password still opens the database")
    except WrongPassword:
        pass


def test_recovery_session_closes_by_itself(qtbot, db_path, recovery_code, monkeypatch):
    """Opened with the recovery code and then left alone, the recovery session
    closes: it opens everything and belongs to no account."""
    from shelterdesk.gui.dialogs.recovery import RecoveryResetDialog

    monkeypatch.setattr(RecoveryResetDialog, "RECOVERY_TIMEOUT_MS", 300)
    screen = LoginScreen(db_path, kdf=TEST_KDF)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.mouseClick(screen.panel.ui.recoveryButton, Qt.MouseButton.LeftButton)
    dialog = screen.recovery_dialog
    dialog.code.setText(recovery_code)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=5000)
    session = dialog.session
    assert session.db.is_open
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert not session.db.is_open
