"""Staff accounts (administrators only), changing one's own password (every
account), and the facility settings an administrator may change.

Anything that derives a key (a new password means a new key slot) or
re-encrypts the database runs in a worker. After an account is disabled the
program offers to rotate the data key: the person may have kept a copy of it
(from memory of a running session or a backup), and only a new key makes that
copy useless. ``ask`` is injectable so tests answer the question themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.models import Account
from shelterdesk.core.validation import FieldError
from shelterdesk.gui.operations import failure_message, show_failure
from shelterdesk.gui.tasks import run_task
from shelterdesk.gui.widgets.errors import FieldErrors, error_label, set_error, show_field_errors
from shelterdesk.gui.widgets.passwords import password_field, password_mismatch
from shelterdesk.gui.widgets.questions import Ask, ask_yes_no
from shelterdesk.i18n import _
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions
from shelterdesk.store import settings as settings_repo


class _FormDialog(QDialog):
    """A form with messages under the fields; OK runs ``submit`` and keeps the
    dialog open until it succeeds."""

    succeeded = Signal()

    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(480)
        self.errors = FieldErrors()
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.general_error = error_label(self)
        self.layout_.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)

    def showEvent(self, event) -> None:
        """Typing starts in the first field, not on the OK button."""
        super().showEvent(event)
        first = self.form.itemAt(0, QFormLayout.ItemRole.FieldRole)
        if first is not None and first.widget() is not None:
            first.widget().setFocus()

    def add_field(self, name: str, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(label, widget)
        self.form.addRow("", self.errors.add(name, error_label(self), widget))
        return widget

    def _ok(self) -> None:
        self.errors.clear_errors()
        set_error(self.general_error, "")
        errors = self.check()
        if errors:
            show_field_errors(errors, [self.errors], self.general_error)
            return
        self.buttons.setEnabled(False)
        run_task(self, self.work(), self._done, self._failed, self.progress_text())

    def _done(self, _result) -> None:
        self.buttons.setEnabled(True)
        self.succeeded.emit()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_failure(self, error, [self.errors], self.general_error)

    # subclasses
    def check(self) -> list[FieldError]:
        return []

    def work(self) -> Callable[[], object]:
        raise NotImplementedError

    def progress_text(self) -> str:
        return _("Saving…")


class AddAccountDialog(_FormDialog):
    def __init__(self, session: sessions.Session, parent: QWidget | None = None):
        super().__init__(_("Add a staff account"), parent)
        self.session = session
        self.login = self.add_field("login", _("Login"), QLineEdit(self))
        self.display_name = self.add_field("display_name", _("Name shown"), QLineEdit(self))
        roles = QWidget(self)
        rl = QHBoxLayout(roles)
        rl.setContentsMargins(0, 0, 0, 0)
        self.role_boxes: dict[str, QCheckBox] = {}
        for c in codes.ROLE:
            box = QCheckBox(c.display(), roles)
            self.role_boxes[c.code] = box
            rl.addWidget(box)
        self.add_field("roles", _("Roles"), roles)
        self.password = self.add_field("password", _("Password"), password_field(self))
        self.password2 = self.add_field("password2", _("Repeat the password"),
                                        password_field(self))

    def roles(self) -> set[str]:
        return {code for code, box in self.role_boxes.items() if box.isChecked()}

    def check(self) -> list[FieldError]:
        errors = accounts_repo.check_login(self.login.text().strip())
        errors += accounts_repo.check_password(self.password.text())
        if not self.roles():
            errors.append(FieldError("roles", _("Choose at least one role.")))
        if not self.display_name.text().strip():
            errors.append(FieldError("display_name", _("Enter the name shown for this account.")))
        errors += password_mismatch(self.password.text(), self.password2.text())
        return errors

    def work(self):
        s, login, name = self.session, self.login.text().strip(), self.display_name.text()
        roles, pw = self.roles(), self.password.text()
        return lambda: accounts_repo.add_account(s, login, name, roles, pw)

    def progress_text(self) -> str:
        return _("Creating the account's key…")


class SetPasswordDialog(_FormDialog):
    """An administrator sets a new password for another account (reset, or
    enabling a disabled one, whose old key slot is gone)."""

    def __init__(self, session: sessions.Session, account: Account, *, enable: bool = False,
                 parent: QWidget | None = None):
        title = (_("Enable {login} with a new password") if enable
                 else _("New password for {login}")).format(login=account.login)
        super().__init__(title, parent)
        self.session, self.account, self.enable = session, account, enable
        self.password = self.add_field("new_password", _("New password"), password_field(self))
        self.password2 = self.add_field("password2", _("Repeat the new password"),
                                        password_field(self))

    def check(self) -> list[FieldError]:
        errors = accounts_repo.check_password(self.password.text(), "new_password")
        errors += password_mismatch(self.password.text(), self.password2.text())
        return errors

    def work(self):
        s, aid, pw = self.session, self.account.id, self.password.text()
        if self.enable:
            return lambda: accounts_repo.enable_with_password(s, aid, pw)
        return lambda: accounts_repo.reset_password(s, aid, pw)


class ChangeOwnPasswordDialog(_FormDialog):
    def __init__(self, session: sessions.Session, parent: QWidget | None = None):
        super().__init__(_("Change my password"), parent)
        self.session = session
        self.old = self.add_field("old_password", _("Current password"), password_field(self))
        self.password = self.add_field("new_password", _("New password"), password_field(self))
        self.password2 = self.add_field("password2", _("Repeat the new password"),
                                        password_field(self))

    def check(self) -> list[FieldError]:
        errors = []
        if not self.old.text():
            errors.append(FieldError("old_password", _("Enter your current password.")))
        errors += accounts_repo.check_password(self.password.text(), "new_password")
        errors += password_mismatch(self.password.text(), self.password2.text())
        return errors

    def work(self):
        s, old, new = self.session, self.old.text(), self.password.text()
        return lambda: accounts_repo.change_own_password(s, old, new)


class SettingsDialog(_FormDialog):
    """Facility settings an administrator may change."""

    def __init__(self, session: sessions.Session, parent: QWidget | None = None):
        super().__init__(_("Settings"), parent)
        self.session = session
        self.idle = QSpinBox(self)
        self.idle.setRange(1, 120)
        self.idle.setSuffix(" " + _("min"))
        self.idle.setValue(session.facility().idle_lock_minutes)
        self.add_field("idle_lock_minutes", _("Lock after this long without use"), self.idle)

    def work(self):
        s, minutes = self.session, self.idle.value()
        return lambda: settings_repo.update(s, {settings_repo.IDLE_LOCK_MINUTES: minutes})


ROLE_ORDER = [c.code for c in codes.ROLE]


class AccountsPanel(QWidget):
    """The accounts page (administrators only)."""

    def __init__(self, session: sessions.Session, parent: QWidget | None = None, *,
                 ask: Ask | None = None):
        super().__init__(parent)
        session.require("admin")
        self.session = session
        self.ask = ask or ask_yes_no
        self.dialog: QDialog | None = None
        self.accounts: list[Account] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)
        title = QLabel(_("Staff accounts"), self)
        title.setProperty("role", "title")
        lay.addWidget(title)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([_("Login"), _("Name"), _("Roles"), _("Status")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.reset_password())
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(_("Add…"), self)
        self.reset_button = QPushButton(_("Reset password…"), self)
        self.disable_button = QPushButton(_("Disable"), self)
        self.enable_button = QPushButton(_("Enable…"), self)
        self.rotate_button = QPushButton(_("Rotate the data key…"), self)
        for b in (self.add_button, self.reset_button, self.disable_button, self.enable_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.rotate_button)
        lay.addLayout(row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.add_button.clicked.connect(self.add_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.disable_selected)
        self.enable_button.clicked.connect(self.enable_selected)
        self.rotate_button.clicked.connect(lambda: self.offer_rotation(after_disable=False))
        self.reload()

    def reload(self) -> None:
        self.accounts = accounts_repo.list_accounts(self.session.db)
        self.table.setRowCount(len(self.accounts))
        for r, a in enumerate(self.accounts):
            roles = ", ".join(codes.ROLE.label(x) for x in ROLE_ORDER if x in a.roles)
            status = _("disabled") if a.disabled else _("active")
            for c, text in enumerate((a.login, a.display_name, roles, status)):
                item = QTableWidgetItem(text)
                if a.disabled:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        self._update_buttons()
        if accounts_repo.rotation_advised(self.session):
            self.message.setText(_("An account was disabled since the data key was last "
                                   "rotated. Rotate the data key so that any copy of the old "
                                   "key opens nothing."))

    def selected(self) -> Account | None:
        r = self.table.currentRow()
        return self.accounts[r] if 0 <= r < len(self.accounts) else None

    def select_login(self, login: str) -> None:
        for r, a in enumerate(self.accounts):
            if a.login == login:
                self.table.selectRow(r)

    def _update_buttons(self) -> None:
        a = self.selected()
        self.reset_button.setEnabled(a is not None and not a.disabled)
        self.disable_button.setEnabled(a is not None and not a.disabled)
        self.enable_button.setEnabled(a is not None and a.disabled)

    def _open(self, dialog: QDialog, message: str) -> None:
        self.dialog = dialog
        dialog.succeeded.connect(lambda: (self.reload(), self.message.setText(message)))
        dialog.open()

    def add_account(self) -> None:
        self._open(AddAccountDialog(self.session, self), _("The account was added."))

    def reset_password(self) -> None:
        a = self.selected()
        if a is not None:
            self._open(SetPasswordDialog(self.session, a, parent=self),
                       _("The password of {login} was reset.").format(login=a.login))

    def enable_selected(self) -> None:
        a = self.selected()
        if a is not None:
            self._open(SetPasswordDialog(self.session, a, enable=True, parent=self),
                       _("{login} can log in again.").format(login=a.login))

    def disable_selected(self) -> None:
        a = self.selected()
        if a is None:
            return
        if not self.ask(self, _("Disable account"),
                        _("Disable {login}? The account keeps its history but can no longer "
                          "log in.").format(login=a.login)):
            return
        try:
            accounts_repo.set_disabled(self.session, a.id, True)
        except Exception as e:  # a store refusal (last administrator, own account)
            self.message.setText(failure_message(e))
            return
        self.reload()
        self.message.setText(_("{login} was disabled.").format(login=a.login))
        self.offer_rotation()

    def offer_rotation(self, after_disable: bool = True) -> None:
        if after_disable:
            text = _("Rotate the data key now?\n\nSomeone who used that account may have kept "
                     "a copy of the key that opens the database (for example with a copied "
                     "backup). Rotating re-encrypts the database under a new key so that copy "
                     "opens nothing. It takes a moment; everyone else keeps their password.")
        else:
            text = _("Rotate the data key now?\n\nThe database is re-encrypted under a new "
                     "key, so any copy of the old key opens nothing. It takes a moment; "
                     "everyone keeps their password.")
        if not self.ask(self, _("Rotate the data key"), text):
            return
        s = self.session
        run_task(self, lambda: accounts_repo.rotate_data_key(s), self._rotated, self._rotate_failed,
                 _("Re-encrypting the database under a new key…"))

    def _rotated(self, _result) -> None:
        self.message.setText(_("The data key was rotated."))

    def _rotate_failed(self, error: BaseException) -> None:
        self.message.setText(failure_message(error))
