"""Backups and retention (managers and administrators): when the last
verified backup was made (highlighted after the reminder days), "Back up"
(a folder or USB stick; the file name carries the date only; progress bar),
"Test a backup" (the restore drill: restored into an owner-only temporary
folder, checked, removed), "Restore a backup" (what it holds first, then a
new file only), and the residents past the retention period with "Remove
their records". Every action is one store call off the UI thread
(store.backup, store.retention); nothing here touches SQL or files itself.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.gui import changes, tasks
from shelterdesk.gui.operations import run_action, show_failure
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.i18n import _
from shelterdesk.store import backup as backups
from shelterdesk.store import retention


class BackupPasswordDialog(QDialog):
    """The login and password (of the backup's time), or its recovery code."""

    def __init__(self, login: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Unlock the backup"))
        form = QFormLayout(self)
        self.login = QLineEdit(login)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.use_code = QCheckBox(_("Use the recovery code instead"))
        self.use_code.toggled.connect(lambda on: self.login.setEnabled(not on))
        form.addRow(QLabel(_("The password of the time of the backup.")))
        form.addRow(_("Login"), self.login)
        form.addRow(_("Password or recovery code"), self.password)
        form.addRow(self.use_code)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def credentials(self) -> dict:
        if self.use_code.isChecked():
            return {"recovery_code": self.password.text()}
        return {"login": self.login.text().strip(), "password": self.password.text()}


class SafekeepingPage(QWidget):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        outer = QVBoxLayout(self)
        title = QLabel(_("Backups and retention"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        self.last = QLabel()
        self.last.setWordWrap(True)
        outer.addWidget(self.last)
        row = QHBoxLayout()
        self.backup_button = QPushButton(_("Back up…"))
        self.backup_button.clicked.connect(self.back_up)
        self.test_button = QPushButton(_("Test a backup…"))
        self.test_button.clicked.connect(self.test_backup)
        self.restore_button = QPushButton(_("Restore a backup…"))
        self.restore_button.clicked.connect(self.restore_backup)
        for b in (self.backup_button, self.test_button, self.restore_button):
            row.addWidget(b)
        row.addStretch(1)
        outer.addLayout(row)
        self.general = error_label()
        outer.addWidget(self.general)
        outer.addWidget(QLabel(_("Records past the retention period")))
        self.past = QListWidget()
        self.past.setObjectName("retentionList")
        outer.addWidget(self.past, 1)
        prow = QHBoxLayout()
        self.retention_note = QLabel()
        self.retention_note.setWordWrap(True)
        prow.addWidget(self.retention_note, 1)
        self.purge_button = QPushButton(_("Remove their records…"))
        self.purge_button.clicked.connect(self.purge)
        prow.addWidget(self.purge_button)
        outer.addLayout(prow)
        changes.hub().changed.connect(lambda _c: self.refresh())
        self.refresh()

    # -- state ------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.session.db.is_open:
            return
        db = self.session.db
        last = backups.last_verified(db)
        if last is None:
            text = _("No verified backup has been made yet.")
        else:
            text = _("Last verified backup: {when}").format(when=last.strftime("%Y-%m-%d %H:%M"))
        due = backups.reminder_due(db)
        if due:
            text += " " + _("Please make a backup now.")
        self.last.setText(text)
        self.last.setProperty("role", "warning" if due else "")
        self.past.clear()
        rows = retention.past_retention(self.session)
        for p in rows:
            item = QListWidgetItem(_("{name} — last discharge {last}, kept until {until}; "
                                     "{stays} stays, {children} children").format(
                name=p.display_name, last=p.last_discharge.isoformat(),
                until=p.keep_until.isoformat(), stays=p.stays, children=p.children))
            item.setData(256, p.resident_id)
            self.past.addItem(item)
        self.purge_button.setEnabled(bool(rows))
        self.retention_note.setText(
            _("No retention period is set (Settings).") if not
            self._retention_years() else
            _("{n} residents are past the retention period.").format(n=len(rows)))

    def _retention_years(self):
        from shelterdesk.store import settings
        return settings.house_rules(self.session.db).record_retention_years

    # -- backup -----------------------------------------------------------------------
    def back_up(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose the folder or USB stick"))
        if folder:
            self.back_up_to(Path(folder))

    def back_up_to(self, folder: Path) -> None:
        s = self.session
        target = Path(folder) / backups.default_name()

        def done(result):
            set_error(self.general, "")
            changes.announce(changes.change(changes.BACKUP))
            QMessageBox.information(self, _("Backup made"), _(
                "The backup {name} ({size} MB) was written and verified.").format(
                name=result.path.name, size=round(result.size / 1e6, 1)))

        tasks.run_task(self, lambda progress: backups.backup(s, target, progress), done,
                       lambda e: show_failure(self, e, (), self.general),
                       _("Making the backup…"), reports_progress=True)

    # -- drill and restore ------------------------------------------------------------------
    def _choose_backup(self) -> Path | None:
        path, _f = QFileDialog.getOpenFileName(self, _("Choose a backup"), "",
                                               _("ShelterDesk backups (*.sdbk)"))
        return Path(path) if path else None

    def _credentials(self) -> dict | None:
        login = self.session.account.login if self.session.account else ""
        dlg = BackupPasswordDialog(login, self)
        return dlg.credentials() if dlg.exec() == QDialog.DialogCode.Accepted else None

    def test_backup(self) -> None:
        path = self._choose_backup()
        creds = self._credentials() if path else None
        if creds is not None:
            self.drill(path, **creds)

    def drill(self, path: Path, **creds) -> None:
        s = self.session

        def done(info):
            set_error(self.general, "")
            QMessageBox.information(self, _("Backup tested"), _(
                "The backup of {date} was restored to a temporary place, checked and removed: "
                "it is good ({residents} residents, {stays} stays).").format(
                date=info.created_at, residents=info.counts.get("resident", 0),
                stays=info.counts.get("stay", 0)))

        tasks.run_task(self, lambda: backups.drill(s, path, **creds), done,
                       lambda e: show_failure(self, e, (), self.general),
                       _("Testing the backup…"))

    def restore_backup(self) -> None:
        path = self._choose_backup()
        creds = self._credentials() if path else None
        if creds is None:
            return
        try:
            info = backups.inspect(path, **creds)
        except Exception as e:
            show_failure(self, e, (), self.general)
            return
        if not ask_yes_no(self, _("Restore a backup"), self.describe(info)):
            return
        new, _f = QFileDialog.getSaveFileName(self, _("New database file"), "",
                                              _("ShelterDesk databases (*.db)"))
        if new:
            self.restore_to(path, Path(new), **creds)

    @staticmethod
    def describe(info) -> str:
        return _("Backup of {date}, made by {login}: {residents} residents, {stays} stays, "
                 "{children} children. Restore it into a new file? The database in use is "
                 "not changed.").format(date=info.created_at, login=info.made_by,
                                        residents=info.counts.get("resident", 0),
                                        stays=info.counts.get("stay", 0),
                                        children=info.counts.get("child", 0))

    def restore_to(self, path: Path, new: Path, **creds) -> None:
        def done(info):
            set_error(self.general, "")
            QMessageBox.information(self, _("Backup restored"), _(
                "The backup was restored into {path} and checked. Open it with "
                "SHELTERDESK_DB={path} or --db {path}.").format(path=new))

        tasks.run_task(self, lambda: backups.restore(path, new, **creds), done,
                       lambda e: show_failure(self, e, (), self.general),
                       _("Restoring the backup…"))

    # -- retention --------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        chosen = self.past.selectedItems() or [self.past.item(i)
                                               for i in range(self.past.count())]
        return [it.data(256) for it in chosen]

    def purge(self, confirmed: bool = False) -> bool:
        ids = self.selected_ids()
        if not ids:
            return False
        if not confirmed and not ask_yes_no(self, _("Remove records"), _(
                "Remove every record of {n} residents (stays, children, plans, notes, "
                "aftercare)? This cannot be undone; make a backup first. Anonymous figures "
                "stay for the statistics.").format(n=len(ids))):
            return False
        s = self.session
        return run_action(self, lambda: retention.purge(s, ids), general=self.general,
                          changed=changes.change(changes.RESIDENT, changes.STAY))
