"""The aftercare schedule after her discharge: the default proposal (phone at
+7, +14, +30, +90, +180, +365 days; a visit at +30 when she agrees), each
date already moved to a working day, an assignee per item, all editable
before saving; or "no aftercare", which needs a reason. One store call.

Opened from her record when the discharge dialog reports the stay closed
(``RecordView.discharged``), and from her aftercare tab for a stay that has
no schedule yet."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.aftercare import NewItem
from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.aftercare.common import assignee_combo, assignee_data, assignee_ids
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.gui.widgets.pickers import code_combo, set_combo
from shelterdesk.i18n import _
from shelterdesk.store import aftercare as aftercare_repo
from shelterdesk.store import stays


class ScheduleDialog(QDialog):
    def __init__(self, session, stay_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Aftercare schedule"))
        self.session = session
        self.db = session.db
        self.stay_id = stay_id
        stay = stays.get_stay(self.db, stay_id)
        self.stay = stay
        self.resident_id = stay.resident_id
        layout = QVBoxLayout(self)
        head = QLabel(_("Stay no. {sid} — discharged {d}. Follow-up calls and visits after "
                        "she leaves; every date is a working day.").format(
            sid=stay_id, d=format_date(stay.discharged_on)))
        head.setWordWrap(True)
        layout.addWidget(head)
        self.visit = QCheckBox(_("She agrees to a visit interview (+30 days)"))
        self.visit.toggled.connect(self.propose)
        layout.addWidget(self.visit)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Kind"), _("Due date"), _("Assignee")])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(260)
        # Tab walks the widgets in the cells and then leaves the table (Qt's
        # own Tab moves between cells and never reaches the buttons below).
        self.table.setTabKeyNavigation(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("Add an item"))
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button = QPushButton(_("Remove the selected item"))
        self.remove_button.clicked.connect(self.remove_row)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.form = ErrorForm()
        self.none = QCheckBox(_("No aftercare"))
        self.none.toggled.connect(self._none_toggled)
        self.reason = QLineEdit()
        self.form.add_field(None, "", self.none)
        self.form.add_field("none_reason", _("Reason for no aftercare"), self.reason)
        layout.addLayout(self.form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Later"))
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = QPushButton(_("Save schedule"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)
        self._none_toggled(False)
        self.propose()
        QApplication.instance().focusChanged.connect(self._focus_changed)
        self.resize(760, 560)

    def propose(self) -> None:
        self.table.setRowCount(0)
        me = self.session.account.id if self.session.account else None
        for p in aftercare_repo.propose(self.db, self.stay.discharged_on,
                                        visit=self.visit.isChecked()):
            self.add_row(p.kind, p.due_on, (me, None))

    def add_row(self, kind: str, due, assignee=(None, None)) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        kind_box = code_combo(codes.AFTERCARE_KIND)
        set_combo(kind_box, kind)
        date_edit = DateEdit(value=due)
        who = assignee_combo(self.db, blank=_("— unassigned —"))
        set_combo(who, assignee_data(*assignee))
        self.table.setCellWidget(r, 0, kind_box)
        self.table.setCellWidget(r, 1, date_edit)
        self.table.setCellWidget(r, 2, who)
        self.table.setRowHeight(r, 34)
        self._tab_order()

    def _focus_changed(self, _old, new) -> None:
        """The row being edited is "the selected item" for the remove button."""
        if new is None or not self.table.isAncestorOf(new):
            return
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                cell = self.table.cellWidget(r, c)
                if cell is not None and (cell is new or cell.isAncestorOf(new)):
                    self.table.setCurrentCell(r, c)
                    return

    def _tab_order(self) -> None:
        """Visit, each row's kind, date and assignee, then the buttons and
        "No aftercare": the order they are seen in."""
        chain: list[QWidget] = [self.visit]
        for r in range(self.table.rowCount()):
            chain += [self.table.cellWidget(r, c) for c in range(self.table.columnCount())]
        chain += [self.add_button, self.remove_button, self.none, self.reason,
                  self.cancel_button, self.ok_button]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def _add_clicked(self) -> None:
        self.add_row("phone", None)
        self.table.cellWidget(self.table.rowCount() - 1, 1).setFocus()  # its date first

    def remove_row(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.table.removeRow(r)
            self._tab_order()
            if self.table.rowCount():
                self.table.cellWidget(min(r, self.table.rowCount() - 1), 0).setFocus()

    def _none_toggled(self, on: bool) -> None:
        self.reason.setEnabled(on)
        for w in (self.table, self.visit, self.add_button, self.remove_button):
            w.setEnabled(not on)

    def items(self) -> tuple[list[NewItem], list[FieldError]]:
        items, errors = [], []
        for r in range(self.table.rowCount()):
            kind = self.table.cellWidget(r, 0).currentData()
            edit: DateEdit = self.table.cellWidget(r, 1)
            if edit.problem() or edit.value_or_none() is None:
                errors.append(FieldError("items", _("Row {n}: {problem}").format(
                    n=r + 1, problem=edit.problem() or _("Due date is required."))))
                continue
            acc, partner = assignee_ids(self.table.cellWidget(r, 2).currentData())
            items.append(NewItem(kind, edit.value_or_none(), acc, partner))
        return items, errors

    def submit(self) -> bool:
        none = self.none.isChecked()
        items, errors = ([], []) if none else self.items()
        if not none and not items and not errors:
            errors.append(FieldError("items", _("Add at least one item, or choose "
                                                "“No aftercare”.")))
        reason = self.reason.text()

        def call():
            check(errors)
            return aftercare_repo.save_schedule(self.db, self.stay_id, None if none else items,
                                                reason if none else "")

        return run_action(self, call, forms=[self.form], general=self.error,
                          changed=changes.change(changes.AFTERCARE,
                                                 resident_id=self.resident_id,
                                                 stay_id=self.stay_id),
                          done=lambda _r: self.accept())
