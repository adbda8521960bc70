"""Import a partner's results: decrypt the returned file (encrypted to the
facility's ``reply_to``) in memory, show what will change, and the conflicts
(an item changed here since the export) with both values side by side; the
local value is kept unless the user ticks "take the partner's". Nothing is
written before "Import"; a damaged, foreign or unknown file writes nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.i18n import _
from shelterdesk.transfer import handover


def _values(v) -> str:
    outcome, done, note = v
    return " / ".join(x for x in (codes.AFTERCARE_OUTCOME.label(outcome),
                                  format_date(done), note) if x) or "—"


class ResultsDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Import aftercare results"))
        self.db = session.db
        self.results: handover.ResultsFile | None = None
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        self.path = QLineEdit()
        self.choose_button = QPushButton(_("Choose…"))
        self.choose_button.clicked.connect(self.choose)
        self.form.add_field("path", _("File"), self.path, extra=self.choose_button)
        layout.addLayout(self.form)
        self.read_button = QPushButton(_("Read the file"))
        self.read_button.clicked.connect(self.read)
        layout.addWidget(self.read_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([_("Item no."), _("Name"), _("Here"),
                                              _("Partner"), _("Take the partner's")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        self.import_button = QPushButton(_("Import"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.apply)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.import_button)
        layout.addLayout(buttons)
        self.resize(860, 560)

    def choose(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, _("Choose the returned file"), "",
                                               _("age files (*.age);;All files (*)"))
        if name:
            self.path.setText(name)
            self.read()

    def read(self) -> bool:
        text = self.path.text().strip()
        errors = [] if text else [FieldError("path", _("Choose the file to import."))]
        self.results = None
        self.import_button.setEnabled(False)
        self.table.setRowCount(0)
        self.summary.setText("")

        def call():
            check(errors)
            return handover.read_results(self.db, Path(text))

        return run_action(self, call, forms=[self.form], general=self.error, done=self._show)

    def _show(self, results: handover.ResultsFile) -> None:
        self.results = results
        plan = results.plan
        self.summary.setText(_("{u} items will be updated, {k} are unchanged, {c} conflict "
                               "(changed here since the export: the local values are kept "
                               "unless you tick “Take the partner's”).").format(
            u=len(plan.updates), k=len(plan.unchanged), c=len(plan.conflicts)))
        rows = [(c, True) for c in plan.conflicts] + [(c, False) for c in plan.updates]
        self.table.setRowCount(len(rows))
        for r, (c, conflict) in enumerate(rows):
            cells = [str(c.item_id), c.display_name, _values(c.local), _values(c.partner)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, col, item)
            choice = QTableWidgetItem(_("conflict") if conflict else _("update"))
            choice.setData(Qt.ItemDataRole.UserRole, c.item_id)
            if conflict:
                choice.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                choice.setCheckState(Qt.CheckState.Unchecked)
            else:
                choice.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(r, 4, choice)
        self.table.resizeColumnsToContents()
        self.import_button.setEnabled(bool(plan.updates or plan.conflicts))
        self.import_button.setDefault(True)

    def taken(self) -> set[int]:
        out = set()
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 4)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and \
                    item.checkState() == Qt.CheckState.Checked:
                out.add(item.data(Qt.ItemDataRole.UserRole))
        return out

    def apply(self) -> bool:
        if self.results is None:
            return False
        results, taken = self.results, self.taken()
        return run_action(self, lambda: handover.apply(self.db, results, taken),
                          general=self.error, changed=changes.change(changes.AFTERCARE),
                          done=self._done)

    def _done(self, n: int) -> None:
        self.summary.setText(_("Imported: {n} items updated.").format(n=n))
        self.import_button.setEnabled(False)
        self.results = None
