"""The Reports page (managers and administrators): choose a month or a fiscal
year, see the figures, preview and print the PDF or save it, save the CSV.

The figures come from ``store/statistics.py`` (one object per report: the
table on screen is that object's CSV rows, so screen, CSV, JSON and PDF agree)
and are computed off the UI thread, as the PDF is built. Nothing is written
to disk except where the person chooses in "Save…"; every print and save is
audited with the report, the period and the format, never a name. Small-cell
suppression (counts of 1 or 2 as "<3") is a switch on the page, for figures
that leave the facility.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import report_figures as rf
from shelterdesk.core.dates import fiscal_year_label, fiscal_year_of
from shelterdesk.gui.dialogs.pdf_preview import PdfPreviewDialog
from shelterdesk.gui.operations import write_user_file
from shelterdesk.gui.tasks import run_task
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.i18n import _
from shelterdesk.reports.documents import ReportRequest, report
from shelterdesk.store import statistics

MONTHLY, FISCAL = "monthly", "fiscal-year"
#: The widest a column of figures grows (pixels).
MAX_COLUMN = 320


def figures_of(db, request: ReportRequest):
    """The report's figures object (run on a worker thread)."""
    if request.kind == MONTHLY:
        return statistics.monthly_report(db, request.year, request.month,
                                         suppress=request.suppress)
    return statistics.fiscal_year_report(db, request.year, suppress=request.suppress)


class ReportPreviewDialog(PdfPreviewDialog):
    """The preview of a report: audited as a report of a period, not a stay."""

    def __init__(self, session, result, request: ReportRequest, parent=None):
        self.request = request
        super().__init__(session, result, 0, request.kind, "ja", parent)
        self.setWindowTitle(f"{_(report(request.kind).title)} — {request.period_key}")

    def _audit(self, action: str) -> None:
        self.session.db.audit(action, "report", None,
                              f"doc={self.request.kind} period={self.request.period_key} "
                              f"format=pdf suppress={int(self.request.suppress)}")

    def suggested_name(self) -> str:
        return f"{self.request.kind}-{self.request.period_key}.pdf"


class ReportsPage(QWidget):
    def __init__(self, session, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.session = session
        self.figures = None
        self.preview: ReportPreviewDialog | None = None
        today = today or date.today()
        lay = QVBoxLayout(self)
        title = QLabel(_("Reports"))
        title.setProperty("role", "title")
        lay.addWidget(title)

        row = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.addItem(_("Monthly occupancy summary"), MONTHLY)
        self.kind.addItem(_("Fiscal-year statistics"), FISCAL)
        self.kind.setAccessibleName(_("Report"))
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setAccessibleName(_("Year"))
        self.month = QComboBox()
        for m in range(1, 13):
            self.month.addItem(_("{month} (month)").format(month=m), m)
        self.month.setAccessibleName(_("Month"))
        last_month = date(today.year, today.month, 1).toordinal() - 1
        last = date.fromordinal(last_month)
        self.year.setValue(last.year)
        self.month.setCurrentIndex(last.month - 1)
        self._default_fy = fiscal_year_of(today) - (1 if today.month in (4, 5) else 0)
        self.period_label = QLabel()
        self.suppress = QCheckBox(_("Suppress small counts (1 or 2 shown as \"<3\")"))
        self.show_button = QPushButton(_("Show figures"))
        self.show_button.setDefault(True)
        self.show_button.setAutoDefault(True)
        row.addWidget(QLabel(_("Report")))
        row.addWidget(self.kind)
        row.addWidget(QLabel(_("Year")))
        row.addWidget(self.year)
        row.addWidget(self.month)
        row.addWidget(self.period_label)
        row.addWidget(self.suppress)
        row.addStretch(1)
        row.addWidget(self.show_button)
        lay.addLayout(row)

        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(_("Figures"))
        lay.addWidget(self.table, 1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.error = error_label()
        lay.addWidget(self.error)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.preview_button = QPushButton(_("Preview and print…"))
        self.csv_button = QPushButton(_("Save as CSV…"))
        self.json_button = QPushButton(_("Save as JSON…"))
        for b in (self.preview_button, self.csv_button, self.json_button):
            b.setEnabled(False)
            buttons.addWidget(b)
        lay.addLayout(buttons)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year.valueChanged.connect(self._period_changed)
        self.month.currentIndexChanged.connect(self._period_changed)
        self.suppress.toggled.connect(self._period_changed)
        self.show_button.clicked.connect(self.show_figures)
        self.preview_button.clicked.connect(self.open_preview)
        self.csv_button.clicked.connect(lambda: self.save_as("csv"))
        self.json_button.clicked.connect(lambda: self.save_as("json"))
        for a, b in ((self.kind, self.year), (self.year, self.month), (self.month, self.suppress),
                     (self.suppress, self.show_button), (self.show_button, self.table),
                     (self.table, self.preview_button), (self.preview_button, self.csv_button),
                     (self.csv_button, self.json_button)):
            QWidget.setTabOrder(a, b)
        self._kind_changed()

    # -- choosing ----------------------------------------------------------------------------
    def request(self) -> ReportRequest:
        kind = self.kind.currentData()
        month = self.month.currentData() if kind == MONTHLY else None
        return ReportRequest(kind, self.year.value(), month, self.suppress.isChecked())

    def _kind_changed(self) -> None:
        fiscal = self.kind.currentData() == FISCAL
        self.month.setVisible(not fiscal)
        if fiscal and self.figures is None:
            self.year.setValue(self._default_fy)
        self._period_changed()

    def _period_changed(self) -> None:
        r = self.request()
        if r.kind == FISCAL:
            self.period_label.setText(_("{label} (April {start} – March {end})").format(
                label=fiscal_year_label(r.year), start=r.year, end=r.year + 1))
        else:
            self.period_label.setText(rf.month_label(r.year, r.month))
        self._clear()

    def _clear(self) -> None:
        self.figures = None
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.note.setText("")
        for b in (self.preview_button, self.csv_button, self.json_button):
            b.setEnabled(False)

    # -- figures -----------------------------------------------------------------------------
    def show_figures(self) -> None:
        request = self.request()
        set_error(self.error, "")
        db = self.session.db
        run_task(self, lambda: figures_of(db, request), lambda f: self._show(request, f),
                 self._failed, _("Counting…"))

    def _failed(self, error: BaseException) -> None:
        set_error(self.error, str(error) or _("The figures could not be computed."))

    def _show(self, request: ReportRequest, figures) -> None:
        if request != self.request():  # the choice changed meanwhile
            return
        self.figures = figures
        rows = figures.csv_rows()
        header, body = rows[0], rows[1:]
        self.table.setColumnCount(len(header))
        self.table.setHorizontalHeaderLabels([str(h) for h in header])
        self.table.setRowCount(len(body))
        for i, row in enumerate(body):
            for j, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                self.table.setItem(i, j, item)
        # Columns as wide as their contents, but none wider than MAX_COLUMN: one
        # long value (the audit-chain head) must not push the current year's
        # percentages out of sight; it is elided, whole in its tooltip.
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        for j in range(self.table.columnCount()):
            self.table.setColumnWidth(j, min(self.table.columnWidth(j), MAX_COLUMN))
        hh.setStretchLastSection(True)
        notes = [_("Capacity: each day's capacity from its recorded changes.")
                 if figures.capacity_source == rf.CAPACITY_FROM_HISTORY else
                 _("Capacity: no changes are recorded, so today's capacity is used for every "
                   "day.")]
        if request.suppress:
            notes.append(_("Counts of 1 or 2 are shown as \"<3\" and their percentages "
                           "withheld."))
        self.note.setText(" ".join(notes))
        for b in (self.preview_button, self.csv_button, self.json_button):
            b.setEnabled(True)

    # -- output ------------------------------------------------------------------------------
    def open_preview(self) -> None:
        request = self.request()
        entry = report(request.kind)
        if not entry.may_print(self.session.account.roles if self.session.account else ()):
            set_error(self.error, _("Your account may not do this."))
            return
        staff = self.session.account.display_name if self.session.account else ""
        db = self.session.db

        def done(result):
            self.preview = ReportPreviewDialog(self.session, result, request, self)
            self.preview.open()

        run_task(self, lambda: entry.build(db, request, None, staff), done, self._failed,
                 _("Preparing the document…"))

    def save_as(self, fmt: str) -> bool:
        request = self.request()
        name = f"{request.kind}-{request.period_key}.{fmt}"
        filters = {"csv": _("CSV files (*.csv)"), "json": _("JSON files (*.json)")}
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the report"),
                                                    str(Path.home() / name), filters[fmt])
        if not path:
            return False
        return self.save_to(Path(path), fmt)

    def save_to(self, path: Path, fmt: str) -> bool:
        """Write the figures shown, exactly where the person chose; audited. The
        file dialog has asked before replacing a file; a database, key file or
        backup is refused all the same."""
        if self.figures is None:
            return False
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        if not self.session.db.is_open:
            set_error(self.error, _("ShelterDesk was locked meanwhile; nothing was printed or "
                                    "saved. Unlock and try again."))
            return False
        data = (rf.csv_bytes(self.figures.csv_rows()) if fmt == "csv"
                else rf.json_bytes(self.figures.to_json()))
        if not write_user_file(path, data, [self.session.db.path], self.error):
            return False
        request = self.request()
        self.session.db.audit("save", "report", None,
                              f"doc={request.kind} period={request.period_key} format={fmt} "
                              f"suppress={int(request.suppress)}")
        set_error(self.error, "")
        return True

    def forget(self) -> None:
        """At the lock: drop the figures and close the preview."""
        if self.preview is not None:
            self.preview.close()
            self.preview = None
        self._clear()
