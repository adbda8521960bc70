"""What the window shows while locked: a login form and nothing else.

It is built fresh at every lock and knows only the database path, never the
previous session, its staff member or any record, so nothing of the data can
show through. Any staff member may unlock with her own password; that starts
a new session under her name.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shelterdesk.gui.views.login import LoginPanel
from shelterdesk.i18n import _


class LockScreen(QWidget):
    unlocked = Signal(object)

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        box = QWidget(self)
        box.setMaximumWidth(480)
        bl = QVBoxLayout(box)
        title = QLabel(_("ShelterDesk is locked"), box)
        title.setProperty("role", "title")
        bl.addWidget(title)
        hint = QLabel(_("Log in with your own account to continue."), box)
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        bl.addWidget(hint)
        self.panel = LoginPanel(Path(db_path), box, show_recovery=False)
        self.panel.unlocked.connect(self.unlocked)
        bl.addWidget(self.panel)
        lay.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(2)

    def focus(self) -> None:
        self.panel.ui.login.setFocus()
