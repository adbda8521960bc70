"""The one yes/no question: Qt's message box with our translated buttons and
"No" as the default, so a tired Enter never confirms something that cannot be
undone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

#: A yes/no question a screen can be given instead (tests answer it themselves).
Ask = Callable[[QWidget, str, str], bool]


def ask_yes_no(parent: QWidget | None, title: str, text: str, *,
               default_yes: bool = False) -> bool:
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, text, yes | no,
                                yes if default_yes else no) == yes
