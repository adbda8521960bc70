"""The button row that closes a small dialog: its action on the right, the
default for Enter, then Cancel. One shape for every such dialog (discharge,
move to another bed), so Enter and Esc do the same everywhere."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton

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
