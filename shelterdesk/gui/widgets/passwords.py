"""Password boxes and the "passwords do not match" check, one shape for setup,
recovery and staff accounts."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from shelterdesk.core.validation import FieldError
from shelterdesk.i18n import _


def password_field(parent: QWidget | None = None) -> QLineEdit:
    """A password box: what is typed is never shown."""
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def password_mismatch(password: str, repeated: str) -> list[FieldError]:
    """The repeat row's error (field ``password2``). Nothing while the first
    box is empty: that box has its own message then."""
    if password and password != repeated:
        return [FieldError("password2", _("The passwords do not match."))]
    return []
