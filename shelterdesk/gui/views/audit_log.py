"""The audit log viewer (managers and administrators): filter by staff
member, action, resident number and dates; verify the chain; save the
filtered list as CSV.

Every filter applied is itself audited (store/audit_log.open_view), and so is
a chain check and a save. Rows carry ids and codes only (that is all the log
holds), so the list shows no names but the staff member's. Codes are shown
in the reader's language (ACTIONS / RECORDS below; an unknown code as is);
the saved CSV keeps the codes.

The log is read when the page is shown, not when the main window is built:
each visit shows the newest rows and is audited as one look.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import report_figures as rf
from shelterdesk.gui.operations import write_user_file
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.i18n import N_, _, pgettext
from shelterdesk.store import audit_log
from shelterdesk.store.errors import StoreError

#: The audit log's action codes as a manager reads them.
ACTIONS = {
    "add_goal": N_("Goal added"), "add_milestone": N_("Milestone added"),
    "admit": N_("Admission"), "aftercare_none": N_("No aftercare"),
    "backup": N_("Backup"), "close_rest": N_("Remaining items closed"),
    "create": N_("Created"), "create_facility": N_("Facility created"),
    "delete": N_("Deleted"), "demo": N_("Demo created"), "disable": N_("Disabled"),
    "discharge": N_("Discharge"), "export": N_("Exported"),
    "export_refused": N_("Export refused"), "import_ledger": N_("Ledger imported"),
    "import_results": N_("Results imported"), "key_file_backup_used": N_("Key file backup used"),
    "key_file_tampered": N_("Key file tampered with"), "key_file_unknown_slots":
    N_("Unknown key slots"), "key_file_upgraded": N_("Key file upgraded"),
    "list": N_("Listed"), "lock": N_("Locked"), "login": N_("Logged in"),
    "login_failed": N_("Login failed"), "move_bed": N_("Bed changed"),
    "outcome": N_("Outcome recorded"), "print": N_("Printed"),
    "recovery_unlock": N_("Opened with the recovery code"), "review": N_("Reviewed"),
    "role_unsigned": N_("Unsigned role"), "roles_signed": N_("Roles signed"),
    "rotate_key": N_("Key changed"), "save": N_("Saved"), "schedule": N_("Scheduled"),
    "search": N_("Searched"), "signing_key_replaced": N_("Signing key replaced"),
    "undo_discharge": N_("Discharge undone"), "update": N_("Updated"),
    "update_goal": N_("Goal updated"), "update_milestone": N_("Milestone updated"),
    "verify": N_("Verified"), "view": N_("Viewed"),
}
#: The kinds of record an audit row names.
RECORDS = {
    "account": N_("Staff account"), "aftercare": N_("Aftercare"), "audit": N_("Audit log"),
    "case_note": N_("Case note"), "casework": N_("Casework"), "child": N_("Child"),
    "child_step": N_("Child support step"), "child_support": N_("Child support"),
    "consent": N_("Consent"), "database": N_("Database"), "draft": N_("Draft"),
    "facility": N_("Facility"), "partner": N_("Partner agency"), "plan": N_("Support plan"),
    "plan_template": N_("Plan template"), "programme_attendance": N_("Programme attendance"),
    "report": N_("Report"), "resident": N_("Resident"), "setting": N_("Settings"),
    "stay": N_("Stay record"), "transfer_identity": N_("Hand-over key"),
}


def action_label(code: str) -> str:
    return _(ACTIONS[code]) if code in ACTIONS else code


def record_label(entity: str, entity_id: int | None) -> str:
    name = _(RECORDS[entity]) if entity in RECORDS else entity
    return f"{name} {entity_id}" if entity_id is not None else name


class AuditLogPage(QWidget):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.rows: list = []
        lay = QVBoxLayout(self)
        title = QLabel(_("Audit log"))
        title.setProperty("role", "title")
        lay.addWidget(title)

        row = QHBoxLayout()
        self.staff = QComboBox()
        self.staff.setAccessibleName(_("Staff member"))
        self.action = QComboBox()
        self.action.setAccessibleName(_("Action"))
        self.resident = QLineEdit()
        self.resident.setPlaceholderText(_("Resident no."))
        self.resident.setAccessibleName(_("Resident no."))
        self.resident.setMaximumWidth(110)
        self.use_dates = QCheckBox(_("Dates"))
        self.first = QDateEdit(QDate.currentDate().addMonths(-1))
        self.last = QDateEdit(QDate.currentDate())
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.use_dates.toggled.connect(self.first.setEnabled)
        self.use_dates.toggled.connect(self.last.setEnabled)
        self.apply_button = QPushButton(_("Show"))
        self.apply_button.setDefault(True)
        self.apply_button.setAutoDefault(True)
        for w in (QLabel(_("Staff member")), self.staff, QLabel(_("Action")), self.action,
                  self.resident, self.use_dates, self.first, QLabel("–"), self.last):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.apply_button)
        lay.addLayout(row)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([_("No."), _("When"), _("Staff member"),
                                              _("Action"), pgettext("audit log", "Record"), _("Detail")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.error = error_label()
        lay.addWidget(self.error)
        buttons = QHBoxLayout()
        self.more_button = QPushButton(_("Older rows"))
        self.verify_button = QPushButton(_("Verify the chain"))
        self.save_button = QPushButton(_("Save as CSV…"))
        buttons.addWidget(self.more_button)
        buttons.addStretch(1)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.save_button)
        lay.addLayout(buttons)

        self.apply_button.clicked.connect(self.apply)
        self.resident.returnPressed.connect(self.apply)
        self.more_button.clicked.connect(self.more)
        self.verify_button.clicked.connect(self.verify)
        self.save_button.clicked.connect(self.save_as)
        self.filter = audit_log.AuditFilter()

    def showEvent(self, event) -> None:
        """Each visit reads the newest rows (with the current filter)."""
        super().showEvent(event)
        if self.session.db.is_open:
            self._fill_choices()
            self.apply()

    def _fill_choices(self) -> None:
        db = self.session.db
        staff, action = self.staff.currentData(), self.action.currentData()
        self.names = dict(audit_log.staff(db))
        self.staff.clear()
        self.staff.addItem(_("Everyone"), None)
        for aid, name in self.names.items():
            self.staff.addItem(name, aid)
        self.action.clear()
        self.action.addItem(_("Every action"), "")
        for a in sorted(audit_log.actions(db), key=action_label):
            self.action.addItem(action_label(a), a)
        self.staff.setCurrentIndex(max(0, self.staff.findData(staff)))
        self.action.setCurrentIndex(max(0, self.action.findData(action or "")))

    def current_filter(self) -> audit_log.AuditFilter | None:
        text = self.resident.text().strip()
        if text and not text.isdigit():
            set_error(self.error, _("Enter the resident's number (digits only)."))
            return None
        first = last = None
        if self.use_dates.isChecked():
            first, last = self.first.date().toPython(), self.last.date().toPython()
            if last < first:
                set_error(self.error, _("The last day is before the first."))
                return None
        return audit_log.AuditFilter(self.staff.currentData(), self.action.currentData() or "",
                                     int(text) if text else None, first, last)

    def apply(self) -> None:
        f = self.current_filter()
        if f is None:
            return
        set_error(self.error, "")
        self.filter = f
        try:
            self.rows = audit_log.open_view(self.session, f)
        except StoreError as e:
            set_error(self.error, str(e))
            return
        self._show()

    def more(self) -> None:
        if not self.rows:
            return
        older = audit_log.entries(self.session.db, self.filter, before_id=self.rows[-1].id)
        self.rows += older
        self._show()

    def _show(self) -> None:
        self.table.setRowCount(len(self.rows))
        for i, e in enumerate(self.rows):
            values = [str(e.id), e.at.isoformat(sep=" "), self.names.get(e.account_id, "—")
                      if e.account_id is not None else "—", action_label(e.action),
                      record_label(e.entity, e.entity_id), e.detail]
            codes = [None, None, None, e.action, e.entity, None]
            for j, v in enumerate(values):
                item = QTableWidgetItem(v)
                if codes[j] is not None:
                    item.setData(Qt.ItemDataRole.UserRole, codes[j])
                    item.setToolTip(codes[j])
                self.table.setItem(i, j, item)
        self.more_button.setEnabled(len(self.rows) >= audit_log.PAGE and
                                    len(self.rows) % audit_log.PAGE == 0)
        self.status.setText(_("{n} rows shown, newest first.").format(n=len(self.rows)))

    def verify(self) -> list[str]:
        problems = audit_log.verify(self.session)
        if problems:
            set_error(self.error, _("The audit log has been tampered with: {problems}").format(
                problems="; ".join(problems[:5])))
        else:
            set_error(self.error, "")
            self.status.setText(_("The audit chain is intact up to its recorded head."))
        return problems

    def save_as(self) -> bool:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the audit log"), str(Path.home() / "audit-log.csv"),
            _("CSV files (*.csv)"))
        return bool(path) and self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        rows = [["番号", "日時", "職員", "操作", "対象", "対象番号", "詳細"]]
        rows += [[e.id, e.at.isoformat(sep=" "), self.names.get(e.account_id, ""), e.action,
                  e.entity, "" if e.entity_id is None else e.entity_id, e.detail]
                 for e in self.rows]
        if not write_user_file(path, rf.csv_bytes(rows), [self.session.db.path], self.error):
            return False
        self.session.db.audit("save", "audit", None, self.filter.detail())
        set_error(self.error, "")
        return True

    def forget(self) -> None:
        self.rows = []
        self.table.setRowCount(0)
