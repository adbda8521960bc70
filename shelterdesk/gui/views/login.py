"""Logging in: account + password, unlocked off the UI thread.

A failure says "Wrong login or password." and nothing more (which of the two
was wrong is exactly what someone guessing wants to know). Repeated failures
make the store ask for a growing wait; the button shows the countdown instead
of letting the attempt fail. The password field is cleared after every try so
it never lingers in memory longer than needed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shelterdesk.gui.forms.ui_login import Ui_LoginForm
from shelterdesk.gui.operations import failure_message
from shelterdesk.gui.tasks import run_task
from shelterdesk.i18n import _
from shelterdesk.store.throttle import Throttle

if TYPE_CHECKING:  # the store's crypto is imported at the first unlock, not at start
    from shelterdesk.store.vault import KdfParams


class LoginPanel(QWidget):
    """The login form (from ui/login.ui). Emits ``unlocked(Session)`` on the UI
    thread; the Session is the caller's to keep and to lock."""

    unlocked = Signal(object)
    recovery_requested = Signal()

    def __init__(self, db_path: Path, parent: QWidget | None = None, *,
                 show_recovery: bool = True):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.ui = Ui_LoginForm()
        self.ui.setupUi(self)
        self.ui.recoveryButton.setVisible(show_recovery)
        self.ui.unlockButton.clicked.connect(self.submit)
        self.ui.login.returnPressed.connect(self._login_enter)
        self.ui.password.returnPressed.connect(self.submit)
        self.ui.recoveryButton.clicked.connect(self.recovery_requested)
        self._busy = False
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self._tick()

    # -- state ---------------------------------------------------------------
    def set_login(self, login: str) -> None:
        self.ui.login.setText(login)
        self.ui.password.setFocus()

    def show_message(self, text: str) -> None:
        self.ui.message.setText(text)

    def message(self) -> str:
        return self.ui.message.text()

    def _login_enter(self) -> None:
        if self.ui.password.text():
            self.submit()
        else:
            self.ui.password.setFocus()

    def _tick(self) -> None:
        """Enable the button only when the store allows the next attempt."""
        wait = Throttle(self.db_path).wait_seconds() if self.db_path.exists() else 0.0
        if wait > 0:
            self.ui.unlockButton.setEnabled(False)
            self.ui.unlockButton.setText(_("Wait {n} s").format(n=math.ceil(wait)))
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self._countdown.stop()
            self.ui.unlockButton.setText(_("Log in"))
            self.ui.unlockButton.setEnabled(not self._busy)

    # -- unlocking -------------------------------------------------------------
    def submit(self) -> None:
        if self._busy or not self.ui.unlockButton.isEnabled():
            return
        login = self.ui.login.text().strip()
        password = self.ui.password.text()
        if not login:
            self.show_message(_("Enter your login."))
            self.ui.login.setFocus()
            return
        if not password:
            self.show_message(_("Enter your password."))
            self.ui.password.setFocus()
            return
        self.ui.password.clear()
        self._busy = True
        self.ui.unlockButton.setEnabled(False)
        self.show_message(_("Opening…"))
        path = self.db_path
        from shelterdesk.store import session as sessions
        run_task(self, lambda: sessions.unlock(path, login, password),
                 self._done, self._failed)

    def _done(self, session) -> None:
        self._busy = False
        self.show_message("")
        self._tick()
        self.unlocked.emit(session)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.show_message(failure_message(error))
        self.ui.password.setFocus()
        self._tick()


class LoginScreen(QWidget):
    """The window shown at start when a database exists."""

    unlocked = Signal(object)

    def __init__(self, db_path: Path, *, kdf: KdfParams | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._kdf = kdf
        self.setWindowTitle(_("ShelterDesk — log in"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 30, 40, 30)
        title = QLabel(_("ShelterDesk"), self)
        title.setProperty("role", "title")
        lay.addWidget(title)
        hint = QLabel(_("Log in with your own account. Never share your password."), self)
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.panel = LoginPanel(self.db_path, self)
        self.panel.unlocked.connect(self.unlocked)
        self.panel.recovery_requested.connect(self.open_recovery)
        lay.addWidget(self.panel)
        path_label = QLabel(_("Database: {path}").format(path=self.db_path), self)
        path_label.setProperty("role", "hint")
        path_label.setWordWrap(True)
        path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(path_label)
        lay.addStretch(1)
        self.resize(520, 320)
        self.recovery_dialog = None

    def open_recovery(self) -> None:
        from shelterdesk.gui.dialogs.recovery import RecoveryResetDialog
        self.recovery_dialog = RecoveryResetDialog(self.db_path, kdf=self._kdf, parent=self)
        self.recovery_dialog.password_reset.connect(self.panel.set_login)
        self.recovery_dialog.open()
