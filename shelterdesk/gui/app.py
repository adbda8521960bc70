"""Starting the GUI: application, translator, fonts and style, then the
first-run screen (no database yet) or the login, then the main window.

The database path comes from ``--db``, else SHELTERDESK_DB, else the per-user
data directory (the command line's rule). An existing file is never
replaced: if it exists, only the login is offered.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from shelterdesk import i18n
from shelterdesk.gui import i18n_qt, style
from shelterdesk.i18n import _

if TYPE_CHECKING:
    from shelterdesk.store.vault import KdfParams


def setup_application(app: QApplication) -> bool:
    """Translator, fonts, stylesheet. Returns whether the BIZ UD font was found."""
    app.setApplicationName("ShelterDesk")
    app.setOrganizationName("ShelterDesk")
    app.setWindowIcon(style.app_icon())
    i18n_qt.install(app)
    return style.apply(app)


def resolve_db_path(db: str | None) -> Path:
    from shelterdesk.paths import default_db_path
    return Path(db) if db else default_db_path()


class Controller(QObject):
    """Which window is showing. ``kdf`` is for tests only (the program passes
    None, so the store calibrates a real key-derivation cost). With
    ``warm_fonts`` (the program's setting) the document fonts are loaded on a
    worker once the main window is up, so the first preview of the session
    does not wait for them."""

    def __init__(self, db_path: Path, *, kdf: KdfParams | None = None,
                 idle_ms: int | None = None, ask=None, warm_fonts: bool = False):
        super().__init__()
        self.warm_fonts = warm_fonts
        self.db_path = Path(db_path)
        self.kdf = kdf
        self.idle_ms = idle_ms
        self.ask = ask
        self.window: QWidget | None = None
        self.main_window = None

    def start(self) -> QWidget:
        if self.db_path.exists():
            return self.show_login()
        return self.show_first_run()

    def _replace(self, widget: QWidget) -> QWidget:
        old, self.window = self.window, widget
        widget.show()
        if old is not None:
            old.close()
            old.deleteLater()
        return widget

    def show_first_run(self) -> QWidget:
        from shelterdesk.gui.views.first_run import FirstRunScreen
        screen = FirstRunScreen(self.db_path, kdf=self.kdf)
        screen.created.connect(self.show_main)
        screen.demo_ready.connect(self._demo_ready)
        return self._replace(screen)

    def _demo_ready(self, path: Path) -> None:
        self.db_path = Path(path)
        self.show_login().panel.set_login("admin")

    def show_login(self):
        from shelterdesk.gui.views.login import LoginScreen
        screen = LoginScreen(self.db_path, kdf=self.kdf)
        screen.unlocked.connect(self.show_main)
        screen.panel.ui.login.setFocus()
        # The store (SQLCipher, the vault's crypto) is imported once the window
        # is up, while she types, instead of before it appears.
        QTimer.singleShot(PRELOAD_DELAY_MS, _preload_store)
        return self._replace(screen)

    def show_main(self, session) -> QWidget:
        from shelterdesk.gui.main_window import MainWindow
        self.main_window = MainWindow(session, self.db_path, idle_ms=self.idle_ms, ask=self.ask)
        window = self._replace(self.main_window)
        if self.warm_fonts:
            QTimer.singleShot(0, self._warm_up_fonts)
        return window

    def _warm_up_fonts(self) -> None:
        """Once per process; a failure is left for the first real document to
        report (it says which font is missing)."""
        if self.warm_fonts:
            self.warm_fonts = False
            from shelterdesk.gui.tasks import run_task
            from shelterdesk.reports import fonts
            run_task(None, fonts.warm_up, on_error=lambda _error: None)


#: How long after the login window appears the store is imported.
PRELOAD_DELAY_MS = 300


def _preload_store() -> None:
    import shelterdesk.store.session  # noqa: F401


def _warn_missing_font(parent: QWidget) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, _("Font missing"),
                      _("The BIZ UD fonts are not installed, so Japanese text may look wrong "
                        "or appear as boxes. Run `make setup` (or install "
                        "fonts-morisawa-bizud-gothic) and start ShelterDesk again."),
                      QMessageBox.StandardButton.Ok, parent)
    box.open()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="shelterdesk")
    parser.add_argument("--db", default=None)
    parser.add_argument("--lang", default=os.environ.get("SHELTERDESK_LANG",
                                                         i18n.DEFAULT_LANGUAGE))
    args, qt_args = parser.parse_known_args(argv[1:])
    if args.lang in i18n.UI_LANGUAGES:
        i18n.set_language(args.lang)
    app = QApplication.instance() or QApplication([argv[0] if argv else "shelterdesk",
                                                   *qt_args])
    fonts_ok = setup_application(app)
    sys.excepthook = _report_unexpected
    controller = Controller(resolve_db_path(args.db), warm_fonts=True)
    window = controller.start()
    if not fonts_ok:
        QTimer.singleShot(0, lambda: _warn_missing_font(window))
    shot = os.environ.get(SCREENSHOT_ENV)
    if shot:
        _screenshot_when_shown(app, window, Path(shot))
    return app.exec()


#: Test-only hook (tests/gui/test_xvfb.py, the start-up benchmark): when set
#: to a path, the program saves a picture of its first window (first-run screen
#: or login, which show nothing personal) there once the window server has
#: shown it, and quits; set to ``none``, it only quits. Unset, it does nothing.
SCREENSHOT_ENV = "SHELTERDESK_SCREENSHOT"


def _screenshot_when_shown(app: QApplication, window: QWidget, path: Path,
                           timeout_ms: int = 20_000) -> None:
    waited = 0

    def poll() -> None:
        nonlocal waited
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            app.processEvents()
            if str(path) != "none":
                window.grab().save(str(path), "PNG")
            app.exit(0)
        elif waited >= timeout_ms:
            print("window never shown", file=sys.stderr)
            app.exit(3)
        else:
            waited += 10
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _report_unexpected(kind, error, tb) -> None:
    """An error nobody expected (a full disk, a pulled drive…) is told to the
    user instead of vanishing into a console nobody reads. Each user action is
    one transaction, so the action failed as a whole and earlier work is safe.
    Only the error's type and the code location go to stderr: the message of a
    lower layer could quote what was typed."""
    traceback.print_tb(tb)
    print(f"{kind.__name__}", file=sys.stderr)
    parent = QApplication.activeWindow()
    QMessageBox.critical(parent, _("Unexpected error"), _(
        "An unexpected error stopped this action; it was not saved. Everything saved "
        "before it is safe. If it happens again, note the time and tell the administrator.\n\n"
        "Details: {kind}: {message}").format(kind=kind.__name__, message=str(error)[:200]))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
