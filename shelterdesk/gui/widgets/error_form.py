"""A form whose fields each carry their own error line.

Why: a validation message must appear next to the field it concerns
(core.validation names the field, e.g. ``birth_date`` or
``children[0].birth_date``), not in a pop-up the person has to remember.
Views register their fields here under those names and hand the form a
ValidationError; messages for fields it does not know are returned so the
caller can show them elsewhere.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from shelterdesk.core.validation import FieldError
from shelterdesk.gui.widgets.date_edit import DateEdit


def error_label() -> QLabel:
    lab = QLabel()
    lab.setProperty("role", "error")
    lab.setWordWrap(True)
    lab.hide()
    return lab


class ErrorForm(QFormLayout):
    """A QFormLayout where ``add_field`` puts an error line under the widget."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.fields: dict[str, tuple[QWidget, QLabel]] = {}

    def add_field(self, name: str | None, label: str, widget: QWidget,
                  extra: QWidget | None = None) -> QLabel:
        """Add a row; ``extra`` is shown beside the widget (e.g. a time box)."""
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        if extra is not None:
            from PySide6.QtWidgets import QHBoxLayout
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            h.addWidget(widget, 1)
            h.addWidget(extra)
            v.addWidget(row)
        else:
            v.addWidget(widget)
        err = error_label()
        v.addWidget(err)
        lab = QLabel(label)
        lab.setBuddy(widget)
        self.addRow(lab, box)
        if name:
            self.fields[name] = (widget, err)
        if isinstance(widget, DateEdit):
            widget.problemChanged.connect(lambda msg, e=err: set_error(e, msg))
        return err

    def clear_errors(self) -> None:
        for _w, err in self.fields.values():
            set_error(err, "")

    def show_errors(self, errors: list[FieldError], prefix: str = "") -> list[FieldError]:
        """Show each error next to its field; returns those this form does
        not hold. The first field with an error gets the focus."""
        self.clear_errors()
        rest, first = [], None
        grouped: dict[str, list[str]] = {}
        for e in errors:
            name = e.field[len(prefix):] if prefix and e.field.startswith(prefix) else e.field
            if (not prefix or e.field.startswith(prefix)) and name in self.fields:
                grouped.setdefault(name, []).append(e.message)
                first = first or name
            else:
                rest.append(e)
        for name, msgs in grouped.items():
            set_error(self.fields[name][1], "\n".join(msgs))
        if first:
            self.fields[first][0].setFocus()
        return rest

    def error_text(self, name: str) -> str:
        err = self.fields[name][1]
        return err.text() if not err.isHidden() else ""


def set_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))
