"""Staff accounts (administrators only), changing one's own password (every
account). The facility settings are a page (gui/views/admin/settings_page.py).

Anything that derives a key (a new password means a new key slot) or
re-encrypts the database runs in a worker. After an account is disabled the
program offers to rotate the data key: the person may have kept a copy of it
(from memory of a running session or a backup), and only a new key makes that
copy useless. ``ask`` is injectable so tests answer the question themselves.

The dialogs' layouts are ui/account.ui, set_password.ui, change_password.ui
(Qt Designer; ``make forms``); each saves through
``gui.operations.run_action`` and announces the change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.models import Account
from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.gui import changes
from shelterdesk.gui.forms.ui_account import Ui_AccountDialog
from shelterdesk.gui.forms.ui_change_password import Ui_ChangePasswordDialog
from shelterdesk.gui.forms.ui_set_password import Ui_SetPasswordDialog
from shelterdesk.gui.operations import run_action, show_failure
from shelterdesk.gui.widgets.errors import FieldErrors, clear_field_errors, set_error
from shelterdesk.gui.widgets.passwords import password_mismatch
from shelterdesk.gui.widgets.questions import Ask, ask_yes_no
from shelterdesk.i18n import _
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions


class _FormDialog(QDialog):
    """A Designer form (``form_class``, from ui/*.ui) whose fields each have an
    error line named ``<field>Error``; OK checks locally, then runs the store
    call on a worker through ``run_action`` and keeps the dialog open until it
    succeeds. Typing starts in the first field; Enter is OK, Esc cancels."""

    succeeded = Signal()
    form_class: type = object
    #: Field names, in the order of the form (also the error lines' prefixes).
    field_names: tuple[str, ...] = ()
    #: What the change hub is told after a success.
    change_kind = changes.ACCOUNT

    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.ui = self.form_class()
        self.ui.setupUi(self)
        self.buttons = self.ui.buttons
        self.buttons.accepted.connect(self._ok)
        self.general_error = self.ui.generalError
        self.errors = FieldErrors()
        for name in self.field_names:
            self.errors.add(name, getattr(self.ui, f"{name}Error"), getattr(self.ui, name))
        clear_field_errors([self.errors], self.general_error)

    def showEvent(self, event) -> None:
        """Typing starts in the first field, not on the OK button."""
        super().showEvent(event)
        if self.field_names:
            getattr(self.ui, self.field_names[0]).setFocus()

    def _ok(self) -> None:
        errors = self.check()
        if errors:
            show_failure(self, ValidationError(errors), [self.errors], self.general_error)
            return
        self.buttons.setEnabled(False)
        run_action(self, self.work(), forms=[self.errors], general=self.general_error,
                   changed=changes.change(self.change_kind), slow=self.progress_text(),
                   done=self._done, failed=lambda _e: self.buttons.setEnabled(True))

    def _done(self, _result) -> None:
        self.buttons.setEnabled(True)
        self.succeeded.emit()
        self.accept()

    # subclasses
    def check(self) -> list[FieldError]:
        return []

    def work(self) -> Callable[[], object]:
        raise NotImplementedError

    def progress_text(self) -> str:
        return _("Saving…")


class AddAccountDialog(_FormDialog):
    form_class = Ui_AccountDialog
    field_names = ("login", "display_name", "roles", "password", "password2")

    def __init__(self, session: sessions.Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.login = self.ui.login
        self.display_name = self.ui.display_name
        self.role_boxes: dict[str, QCheckBox] = {}
        for c in codes.ROLE:
            box = QCheckBox(c.display(), self.ui.roles)
            self.role_boxes[c.code] = box
            self.ui.rolesLayout.addWidget(box)
        boxes = list(self.role_boxes.values())  # tab order: name, the roles, password
        for before, box in zip([self.display_name, *boxes], [*boxes, self.ui.password],
                               strict=True):
            QWidget.setTabOrder(before, box)
        self.password = self.ui.password
        self.password2 = self.ui.password2

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

    form_class = Ui_SetPasswordDialog
    field_names = ("new_password", "password2")

    def __init__(self, session: sessions.Session, account: Account, *, enable: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        title = (_("Enable {login} with a new password") if enable
                 else _("New password for {login}")).format(login=account.login)
        self.setWindowTitle(title)
        self.session, self.account, self.enable = session, account, enable
        self.password = self.ui.new_password
        self.password2 = self.ui.password2

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
    form_class = Ui_ChangePasswordDialog
    field_names = ("old_password", "new_password", "password2")

    def __init__(self, session: sessions.Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.old = self.ui.old_password
        self.password = self.ui.new_password
        self.password2 = self.ui.password2

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
            set_error(self.message, _("An account was disabled since the data key was last "
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
        dialog.succeeded.connect(lambda: (self.reload(), set_error(self.message, message)))
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
        refusal = accounts_repo.disable_refusal(self.session, a.id)
        if refusal:  # refused before asking
            set_error(self.message, refusal)
            return
        if not self.ask(self, _("Disable account"),
                        _("Disable {login}? The account keeps its history but can no longer "
                          "log in.").format(login=a.login)):
            return
        # A store refusal (last administrator, own account) is shown in the message line.
        if run_action(self, lambda: accounts_repo.set_disabled(self.session, a.id, True),
                      general=self.message, changed=changes.change(changes.ACCOUNT)):
            self.reload()
            set_error(self.message, _("{login} was disabled.").format(login=a.login))
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
        run_action(self, lambda: accounts_repo.rotate_data_key(s), general=self.message,
                   changed=changes.change(changes.ACCOUNT), done=self._rotated,
                   slow=_("Re-encrypting the database under a new key…"))

    def _rotated(self, _result) -> None:
        set_error(self.message, _("The data key was rotated."))
