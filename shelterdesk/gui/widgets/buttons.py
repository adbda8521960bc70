"""The button row that closes a small dialog: its action on the right, the
default for Enter, then Cancel. One shape for every such dialog (discharge,
move to another bed), so Enter and Esc do the same everywhere."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget

from shelterdesk.i18n import _


def action_row(dialog: QDialog, text: str, action: Callable) -> tuple[QHBoxLayout, QPushButton]:
    """A row with the ``text`` button (calls ``action``) and Cancel (rejects
    ``dialog``); returns the row and the action button."""
    row = QHBoxLayout()
    row.addStretch(1)
    button = QPushButton(text)
    button.setDefault(True)
    cancel = QPushButton(_("Cancel"))
    button.clicked.connect(action)
    cancel.clicked.connect(dialog.reject)
    row.addWidget(button)
    row.addWidget(cancel)
    return row, button


def enter_presses_buttons(container: QWidget) -> None:
    """Enter on a focused button clicks it, as Space does, on a page that is
    not a dialog (the first-run screen, her record). Outside a QDialog a
    QPushButton is not "auto default" and ignores Enter; people who move
    with Tab press Enter. Call once the page's buttons exist."""
    for button in container.findChildren(QPushButton):
        button.setAutoDefault(True)
