"""The main window: navigation on the left, pages on the right, the session in
the status bar, and the idle lock.

Pages are built from a Session by :meth:`MainWindow.build_pages` (the one
place to plug new pages in) and are destroyed, not hidden, when the window
locks: after a lock no widget holding resident data exists, the window title
names nothing, and the connection is closed with its key dropped. Unlocking
(by the same or another staff member) builds everything again from the new
Session.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from shelterdesk.gui import tasks
from shelterdesk.gui.views.lock import LockScreen
from shelterdesk.gui.views.record import RecordView
from shelterdesk.gui.views.residents import ResidentsPage
from shelterdesk.i18n import _
from shelterdesk.store.session import Session

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.ShortcutOverride}


class IdleWatcher(QObject):
    """Application-wide event filter: any key or mouse activity restarts the
    timer; when it runs out, ``idle`` fires. It never fires while a worker task
    is running (the task may be using the connection); it retries shortly."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._timeout)
        self.active = False

    def set_interval(self, ms: int) -> None:
        self.timer.setInterval(ms)
        if self.active:
            self.timer.start()

    def start(self) -> None:
        self.active = True
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        self.active = False
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.active and event.type() in _ACTIVITY:
            self.timer.start()
        return False

    def _timeout(self) -> None:
        if not self.active:
            return
        if tasks.busy():
            self.timer.start(min(self.timer.interval(), 1000))
            return
        self.idle.emit()


class MainWindow(QMainWindow):
    """``idle_ms`` overrides the facility's idle-lock minutes (tests use a few
    hundred milliseconds). ``ask`` answers yes/no questions (tests inject it)."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, session: Session, db_path: Path | None = None, *,
                 idle_ms: int | None = None, ask=None):
        super().__init__()
        self.session: Session | None = None
        self.db_path = Path(db_path or session.db.path)
        self._idle_override = idle_ms
        self.ask = ask
        self.pages: dict[str, QWidget] = {}
        self.lock_screen: LockScreen | None = None
        self.resize(1180, 760)

        self.outer = QStackedWidget(self)
        self.setCentralWidget(self.outer)
        self.work = QWidget(self.outer)
        wl = QHBoxLayout(self.work)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.setSpacing(0)
        self.nav = QListWidget(self.work)
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.currentItemChanged.connect(self._nav_changed)
        wl.addWidget(self.nav)
        self.stack = QStackedWidget(self.work)
        wl.addWidget(self.stack, 1)
        self.outer.addWidget(self.work)

        status = self.statusBar()
        self.facility_label = QLabel(self)
        self.staff_label = QLabel(self)
        status.addWidget(self.facility_label)
        status.addWidget(self.staff_label)
        self.lock_button = QPushButton(_("Lock (Ctrl+L)"), self)
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.clicked.connect(self.lock)
        status.addPermanentWidget(self.lock_button)

        self._build_menu()
        self.idle = IdleWatcher(self._idle_interval(session), self)
        self.idle.idle.connect(self.lock)
        self.set_session(session)

    # -- menu ------------------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(_("&ShelterDesk"))
        self.lock_action = QAction(_("Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.addAction(self.lock_action)
        self.password_action = QAction(_("Change my password…"), self)
        self.password_action.triggered.connect(self.change_password)
        self.accounts_action = QAction(_("Staff accounts…"), self)
        self.accounts_action.triggered.connect(lambda: self.show_page("accounts"))
        self.settings_action = QAction(_("Settings…"), self)
        self.settings_action.triggered.connect(self.open_settings)
        quit_action = QAction(_("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for a in (self.password_action, self.accounts_action, self.settings_action):
            menu.addAction(a)
        menu.addSeparator()
        menu.addAction(self.lock_action)
        menu.addAction(quit_action)

    def _idle_interval(self, session: Session) -> int:
        if self._idle_override is not None:
            return self._idle_override
        return max(1, session.facility().idle_lock_minutes) * 60_000

    # -- pages -----------------------------------------------------------------------
    def add_page(self, key: str, title: str, widget: QWidget, *, in_nav: bool = True) -> None:
        """Add a page; ``in_nav=False`` for pages reached from another page
        (a resident's record). Re-adding a key replaces (and destroys) the old page."""
        self.remove_page(key)
        self.pages[key] = widget
        self.stack.addWidget(widget)
        if in_nav:
            item = QListWidgetItem(title, self.nav)
            item.setData(Qt.ItemDataRole.UserRole, key)

    def remove_page(self, key: str) -> None:
        old = self.pages.pop(key, None)
        if old is None:
            return
        for i in range(self.nav.count()):
            if self.nav.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.takeItem(i)
                break
        self.stack.removeWidget(old)
        old.hide()
        old.deleteLater()

    def show_page(self, key: str) -> None:
        widget = self.pages.get(key)
        if widget is None:
            return
        self.stack.setCurrentWidget(widget)
        for i in range(self.nav.count()):
            item = self.nav.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                self.nav.blockSignals(True)
                self.nav.setCurrentItem(item)
                self.nav.blockSignals(False)
                break
        else:
            self.nav.clearSelection()

    def current_page(self) -> str | None:
        w = self.stack.currentWidget()
        return next((k for k, v in self.pages.items() if v is w), None)

    def _nav_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.show_page(current.data(Qt.ItemDataRole.UserRole))

    # ================================================================================
    # The pages of a session. Other screens plug in here: one add_page call each,
    # guarded by the roles that may use them.
    # ================================================================================
    def build_pages(self, session: Session) -> None:
        account = session.account
        self.residents_page = ResidentsPage(session.db, self.stack)
        self.residents_page.open_resident.connect(self.open_resident)
        self.add_page("residents", _("Residents"), self.residents_page)

        # The intake desk: admission wizard, rooms and beds, editable record, ledger import.
        from shelterdesk.gui.views import intake_pages
        intake_pages.install(self, session)

        if account is not None and account.has("admin"):
            from shelterdesk.gui.dialogs.accounts import AccountsPanel
            self.add_page("accounts", _("Staff accounts"),
                          AccountsPanel(session, self.stack, ask=self.ask))

    def open_resident(self, resident_id: int) -> None:
        """Her record as a page (audited by the store when it is read)."""
        if self.session is None:
            return
        page = RecordView(self.session, self.stack)
        page.open_resident(resident_id)  # the audited view
        page.closed.connect(self.back_to_list)
        page.changed.connect(lambda _rid: self.refresh_pages())
        self.add_page("resident", "", page, in_nav=False)
        self.show_page("resident")

    def refresh_pages(self) -> None:
        """After a save anywhere: the list and the bed board show it at once."""
        if hasattr(self, "residents_page"):
            self.residents_page.refresh()
        board = self.pages.get("beds")
        if board is not None:
            board.refresh()

    def back_to_list(self) -> None:
        self.show_page("residents")
        self.remove_page("resident")
        if "residents" in self.pages:
            self.residents_page.table.setFocus()

    # -- session ------------------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        self.session = session
        facility = session.facility()
        self.setWindowTitle(_("ShelterDesk — {facility}").format(facility=facility.name))
        self.facility_label.setText(facility.name)
        name = session.account.display_name if session.account else ""
        self.staff_label.setText(_("Logged in: {name}").format(name=name))
        is_admin = session.account is not None and session.account.has("admin")
        self.accounts_action.setEnabled(is_admin)
        self.settings_action.setEnabled(is_admin)
        self.password_action.setEnabled(session.account is not None
                                        and session.account.id is not None)
        self.lock_action.setEnabled(True)
        self.lock_button.setEnabled(True)
        self.build_pages(session)
        self.show_page("residents")
        if getattr(session, "warnings", None):
            # What the unlock found in the key file or the role grants
            # (store.session.reconcile_slots): said, not only audited.
            from PySide6.QtWidgets import QMessageBox
            box = QMessageBox(QMessageBox.Icon.Warning, _("Warning"),
                              "\n\n".join(session.warnings), QMessageBox.StandardButton.Ok, self)
            box.open()
        self.outer.setCurrentWidget(self.work)
        if self.lock_screen is not None:
            self.outer.removeWidget(self.lock_screen)
            self.lock_screen.deleteLater()
            self.lock_screen = None
        self.idle.set_interval(self._idle_interval(session))
        self.idle.start()
        if hasattr(self, "residents_page"):
            self.residents_page.search.setFocus()

    def lock(self) -> None:
        """Close every dialog, destroy every data page, close the connection,
        then show the lock screen."""
        if self.session is None:
            return
        if tasks.busy():  # a worker is using the connection; the idle timer retries
            self.idle.timer.start(1000)
            return
        self.idle.stop()
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                w.done(QDialog.DialogCode.Rejected)
                w.hide()
                w.deleteLater()
        if hasattr(self, "residents_page"):
            self.residents_page.forget()
            del self.residents_page
        for key in list(self.pages):
            self.remove_page(key)
        session, self.session = self.session, None
        session.lock()
        self.setWindowTitle(_("ShelterDesk"))
        self.facility_label.clear()
        self.staff_label.clear()
        for a in (self.lock_action, self.password_action, self.accounts_action,
                  self.settings_action):
            a.setEnabled(False)
        self.lock_button.setEnabled(False)
        self.lock_screen = LockScreen(self.db_path, self.outer)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.outer.addWidget(self.lock_screen)
        self.outer.setCurrentWidget(self.lock_screen)
        self.lock_screen.focus()
        self.locked.emit()

    def _unlocked(self, session: Session) -> None:
        self.set_session(session)
        self.unlocked.emit()

    # -- dialogs -------------------------------------------------------------------------
    def change_password(self) -> None:
        from shelterdesk.gui.dialogs.accounts import ChangeOwnPasswordDialog
        if self.session is not None:
            self.dialog = ChangeOwnPasswordDialog(self.session, self)
            self.dialog.open()

    def open_settings(self) -> None:
        from shelterdesk.gui.dialogs.accounts import SettingsDialog
        if self.session is None:
            return
        self.dialog = SettingsDialog(self.session, self)
        self.dialog.succeeded.connect(
            lambda: self.session and self.idle.set_interval(self._idle_interval(self.session)))
        self.dialog.open()

    def closeEvent(self, event) -> None:
        self.idle.stop()
        if self.session is not None:
            self.session.lock()
            self.session = None
        super().closeEvent(event)
