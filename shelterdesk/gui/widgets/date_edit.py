"""A date field that accepts what Japanese staff type: 2026/11/21,
2026-11-21, R8.11.21 or 令和8年11月21日 (full-width digits too).

Why not QDateEdit: its sections fight a person typing an era date from a
police form, and it cannot be empty, while an unknown birth date must stay
empty rather than silently become 2000-01-01. The text is parsed with
core.dates.parse_date; a text that is not a date is never turned into one.
The widget reports a problem (``problem()``), and the form it sits in shows
that message next to the field.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from shelterdesk.core.dates import DateFormatError, format_era, parse_date
from shelterdesk.i18n import _


class DateEdit(QLineEdit):
    #: The message to show next to the field ("" when the text is a date or empty).
    problemChanged = Signal(str)
    #: Emitted when the parsed value changes (None when empty or invalid).
    valueChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None, value: date | None = None):
        super().__init__(parent)
        self.setPlaceholderText(_("e.g. 2026/11/21 or 令和8年11月21日"))
        self.setMinimumWidth(200)
        self._last_problem = ""
        self._last_value: date | None = None
        self.editingFinished.connect(self._finished)
        self.textChanged.connect(self._changed)
        if value is not None:
            self.set_value(value)

    # -- value -----------------------------------------------------------------
    def value(self) -> date | None:
        """The date typed, None when empty. Raises DateFormatError (with a
        message for a person) when the text is not a date."""
        text = self.text().strip()
        if not text:
            return None
        return parse_date(text)

    def value_or_none(self) -> date | None:
        try:
            return self.value()
        except DateFormatError:
            return None

    def problem(self) -> str:
        try:
            self.value()
        except DateFormatError as e:
            return str(e)
        return ""

    def set_value(self, d: date | None) -> None:
        self.setText(d.strftime("%Y/%m/%d") if d else "")
        self._finished()

    # -- signals ----------------------------------------------------------------
    def _changed(self, _text: str) -> None:
        v = self.value_or_none()
        if v != self._last_value:
            self._last_value = v
            self.valueChanged.emit(v)
        # A problem disappears as soon as the text is a date again; it is only
        # raised when the person leaves the field (no nagging mid-typing).
        if self._last_problem and not self.problem():
            self._set_problem("")

    def _finished(self) -> None:
        p = self.problem()
        v = self.value_or_none()
        self.setToolTip(format_era(v) if v else "")
        self._set_problem(p)

    def _set_problem(self, p: str) -> None:
        if p != self._last_problem:
            self._last_problem = p
            self.problemChanged.emit(p)
