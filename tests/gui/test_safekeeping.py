"""Issue 12 in the GUI: the settings page (validation beside the fields,
audited), the backup reminder banner at login, backup / test / restore from
the safekeeping page, the retention list, and locking with the OS."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from shelterdesk.gui import tasks
from shelterdesk.gui.main_window import MainWindow
from shelterdesk.gui.views.admin.safekeeping import SafekeepingPage
from shelterdesk.gui.views.admin.settings_page import SettingsPage
from shelterdesk.store import backup as backups
from shelterdesk.store import settings
from tests.conftest import ADMIN, PASSWORD

SHOTS = None  # set to a folder to grab the screens at 1366×768


def _grab(widget, name):
    if SHOTS:
        widget.resize(1366, 768)
        widget.grab().save(f"{SHOTS}/{name}.png")


def test_settings_page_validates_saves_and_audits(qtbot, session):
    page = SettingsPage(session)
    qtbot.addWidget(page)
    page.show()
    assert page.idle.value() == 5 and page.capacity.value() == 6
    assert not page.save_settings()  # nothing changed
    page.name.setText("   ")
    page.closures.setText("2026-12-28, not a date")
    assert not page.save_settings()
    assert page.form.error_text(settings.FACILITY_NAME) == "Enter the facility name."
    assert "dates" in page.form.error_text(settings.CLOSURE_DAYS)
    assert settings.facility_name(session.db) == "テスト施設（架空）"  # nothing written
    page.name.setText("テスト施設（架空）")
    page.closures.setText("2026-12-28, 2027-01-04")
    page.idle.setValue(12)
    page.capacity.setValue(8)
    page.capacity_from.set_value(date(2026, 4, 1))
    page.curfew.setText("22:00")
    page.reminder.setValue(14)
    page.retention.setValue(5)
    _grab(page, "settings")
    assert page.save_settings(), page.general.text()
    db = session.db
    assert session.facility().idle_lock_minutes == 12
    assert settings.closure_days(db) == (date(2026, 12, 28), date(2027, 1, 4))
    assert settings.capacity_on(db, date(2026, 3, 31)) == 6
    assert settings.capacity_on(db, date(2026, 4, 1)) == 8
    assert settings.backup_reminder_days(db) == 14
    assert settings.house_rules(db) == settings.HouseRules(5, "22:00", "")
    details = [d for (d,) in db.query("SELECT detail FROM audit WHERE action='update'")]
    assert "capacity=8 from=2026-04-01" in details and "curfew" in details
    # Keyboard: Tab from the name reaches the next fields in order.
    from PySide6.QtWidgets import QApplication
    page.activateWindow()
    page.name.setFocus()
    qtbot.waitUntil(page.name.hasFocus, timeout=3000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() in (page.capacity, page.capacity.lineEdit())
    page.save.setFocus()
    qtbot.keyClick(page.save, Qt.Key.Key_Return)  # Enter saves (nothing changed: says so)
    assert page.general.text() == "Nothing was changed."


def test_reminder_at_login_until_a_backup_is_made(qtbot, session, db_path, tmp_path,
                                                  monkeypatch):
    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information",
                        lambda *a, **k: shown.append(a[2]))
    window = MainWindow(session, db_path, idle_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    assert window.backup_reminder.isVisible()
    assert "safekeeping" in window.pages and "settings" in window.pages
    page = window.pages["safekeeping"]
    page.back_up_to(tmp_path)
    qtbot.waitUntil(lambda: not tasks.busy() and backups.last_verified(session.db) is not None,
                    timeout=10000)
    qtbot.waitUntil(lambda: not window.backup_reminder.isVisible(), timeout=5000)
    made = list(tmp_path.glob("backup-*.sdbk"))
    assert len(made) == 1 and "written and verified" in shown[-1]
    assert "Last verified backup" in page.last.text()
    _grab(page, "safekeeping")
    # Locking with the operating system: the watcher's signal locks the window.
    window.os_lock.locked.emit()
    assert window.session is None and window.lock_screen is not None


def test_drill_and_restore_from_the_page(qtbot, session, tmp_path, monkeypatch):
    page = SafekeepingPage(session)
    qtbot.addWidget(page)
    result = backups.backup(session, tmp_path / "b.sdbk")
    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information",
                        lambda *a, **k: shown.append(a[2]))
    page.drill(result.path, login=ADMIN, password=PASSWORD)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "it is good" in shown[-1]
    page.drill(result.path, login=ADMIN, password="wrong")
    qtbot.waitUntil(lambda: bool(page.general.text()), timeout=10000)
    assert "Wrong login or password" in page.general.text()
    info = backups.inspect(result.path, ADMIN, PASSWORD)
    assert "made by admin" in page.describe(info)
    new = tmp_path / "restored.db"
    page.restore_to(result.path, new, login=ADMIN, password=PASSWORD)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10000)
    assert new.exists() and str(new) in shown[-1]
