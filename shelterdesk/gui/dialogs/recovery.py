"""The recovery code: shown once at setup (to print and seal), and used later
to give a locked-out administrator a new password.

The code opens the whole database. It is shown in exactly one dialog, never
written to a file by the program (printing goes to the printer the user
chooses), and the dialog forgets it when closed.

Layouts: ui/recovery_code.ui and ui/recovery_reset.ui (``make forms``). The
reset runs on a worker by hand (not ``run_action``): its session is the
recovery session, which must be locked in the same worker call, and it
announces nothing (no page is open while it runs).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import ValidationError
from shelterdesk.gui import style
from shelterdesk.gui.forms.ui_recovery_code import Ui_RecoveryCodeDialog
from shelterdesk.gui.forms.ui_recovery_reset import Ui_RecoveryResetDialog
from shelterdesk.gui.operations import show_failure
from shelterdesk.gui.tasks import run_task
from shelterdesk.gui.widgets.errors import FieldErrors, set_error
from shelterdesk.gui.widgets.passwords import password_mismatch
from shelterdesk.i18n import _
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions
from shelterdesk.store.vault import KdfParams

#: Groups of the recovery code per line, on screen and on paper: a line never
#: breaks inside a group (Qt would wrap at any dash, or mid-group when narrow).
GROUPS_PER_LINE = 5


def code_lines(code: str, per_line: int = GROUPS_PER_LINE) -> str:
    """The code as lines of whole groups ("XXXX-XXXX-…"), joined by newlines."""
    groups = code.split("-")
    return "\n".join("-".join(groups[i:i + per_line])
                      for i in range(0, len(groups), per_line))


class RecoveryCodeDialog(QDialog):
    """Shows the recovery code once, with a Print button. Continuing needs the
    tick "printed and sealed": without the code, a facility whose only
    administrator forgets her password has lost every record."""

    def __init__(self, code: str, parent: QWidget | None = None, *, hint: str = "",
                 cancellable: bool = False):
        super().__init__(parent)
        self._code = code
        self._cancellable = cancellable
        self.ui = Ui_RecoveryCodeDialog()
        self.ui.setupUi(self)
        self.ui.intro.setText(_(
            "This recovery code opens the database if every administrator has forgotten "
            "their password. It is shown only this once.\n\n"
            "Print it, seal it in an envelope and keep the envelope locked away. "
            "Do not copy it into a file, an e-mail or a phone."))
        self.code_label = self.ui.code
        self.code_label.setObjectName("secret")
        self.code_label.setFont(style.fixed_font(15))
        self.code_label.setWordWrap(False)
        self.code_label.setText(code_lines(code))
        self.print_button = self.ui.printButton
        self.print_button.clicked.connect(self.print_with_dialog)
        self.sealed = self.ui.sealed
        self.continue_button = self.ui.continueButton
        self.hint = self.ui.hint
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        # At creation (``cancellable``): the Cancel button, and only it (never
        # a stray Esc), gives up creating; nothing is created then.
        self._cancelling = False
        self.cancel_button = self.ui.cancelButton
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.clicked.connect(self.cancel)

    def print_with_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """One A4 page: what the code is, the code, where to keep it."""
        if not printer.pageLayout().isValid():  # no printer driver said what it has
            printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                              QPageLayout.Orientation.Portrait,
                                              QMarginsF(20, 20, 20, 20),
                                              QPageLayout.Unit.Millimeter))
        painter = QPainter()
        if not painter.begin(printer):
            return
        try:
            page = painter.window()
            dpi = printer.resolution()
            y = 0.0
            width = float(page.width())

            def block(text: str, size: int, family: str = style.UI_FAMILY,
                      bold: bool = False, gap: float = 0.25) -> None:
                nonlocal y
                font = QFont(family, size)
                font.setBold(bold)
                painter.setFont(font)
                rect = painter.boundingRect(QRectF(0, y, width, page.height()),
                                            int(Qt.TextFlag.TextWordWrap), text)
                painter.drawText(QRectF(0, y, width, rect.height()),
                                 int(Qt.TextFlag.TextWordWrap), text)
                y += rect.height() + gap * dpi

            block(_("ShelterDesk recovery code"), 18, bold=True)
            block(_("Printed on {date}").format(date=format_date(date.today())), 11)
            block(code_lines(self._code), 16, style.FIXED_FAMILY, bold=True, gap=0.5)
            block(_("This code opens every record of the facility. Keep this page sealed in "
                    "an envelope in a locked place. Open the envelope only when every "
                    "administrator has forgotten their password; then choose \"Use recovery "
                    "code\" on the login screen."), 11)
        finally:
            painter.end()

    def cancel(self) -> None:
        """The Cancel button of a cancellable dialog."""
        if self._cancellable:
            self._cancelling = True
            self.done(QDialog.DialogCode.Rejected)

    def reject(self) -> None:
        """Esc and the close button do nothing until the code is sealed, and
        nothing at all in a cancellable dialog (Continue or Cancel decide)."""
        if self.sealed.isChecked() and not self._cancellable:
            super().reject()

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Rejected and not (
                self._cancelling or (self.sealed.isChecked() and not self._cancellable)):
            return
        self._code = ""
        self.code_label.clear()
        super().done(result)


def replace_recovery_code(parent: QWidget, session, ask=None) -> RecoveryCodeDialog | None:
    """The menu's "New recovery code…": after a yes, the store replaces the
    recovery slot (audited) and the new code is shown once in the same dialog
    as at setup; the dialog, or None (no, or the store refused)."""
    from shelterdesk.gui.operations import run_action
    from shelterdesk.gui.widgets.questions import ask_yes_no
    from shelterdesk.store.recovery import replace_recovery_code as replace
    ask = ask or ask_yes_no
    if not ask(parent, _("New recovery code"),
               _("Make a new recovery code? The code in the sealed envelope will no longer "
                 "open the database (backups keep opening with the code of their day). "
                 "Have a printer ready: the new code is shown only once.")):
        return None
    shown: list[RecoveryCodeDialog] = []

    def show(code: str) -> None:
        dialog = RecoveryCodeDialog(code, parent, hint=_(
            "The previous recovery code no longer opens the database: destroy the old "
            "envelope once this one is sealed."))
        shown.append(dialog)
        if hasattr(parent, "open_dialog"):
            parent.open_dialog(dialog)  # the main window keeps it; the lock closes it
        else:
            dialog.open()

    run_action(parent, lambda: replace(session), done=show)
    return shown[0] if shown else None


class RecoveryResetDialog(QDialog):
    """Open with the sealed recovery code and give an administrator account a
    new password. The recovery session is locked as soon as that is done, or
    when the dialog closes: it must never become a way in without an account."""

    password_reset = Signal(str)  # the login whose password was set

    def __init__(self, db_path: Path, *, kdf: KdfParams | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._kdf = kdf
        self.session = None
        self._accounts = []
        self.ui = Ui_RecoveryResetDialog()
        self.ui.setupUi(self)
        self.pages = self.ui.pages
        self.pages.setCurrentIndex(0)
        self.code = self.ui.code
        self.code.setFont(style.fixed_font(12))
        self.code.returnPressed.connect(self.open_with_code)
        self.code_error = self.ui.codeError
        self.open_button = self.ui.openButton
        self.open_button.clicked.connect(self.open_with_code)
        self.account = self.ui.account
        self.password = self.ui.password
        self.password_error = self.ui.passwordError
        self.password2 = self.ui.password2
        self.password2.returnPressed.connect(self.set_password)
        self.password2_error = self.ui.password2Error
        self.set_button = self.ui.setButton
        self.set_button.clicked.connect(self.set_password)
        self.errors = FieldErrors()
        self.errors.add("new_password", self.password_error, self.password)
        self.errors.add("password2", self.password2_error, self.password2)
        self.errors.clear_errors()
        set_error(self.code_error, "")
        self.code.setFocus()

    def open_with_code(self) -> None:
        code = self.code.text().strip()
        if not code:
            set_error(self.code_error, _("Type the recovery code."))
            return
        self.open_button.setEnabled(False)
        set_error(self.code_error, "")
        path, kdf = self.db_path, self._kdf
        run_task(self, lambda: _open_recovery(path, code, kdf), self._opened, self._open_failed,
                 _("Opening the database…"))

    #: The recovery session closes after this long, whatever is typed: it opens
    #: everything and belongs to no account.
    RECOVERY_TIMEOUT_MS = 5 * 60 * 1000

    def _opened(self, result) -> None:
        self.session, self._accounts = result
        QTimer.singleShot(self.RECOVERY_TIMEOUT_MS, self, self.reject)
        self.code.clear()
        self.account.clear()
        for a in self._accounts:
            label = f"{a.display_name} ({a.login})"
            if a.disabled:
                label += " — " + _("disabled")
            self.account.addItem(label, a.id)
        self.pages.setCurrentIndex(1)
        self.open_button.hide()  # the password page has its own button
        self.password.setFocus()

    def _open_failed(self, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        show_failure(self, error, general=self.code_error)

    def set_password(self) -> None:
        pw, pw2 = self.password.text(), self.password2.text()
        problems = accounts_repo.check_password(pw, "new_password")[:1] or password_mismatch(pw, pw2)
        if problems:
            show_failure(self, ValidationError(problems), [self.errors])
            return
        self.errors.clear_errors()
        index = self.account.currentIndex()
        if index < 0 or self.session is None:
            return
        account = self._accounts[index]
        session = self.session
        self.set_button.setEnabled(False)

        def work():
            if account.disabled:
                accounts_repo.enable_with_password(session, account.id, pw)
            else:
                accounts_repo.reset_password(session, account.id, pw)
            session.lock()
            return account.login

        run_task(self, work, self._password_set, self._set_failed, _("Setting the password…"))

    def _password_set(self, login: str) -> None:
        self.session = None
        self.password.clear()
        self.password2.clear()
        self.password_reset.emit(login)
        self.accept()

    def _set_failed(self, error: BaseException) -> None:
        self.set_button.setEnabled(True)
        show_failure(self, error, [self.errors], self.password_error)

    def done(self, result: int) -> None:
        if self.session is not None:
            self.session.lock()
            self.session = None
        super().done(result)


def _open_recovery(path: Path, code: str, kdf: KdfParams | None):
    """Worker: unlock with the code and read the administrator accounts."""
    session = sessions.unlock_with_recovery(path, code, kdf)
    try:
        accounts = [a for a in accounts_repo.list_accounts(session.db) if a.has("admin")]
    except BaseException:
        session.lock()
        raise
    return session, accounts
