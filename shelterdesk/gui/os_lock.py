"""Lock with the operating system (issue 12, item 8): when the session locks
or the screen saver starts, ShelterDesk locks too (main_window.lock).

What each platform tells a Qt program:

- Every platform: ``QGuiApplication.applicationStateChanged``. Suspended and
  Hidden (macOS "hide", a session going away) lock; Inactive does not — on a
  desktop it only means another window has the focus.
- Linux: logind's ``org.freedesktop.login1.Session.Lock`` signal on the system
  bus (``loginctl lock-session``, most desktops' lock) and the
  ``org.freedesktop.ScreenSaver.ActiveChanged(true)`` signal on the session
  bus (GNOME, KDE, Xfce), through QtDBus when a D-Bus is running.
- Windows: ``WTSRegisterSessionNotification`` and ``WM_WTSSESSION_CHANGE`` with
  ``WTS_SESSION_LOCK`` (Win+L, switching users, the screen saver's lock).
- Elsewhere (no D-Bus, a bare X server, a remote session) nothing is reported:
  the idle lock (Settings) is the only lock; the README says so.
"""

from __future__ import annotations

import contextlib
import sys

from PySide6.QtCore import QAbstractNativeEventFilter, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication

_WM_WTSSESSION_CHANGE = 0x02B1
_WTS_SESSION_LOCK = 0x7


class _WindowsSessionFilter(QAbstractNativeEventFilter):
    def __init__(self, watcher: OsLockWatcher):
        super().__init__()
        self.watcher = watcher

    def nativeEventFilter(self, event_type, message):
        if event_type == b"windows_generic_MSG":
            import ctypes.wintypes
            msg = ctypes.wintypes.MSG.from_address(int(message))
            if msg.message == _WM_WTSSESSION_CHANGE and msg.wParam == _WTS_SESSION_LOCK:
                self.watcher.locked.emit()
        return False, 0


class OsLockWatcher(QObject):
    """Emits :attr:`locked` when the operating system reports a lock."""

    locked = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.sources: list[str] = []
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._state)
            self.sources.append("application-state")
        if sys.platform.startswith("linux"):
            self._dbus()
        elif sys.platform == "win32":
            self._windows(window)

    @Slot(Qt.ApplicationState)
    def _state(self, state) -> None:
        if state in (Qt.ApplicationState.ApplicationSuspended,
                     Qt.ApplicationState.ApplicationHidden):
            self.locked.emit()

    @Slot()
    def session_locked(self) -> None:
        self.locked.emit()

    @Slot(bool)
    def screensaver(self, active: bool) -> None:
        if active:
            self.locked.emit()

    def _dbus(self) -> None:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return
        system = QDBusConnection.systemBus()
        if system.isConnected() and system.connect(
                "org.freedesktop.login1", "", "org.freedesktop.login1.Session", "Lock",
                self, "session_locked()"):
            self.sources.append("logind")
        session = QDBusConnection.sessionBus()
        if session.isConnected() and session.connect(
                "", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver",
                "ActiveChanged", self, "screensaver(bool)"):
            self.sources.append("screensaver")

    def _windows(self, window) -> None:
        with contextlib.suppress(Exception):
            import ctypes
            hwnd = int(window.winId())
            if ctypes.windll.wtsapi32.WTSRegisterSessionNotification(hwnd, 0):
                self._filter = _WindowsSessionFilter(self)
                QGuiApplication.instance().installNativeEventFilter(self._filter)
                self.sources.append("wts")
