"""Validation messages shown next to the field they concern.

The store and core name the field of every error (ValidationError.errors);
screens register one label per field name here and show each message under
its field, so a person sees at once what to correct. Errors whose field has
no label go to a general label rather than being dropped.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from shelterdesk.core.validation import FieldError
from shelterdesk.i18n import _


def error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label


def password_field(parent: QWidget) -> QLineEdit:
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


class FieldErrors:
    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}

    def add(self, name: str, label: QLabel) -> QLabel:
        self.labels[name] = label
        return label

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()

    def show(self, errors: list[FieldError], fallback: str) -> None:
        """Each message next to its field; those without a label go to ``fallback``."""
        by_field: dict[str, list[str]] = {}
        for e in errors:
            key = e.field if e.field in self.labels else fallback
            by_field.setdefault(key, []).append(e.message)
        for name, messages in by_field.items():
            self.labels[name].setText("\n".join(messages))
            self.labels[name].show()

    def text(self, name: str) -> str:
        return self.labels[name].text()
