"""Import the Excel ledger (stays.csv and optionally children.csv).

Why this order of steps: an import writes hundreds of records at once and is
all or nothing (store.ledger_import). So the files are first read and checked
without writing anything, the person sees the counts and *every* error (row as
Excel shows it, column, reason) and can fix the ledger in Excel, and Import is
possible only when there is no error at all. Reading, checking and writing run
on a worker thread (core.ledger / store.ledger_import never touch a widget);
``run_task(..., reports_progress=True)`` moves the bar on the UI thread. A
finished import is announced on the change hub (IMPORT): the list and the
board refresh themselves.

The files are read once, when checked: importing uses exactly what was shown,
even if the file changes on the stick meanwhile.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import ledger
from shelterdesk.gui import changes
from shelterdesk.gui.operations import failure_message
from shelterdesk.gui.tasks import run_task
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.gui.widgets.screen_fit import fit_to_screen
from shelterdesk.i18n import _, ngettext
from shelterdesk.store import ledger_import
from shelterdesk.store.errors import StoreError

MAX_FILE_BYTES = 200 * 1024 * 1024


def _check(session, stays_bytes: bytes, children_bytes: bytes | None, progress):
    """Worker: read the ledger and ask the database what would happen."""
    try:
        plan = ledger.read_ledger(stays_bytes, children_bytes, progress=progress)
    except ledger.LedgerFileError as e:
        plan = ledger.LedgerPlan(errors=[ledger.LedgerError(ledger.STAYS_FILE, None, "",
                                                            str(e))])
    summary = ledger_import.preview(session, plan)
    return plan, summary


class LedgerImportDialog(QDialog):
    #: After a successful import (the summary): lists and the board refresh.
    imported = Signal(object)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.plan: ledger.LedgerPlan | None = None
        self.preview: ledger_import.ImportSummary | None = None
        self.summary: ledger_import.ImportSummary | None = None
        self._busy = False
        self.setWindowTitle(_("Import the Excel ledger"))
        fit_to_screen(self, 820, 600)
        lay = QVBoxLayout(self)
        intro = QLabel(_("Choose the ledger exported from Excel as CSV (UTF-8 or Excel's "
                         "\"CSV\"). Nothing is written until you press Import, and only when "
                         "the check finds no error."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.stays_path = QLineEdit()
        self.children_path = QLineEdit()
        self.children_path.setPlaceholderText(_("optional"))
        for edit, label, name in ((self.stays_path, _("Stays (stays.csv)"), "stays.csv"),
                                  (self.children_path, _("Children (children.csv)"),
                                   "children.csv")):
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            browse = QPushButton(_("Choose…"))
            browse.clicked.connect(lambda _c=False, e=edit, n=name: self._browse(e, n))
            row.addWidget(browse)
            box = QWidget()
            box.setLayout(row)
            row.setContentsMargins(0, 0, 0, 0)
            form.addRow(label, box)
        lay.addLayout(form)
        self.check_button = QPushButton(_("Check"))
        self.check_button.clicked.connect(self.check)
        lay.addWidget(self.check_button)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        lay.addWidget(self.counts)
        self.errors_title = QLabel()
        self.errors_title.setProperty("role", "alert")
        lay.addWidget(self.errors_title)
        self.errors = QTableWidget(0, 4)
        self.errors.setHorizontalHeaderLabels([_("File"), _("Row"), _("Column"), _("Reason")])
        self.errors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.errors.verticalHeader().hide()
        self.errors.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.errors, 1)
        self.bar = QProgressBar()
        self.bar.hide()
        lay.addWidget(self.bar)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        lay.addWidget(self.result_label)
        self.error = error_label()
        lay.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton(_("Import"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        lay.addLayout(buttons)
        self.stays_path.textChanged.connect(self._files_changed)
        self.children_path.textChanged.connect(self._files_changed)
        account = session.account
        if not account or not any(account.has(r) for r in ledger_import.IMPORT_ROLES):
            set_error(self.error, _("Only a manager or an administrator may import the ledger."))
            self.check_button.setEnabled(False)

    # -- choosing files ------------------------------------------------------------
    def _browse(self, edit: QLineEdit, name: str) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("Choose {name}").format(name=name),
                                               edit.text() or str(Path.home()),
                                               _("CSV files (*.csv);;All files (*)"))
        if path:
            edit.setText(path)

    def _files_changed(self) -> None:
        self.plan = self.preview = None
        self.import_button.setEnabled(False)

    def _read(self, edit: QLineEdit, name: str) -> bytes | None:
        text = edit.text().strip()
        if not text:
            return None
        p = Path(text)
        if not p.is_file():
            raise OSError(_("{name}: there is no such file.").format(name=name))
        if p.stat().st_size > MAX_FILE_BYTES:
            raise OSError(_("{name} is too large to be a ledger.").format(name=name))
        return p.read_bytes()

    # -- checking --------------------------------------------------------------------
    def check(self) -> None:
        if self._busy:
            return
        set_error(self.error, "")
        self.result_label.clear()
        try:
            stays_bytes = self._read(self.stays_path, "stays.csv")
            children_bytes = self._read(self.children_path, "children.csv")
        except OSError as e:
            set_error(self.error, str(e))
            return
        if stays_bytes is None:
            set_error(self.error, _("Choose stays.csv first."))
            return
        self._start(_("Checking…"))
        session = self.session
        run_task(self, lambda progress: _check(session, stays_bytes, children_bytes, progress),
                 self._checked, self._failed, reports_progress=True, on_progress=self._moved)

    def _checked(self, result) -> None:
        self._stop()
        self.plan, self.preview = result
        plan, pv = self.plan, self.preview
        errors = list(pv.errors)
        self.errors.setRowCount(0)
        for i, e in enumerate(errors):
            self.errors.insertRow(i)
            for c, text in enumerate((e.file, "" if e.row is None else str(e.row), e.column,
                                      e.reason)):
                self.errors.setItem(i, c, QTableWidgetItem(text))
        self.errors.resizeColumnsToContents()
        self.errors_title.setText(ngettext(
            "{n} error: fix the ledger in Excel and check again. Nothing was written.",
            "{n} errors: fix the ledger in Excel and check again. Nothing was written.",
            len(errors)).format(n=len(errors)) if errors else "")
        lines = [_("Read: {stays} stays of {residents} women, {children} child rows.").format(
            stays=plan.stay_count, residents=plan.resident_count,
            children=plan.child_row_count)]
        if not errors:
            lines.append(_("Import would add {sn} new stays ({sp} already present), "
                           "{rn} new residents ({re} already recorded get new stays), "
                           "{cn} new children ({cp} already present).").format(
                sn=pv.stays_new, sp=pv.stays_present, rn=pv.residents_new,
                re=pv.residents_existing, cn=pv.children_new, cp=pv.children_present))
        if plan.ignored_columns:
            cols = ", ".join(f"{f}: {c}" for f, c in plan.ignored_columns)
            lines.append(_("Columns not imported: {cols}").format(cols=cols))
        self.counts.setText("\n".join(lines))
        self.import_button.setEnabled(not errors and pv.stays_new + pv.children_new > 0)
        if not errors and pv.stays_new + pv.children_new == 0:
            self.result_label.setText(_("Everything in this ledger is already imported."))

    # -- importing ----------------------------------------------------------------------
    def start_import(self) -> None:
        if self._busy or self.plan is None or self.preview is None or self.preview.errors:
            return
        plan = self.plan
        self._start(_("Importing…"))
        self.import_button.setEnabled(False)
        session = self.session
        run_task(self, lambda progress: ledger_import.apply(session, plan, progress=progress),
                 self._imported, self._failed, reports_progress=True, on_progress=self._moved)

    def _imported(self, summary) -> None:
        self._stop()
        self.summary = summary
        self.plan = self.preview = None
        text = _("Imported: {sn} new stays ({sp} already present), {cn} new children "
                 "({cp} already present).").format(
            sn=summary.stays_new, sp=summary.stays_present, cn=summary.children_new,
            cp=summary.children_present)
        new = [s for s in summary.stays if s.new]
        if new:
            shown = ", ".join(f"{s.ledger_id} → {s.stay_id}/{s.resident_id}" for s in new[:20])
            more = _(" and {n} more").format(n=len(new) - 20) if len(new) > 20 else ""
            text += "\n" + _("Ledger id → stay no./resident no.: {list}{more}").format(
                list=shown, more=more)
        if summary.without_bed:
            text += "\n" + ngettext(
                "{n} stay in residence has no bed yet: assign it on the rooms and beds board.",
                "{n} stays in residence have no bed yet: assign them on the rooms and beds "
                "board.", len(summary.without_bed)).format(n=len(summary.without_bed))
        self.result_label.setText(text)
        changes.announce(changes.change(changes.IMPORT))
        self.imported.emit(summary)

    def _failed(self, error: BaseException) -> None:
        self._stop()
        if isinstance(error, ledger_import.LedgerRejected):
            # The database changed between check and import: show every error.
            self._checked((self.plan or ledger.LedgerPlan(),
                           ledger_import.ImportSummary(errors=list(error.errors))))
        if isinstance(error, StoreError | OSError):
            set_error(self.error, failure_message(error))
        elif isinstance(error, ValueError):
            set_error(self.error, str(error))
        else:
            set_error(self.error, _("The import failed; nothing was written ({kind}).").format(
                kind=type(error).__name__))

    # -- progress ------------------------------------------------------------------------
    def _start(self, text: str) -> None:
        self._busy = True
        self.bar.setRange(0, 0)
        self.bar.setFormat(text + " %p%")
        self.bar.show()
        for b in (self.check_button, self.import_button, self.close_button):
            b.setEnabled(False)

    def _stop(self) -> None:
        self._busy = False
        self.bar.hide()
        self.check_button.setEnabled(True)
        self.close_button.setEnabled(True)

    def _moved(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def reject(self) -> None:
        if not self._busy:  # never close while the worker holds the connection
            super().reject()
