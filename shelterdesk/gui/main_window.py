"""The main window: navigation on the left, pages on the right, the session in
the status bar, and the idle lock.

The navigation and the menu are built from the one list of features
(gui/features.py): the window knows no page by name, except her record, which
it opens when a page asks (``openRecord``). Pages refresh themselves from the
change hub (gui/changes.py); the window relays no page's signals to another.

Pages are built from a Session by :meth:`MainWindow.build_pages` and are
destroyed, not hidden, when the window locks: after a lock no widget holding resident data exists, the window title
names nothing, and the connection is closed with its key dropped. Unlocking
(by the same or another staff member) builds everything again from the new
Session.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
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
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.gui import changes, features, tasks
from shelterdesk.gui.views.lock import LockScreen
from shelterdesk.gui.views.record import RecordView
from shelterdesk.gui.widgets.screen_fit import fit_to_screen
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


class DialogFocus(QObject):
    """Application-wide: when a dialog closes (the PDF preview, moving a bed,
    a discharge…), the focus goes back to the widget that had it when the
    dialog opened — or, when that one is gone or disabled (the Discharge
    button after a discharge), to the next one in its window's Tab order.
    Without this nothing has the focus and a keyboard user is lost."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._before: dict[int, QWidget] = {}

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(obj, QDialog) and obj.isWindow():
            if event.type() == QEvent.Type.Show:
                focus = QApplication.focusWidget()
                if focus is not None and focus.window() is not obj:
                    self._before[id(obj)] = focus
            elif event.type() == QEvent.Type.Hide:
                focus = self._before.pop(id(obj), None)
                if focus is not None:
                    QTimer.singleShot(0, lambda f=focus: self._restore(f))
        return False

    @staticmethod
    def _restore(widget: QWidget) -> None:
        if not shiboken6.isValid(widget):
            return
        candidate, seen = widget, 0
        while seen < 200 and not (candidate.isVisible() and candidate.isEnabled()
                                  and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus):
            candidate = candidate.nextInFocusChain()
            seen += 1
            if candidate is widget:
                return
        if not candidate.window().isActiveWindow():
            candidate.window().activateWindow()
        candidate.setFocus(Qt.FocusReason.OtherFocusReason)


class MainWindow(QMainWindow):
    """``idle_ms`` overrides the facility's idle-lock minutes (tests use a few
    hundred milliseconds). ``ask`` answers yes/no questions (tests inject it).
    ``feature_list`` replaces :data:`features.FEATURES` (tests)."""

    locked = Signal()
    unlocked = Signal()

    #: The key of her record's page (not in the navigation).
    RECORD = "resident"

    def __init__(self, session: Session, db_path: Path | None = None, *,
                 idle_ms: int | None = None, ask=None,
                 feature_list: tuple[features.Feature, ...] | None = None):
        super().__init__()
        self.session: Session | None = None
        self.db_path = Path(db_path or session.db.path)
        self._idle_override = idle_ms
        self.ask = ask
        self.features = features.FEATURES if feature_list is None else feature_list
        self.pages: dict[str, QWidget] = {}
        self.actions_by_key: dict[str, tuple[features.Action, QAction]] = {}
        self.dialog: QDialog | None = None
        self.lock_screen: LockScreen | None = None
        self._focus_before_record: QWidget | None = None
        fit_to_screen(self, 1180, 760)

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
        self.nav.itemClicked.connect(self._nav_clicked)
        wl.addWidget(self.nav)
        self.stack = QStackedWidget(self.work)
        right = QWidget(self.work)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        # Issue 12: a manager's or administrator's login shows this until a
        # verified backup is younger than the reminder days.
        self.backup_reminder = QLabel(right)
        self.backup_reminder.setObjectName("backupReminder")
        self.backup_reminder.setWordWrap(True)
        self.backup_reminder.hide()
        rl.addWidget(self.backup_reminder)
        rl.addWidget(self.stack, 1)
        self.stack.setParent(right)
        wl.addWidget(right, 1)
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
        self.dialog_focus = DialogFocus(self)
        QApplication.instance().installEventFilter(self.dialog_focus)
        changes.hub().changed.connect(self._on_change)
        self.idle = IdleWatcher(self._idle_interval(session), self)
        self.idle.idle.connect(self.lock)
        from shelterdesk.gui.os_lock import OsLockWatcher
        self.os_lock = OsLockWatcher(self)
        self.os_lock.locked.connect(self.lock)
        self.set_session(session)

    # -- menu ------------------------------------------------------------------------
    def _build_menu(self) -> None:
        """The features' actions in list order, then Lock and Quit. Built once
        per window; :meth:`set_session` enables what the account may use."""
        self.main_menu = self.menuBar().addMenu(_("&ShelterDesk"))
        for feature in self.features:
            for spec in feature.actions:
                action = QAction(_(spec.text), self)
                action.setObjectName(spec.key)
                if spec.shortcut:
                    action.setShortcut(QKeySequence(spec.shortcut))
                action.triggered.connect(lambda _c=False, s=spec: self._run_action(s))
                action.setEnabled(False)
                self.main_menu.addAction(action)
                self.actions_by_key[spec.key] = (spec, action)
        self.main_menu.addSeparator()
        self.lock_action = QAction(_("Lock"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.triggered.connect(self.lock)
        self.addAction(self.lock_action)
        self.main_menu.addAction(self.lock_action)
        self.quit_action = QAction(_("Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.main_menu.addAction(self.quit_action)
        for feature in self.features:
            if feature.page is not None and feature.shortcut:
                jump = QAction(self)
                jump.setShortcut(QKeySequence(feature.shortcut))
                jump.triggered.connect(lambda _c=False, k=feature.key: self.show_page(k))
                self.addAction(jump)

    def action(self, key: str) -> QAction:
        """The menu action a feature declared under ``key``."""
        return self.actions_by_key[key][1]

    def _run_action(self, spec: features.Action) -> None:
        if self.session is not None and spec.enabled_for(self.session.account):
            spec.run(self)

    def _enable_actions(self, account) -> None:
        for spec, action in self.actions_by_key.values():
            action.setEnabled(spec.enabled_for(account))

    def open_dialog(self, dialog: QDialog) -> None:
        """Keep the dialog alive while it is open (the lock closes it)."""
        self.dialog = dialog
        dialog.open()

    def _idle_interval(self, session: Session) -> int:
        if self._idle_override is not None:
            return self._idle_override
        return max(1, session.facility().idle_lock_minutes) * 60_000

    def _on_change(self, change: changes.Change) -> None:
        """The idle-lock minutes may have changed in the settings."""
        if change.touches(changes.BACKUP, changes.SETTINGS):
            self.update_backup_reminder()
        if self.session is not None and change.touches(changes.SETTINGS):
            self.idle.set_interval(self._idle_interval(self.session))

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
        open_record = getattr(widget, "openRecord", None)
        if open_record is not None:
            open_record.connect(self.open_record)
        open_record_at = getattr(widget, "openRecordAt", None)  # (id, tab class name, target)
        open_record_tab = getattr(widget, "openRecordTab", None)  # (resident id, tab class name)
        if open_record_at is not None:
            open_record_at.connect(self.open_record_tab)
        elif open_record_tab is not None:
            open_record_tab.connect(self.open_record_tab)

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
        current = None
        for i in range(self.nav.count()):
            item = self.nav.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                current = item
                break
        # A page outside the navigation (her record) leaves no item current:
        # the item of the page she was opened from must answer the next click.
        self.nav.blockSignals(True)
        self.nav.setCurrentItem(current)
        if current is None:
            self.nav.clearSelection()
        self.nav.blockSignals(False)

    def current_page(self) -> str | None:
        w = self.stack.currentWidget()
        return next((k for k, v in self.pages.items() if v is w), None)

    def nav_keys(self) -> list[str]:
        """The navigation entries shown, in order."""
        return [self.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.nav.count())]

    def _nav_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.show_page(current.data(Qt.ItemDataRole.UserRole))

    def _nav_clicked(self, item: QListWidgetItem) -> None:
        """A click on the current item still shows its page."""
        key = item.data(Qt.ItemDataRole.UserRole)
        if self.current_page() != key:
            self.show_page(key)

    def build_pages(self, session: Session) -> None:
        """One page per feature the account may see, in the features' order."""
        for feature in self.features:
            if feature.visible_for(session.account):
                self.add_page(feature.key, _(feature.title), feature.page(session, self))

    def open_record(self, resident_id: int) -> None:
        """Her record as a page (audited by the store when it is read)."""
        if self.session is None:
            return
        back_to = self.current_page()
        if back_to != self.RECORD:
            self._back_to = back_to
            self._focus_before_record = QApplication.focusWidget()
        page = RecordView(self.session, self.stack)
        page.open_resident(resident_id)  # the audited view
        page.closed.connect(self.close_record)
        self.add_page(self.RECORD, "", page, in_nav=False)
        self.show_page(self.RECORD)

    def open_record_tab(self, resident_id: int, tab: str, target: int | None = None) -> None:
        """Her record opened at one tab (a line of the Today page), the focus on
        that tab's first useful widget (the line's milestone or item selected),
        not on "back to the list"."""
        self.open_record(resident_id)
        page = self.pages.get(self.RECORD)
        if page is not None and page.show_tab(tab):
            page.focus_tab(target)

    def close_record(self) -> None:
        """Back to the page her record was opened from, focus where it was."""
        self.show_page(getattr(self, "_back_to", None) or self.nav_keys()[0])
        self.remove_page(self.RECORD)
        focus, self._focus_before_record = self._focus_before_record, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.setFocus()

    # -- session ------------------------------------------------------------------------
    def set_session(self, session: Session) -> None:
        self.session = session
        facility = session.facility()
        self.setWindowTitle(_("ShelterDesk — {facility}").format(facility=facility.name))
        self.facility_label.setText(facility.name)
        name = session.account.display_name if session.account else ""
        self.staff_label.setText(_("Logged in: {name}").format(name=name))
        self._enable_actions(session.account)
        self.lock_action.setEnabled(True)
        self.lock_button.setEnabled(True)
        self.build_pages(session)
        home = features.home_page(self.features, session.account)
        if home is not None:
            self.show_page(home)
        if getattr(session, "warnings", None):
            # What the unlock found in the key file or the role grants
            # (store.session.reconcile_slots): said, not only audited.
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
        if home is not None:
            self.focus_page(home)
            # Again once the window is shown and active: activation would
            # otherwise give the focus to the navigation list.
            QTimer.singleShot(0, lambda k=home: self.focus_page(k))
        self.update_backup_reminder()

    def focus_page(self, key: str) -> None:
        """The page's own first field (its focus proxy: the residents list's
        search box)."""
        page = self.pages.get(key)
        if page is not None and shiboken6.isValid(page) and self.current_page() == key:
            page.setFocus(Qt.FocusReason.OtherFocusReason)


    def update_backup_reminder(self) -> None:
        """Show or hide the backup reminder (managers and administrators)."""
        from shelterdesk.core.codes import MANAGEMENT
        from shelterdesk.store import backup as backups
        s = self.session
        due = (s is not None and s.db.is_open and features.allowed(s.account, MANAGEMENT)
               and backups.reminder_due(s.db))
        if due:
            last = backups.last_verified(s.db)
            self.backup_reminder.setText(
                _("No verified backup has been made yet. Please make one (Backups and "
                  "retention).") if last is None else
                _("The last verified backup is from {date}. Please make a backup now (Backups "
                  "and retention).").format(date=last.date().isoformat()))
        self.backup_reminder.setVisible(bool(due))

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
        self.dialog = None
        self._focus_before_record = None
        for key in list(self.pages):
            forget = getattr(self.pages[key], "forget", None)
            if forget is not None:
                forget()
            self.remove_page(key)
        session, self.session = self.session, None
        session.lock()
        self.setWindowTitle(_("ShelterDesk"))
        self.facility_label.clear()
        self.staff_label.clear()
        self.backup_reminder.hide()
        self._enable_actions(None)
        self.lock_action.setEnabled(False)
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

    def closeEvent(self, event) -> None:
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.dialog_focus)
        if self.session is not None:
            self.session.lock()
            self.session = None
        super().closeEvent(event)
