"""What every tab of her record builds on: the tab class, her details saved
from several tabs at once, and the small read-only tables the tabs show.

A tab (see :class:`RecordTab`) builds its widgets in ``__init__`` and refills
them in :meth:`RecordTab.fill` after every load; it saves with ONE store call
through ``gui.operations.run_action`` and announces the change, and the page
reloads on that announcement (so a tab never reloads by hand and never opens a
transaction).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.models import Resident
from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.store import residents as residents_repo


class RecordTab(QWidget):
    """One tab of her record (the page wraps it in a scroll area)."""

    #: Ask the page to bring this tab to the front (e.g. a field in error is on it).
    reveal = Signal()

    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(parent)
        self.record = record

    def fill(self) -> None:
        """Show ``self.record`` as just loaded (unsaved typing is replaced)."""
        raise NotImplementedError

    def focus_first(self, target: int | None = None) -> None:
        """Put the focus on the tab's first widget that takes it by Tab (tabs
        override this to select ``target``, e.g. the line the Today page named)."""
        for w in self.findChildren(QWidget):
            if (w.isVisibleTo(self) and w.isEnabled()
                    and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
                first = w
                break
        else:
            return
        # findChildren is creation order; the Tab order decides which is first.
        candidate, seen = self.nextInFocusChain(), 0
        while seen < 500 and candidate is not self:
            if (self.isAncestorOf(candidate) and candidate.isVisibleTo(self)
                    and candidate.isEnabled()
                    and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus):
                first = candidate
                break
            candidate, seen = candidate.nextInFocusChain(), seen + 1
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_form(self, layout: QVBoxLayout, form: ErrorForm, save_text: str) -> None:
        """The usual body of an editing tab: ``form``, its save button on the
        right (calls ``self.save``), the tab's general error line, then space."""
        layout.addLayout(form)
        self.save_button = QPushButton(save_text)
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.general_line = error_label()
        layout.addWidget(self.general_line)
        layout.addStretch(1)

    def her_change(self, *kinds: str, stay_id: int | None = None) -> changes.Change:
        """The change to announce after a save on her record."""
        return changes.change(*kinds, resident_id=self.record.resident_id, stay_id=stay_id)


class DetailsPart(RecordTab):
    """A tab that edits part of her details (the profile, the safety flags).

    Why either tab's save writes all the parts: her details are one row in the
    store, and the reload after a save refills every tab; saving one part alone
    would throw away what was typed on the other tab."""

    #: Set by each part: the forms holding its fields, and its general line.
    forms: tuple[ErrorForm, ...] = ()
    general_line: QLabel

    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        record.details_parts.append(self)

    def apply_details(self, resident: Resident) -> list[FieldError]:
        """Write this part's fields onto ``resident``; return what typing alone got wrong."""
        raise NotImplementedError

    def save(self) -> bool:
        """Save her details from every part; errors beside their fields, the
        rest in this tab's general line."""
        record = self.record
        if record.resident is None:
            return False
        parts = list(record.details_parts)

        def call() -> None:
            resident = replace(record.resident)
            problems: list[FieldError] = []
            for part in parts:
                problems += part.apply_details(resident)
            check(problems)
            residents_repo.update_resident(record.db, resident)

        def failed(error: BaseException) -> None:
            if not isinstance(error, ValidationError):
                return
            fields = {e.field for e in error.errors}
            holder = next((p for p in parts if any(fields & set(f.fields) for f in p.forms)),
                          self)
            holder.reveal.emit()

        return run_action(self, call, forms=[f for p in parts for f in p.forms],
                          general=self.general_line, failed=failed,
                          changed=self.her_change(changes.RESIDENT))


def table(headers: list[str]) -> QTableWidget:
    """A read-only table of rows, one selected at a time."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().hide()
    t.horizontalHeader().setStretchLastSection(True)
    t.setMinimumHeight(110)
    return t


def fill_table(table: QTableWidget, rows: list[list[str]], ids: list[int]) -> None:
    """Replace the rows; each cell carries its record's id."""
    table.setRowCount(0)
    for r, (row, record_id) in enumerate(zip(rows, ids, strict=True)):
        table.insertRow(r)
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, record_id)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def selected_id(table: QTableWidget) -> int | None:
    item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item else None
