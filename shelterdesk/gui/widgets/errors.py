"""The one way a message about what was typed reaches the person: next to the
field it concerns.

Why: a validation message must appear beside the field it names
(core.validation names the field, e.g. ``birth_date`` or
``children[0].birth_date``), not in a pop-up the person has to remember.
Screens register their fields under those names, either row by row in an
:class:`ErrorForm` (a form layout whose rows each carry an error line) or
label by label in a :class:`FieldErrors` (for forms laid out otherwise, e.g.
Designer forms). Both answer :meth:`show_errors` the same way: each message
under its field, the first such field focused, and the errors they do not
hold returned so the caller can show them in a general line — never dropped.
``gui.operations.run_action`` does that routing for every user action.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.validation import FieldError
from shelterdesk.gui.widgets.date_edit import DateEdit


def error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden, word-wrapped line styled as an error (``role="error"`` in the
    stylesheet)."""
    label = QLabel(parent)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label


def set_error(label: QLabel, message: str) -> None:
    """Show ``message`` (or hide the line when it is empty)."""
    label.setText(message)
    label.setVisible(bool(message))


class FieldErrors:
    """Error lines by field name; each may know the widget it belongs to, which
    gets the focus when its field is the first one in error."""

    def __init__(self) -> None:
        self.fields: dict[str, tuple[QWidget | None, QLabel]] = {}

    def add(self, name: str, label: QLabel, widget: QWidget | None = None) -> QLabel:
        """Register ``label`` as ``name``'s error line. Once the person edits
        ``widget``, its message is stale and is cleared (the next check says
        again what is still wrong)."""
        self.fields[name] = (widget, label)
        _clear_when_edited(widget, label)
        return label

    def clear_errors(self) -> None:
        for _widget, label in self.fields.values():
            set_error(label, "")

    def show_errors(self, errors: list[FieldError], prefix: str = "",
                    focus: bool = True) -> list[FieldError]:
        """Each error under its field; returns the errors this set does not
        hold (``prefix`` selects e.g. the ``children[0].`` errors of one row).
        The first field in error gets the focus unless ``focus`` is False."""
        self.clear_errors()
        rest: list[FieldError] = []
        grouped: dict[str, list[str]] = {}
        for e in errors:
            held = not prefix or e.field.startswith(prefix)
            name = e.field[len(prefix):] if prefix and held else e.field
            if held and name in self.fields:
                grouped.setdefault(name, []).append(e.message)
            else:
                rest.append(e)
        for name, messages in grouped.items():
            set_error(self.fields[name][1], "\n".join(messages))
        first = next(iter(grouped), None)
        if focus and first is not None and self.fields[first][0] is not None:
            self.fields[first][0].setFocus()
        return rest

    def error_text(self, name: str) -> str:
        label = self.fields[name][1]
        return label.text() if not label.isHidden() else ""


def _clear_when_edited(widget: QWidget | None, label: QLabel) -> None:
    """Signals a person's edit emits (not a program's setText)."""
    clear = lambda *_a: set_error(label, "")  # noqa: E731
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(clear)
    elif isinstance(widget, QComboBox):
        widget.activated.connect(clear)
        if widget.isEditable() and widget.lineEdit() is not None:
            widget.lineEdit().textEdited.connect(clear)
    elif isinstance(widget, QAbstractSpinBox):
        widget.editingFinished.connect(clear)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(lambda: widget.hasFocus() and set_error(label, ""))
    elif isinstance(widget, QAbstractButton):
        widget.clicked.connect(clear)


class ErrorForm(QFormLayout):
    """A QFormLayout where :meth:`add_field` puts an error line under the widget."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.errors = FieldErrors()

    @property
    def fields(self) -> dict[str, tuple[QWidget | None, QLabel]]:
        return self.errors.fields

    def add_field(self, name: str | None, label: str, widget: QWidget,
                  extra: QWidget | None = None) -> QLabel:
        """Add a row; ``extra`` is shown beside the widget (e.g. a time box)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if extra is not None:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(widget, 1)
            line.addWidget(extra)
            column.addWidget(row)
        else:
            column.addWidget(widget)
        err = error_label()
        column.addWidget(err)
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.addRow(caption, box)
        if name:
            self.errors.add(name, err, widget)
        if isinstance(widget, DateEdit):
            widget.problemChanged.connect(lambda msg, e=err: set_error(e, msg))
        return err

    def clear_errors(self) -> None:
        self.errors.clear_errors()

    def show_errors(self, errors: list[FieldError], prefix: str = "",
                    focus: bool = True) -> list[FieldError]:
        return self.errors.show_errors(errors, prefix, focus)

    def error_text(self, name: str) -> str:
        return self.errors.error_text(name)



def show_field_errors(errors: list[FieldError], targets, general: QLabel | None) -> None:
    """Route ``errors`` through ``targets`` (ErrorForms or FieldErrors, in
    order; the first field in error gets the focus); what none of them holds
    goes to ``general``, one message a line."""
    rest, focused = list(errors), False
    for target in targets:
        before = len(rest)
        rest = target.show_errors(rest, focus=not focused)
        focused = focused or len(rest) < before
    if general is not None:
        set_error(general, "\n".join(e.message for e in rest))


def clear_field_errors(targets, general: QLabel | None) -> None:
    for target in targets:
        target.clear_errors()
    if general is not None:
        set_error(general, "")
