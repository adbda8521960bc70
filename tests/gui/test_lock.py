"""Idle auto-lock: after the idle interval nothing of the data is visible, the
connection is closed, and a staff member's own password brings it back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shelterdesk.gui.main_window import MainWindow
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions
from shelterdesk.store.vault import KdfParams

ADMIN, PASSWORD = "admin", "correct horse 1"
NAMES = ("見本", "花子", "架空", "桜", "メグさん", "みほん", "かくう")


def _shown(window, texts) -> str:
    return "\n".join(texts(window))


def test_idle_lock_hides_everything_and_unlock_brings_the_list_back(qtbot, populated, texts,
                                                                      shoot):
    s = sessions.unlock(populated, ADMIN, PASSWORD)
    window = MainWindow(s, populated, idle_ms=400)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.open_record(window.pages["residents"].model.row_at(0).resident_id)
    assert any(n in _shown(window, texts) for n in NAMES)
    db = s.db

    qtbot.waitUntil(lambda: window.lock_screen is not None, timeout=3000)
    shown = _shown(window, texts)
    assert not any(n in shown for n in NAMES)
    assert "テスト施設" not in window.windowTitle()
    assert not db.is_open  # connection closed, key dropped
    assert s._data_key is None
    assert window.session is None
    assert window.pages == {}
    shoot(window, "lock_test")

    # Unlock with the password (Enter submits)
    panel = window.lock_screen.panel
    panel.ui.login.setText(ADMIN)
    qtbot.keyClicks(panel.ui.password, PASSWORD)
    qtbot.keyClick(panel.ui.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session is not None, timeout=5000)
    assert "見本 花子" in _shown(window, texts)
    assert window.current_page() == "residents"
    actions = [a for (a,) in window.session.db.query(
        "SELECT action FROM audit WHERE action IN ('lock', 'login') ORDER BY id")]
    assert actions[-2:] == ["lock", "login"]
    window.close()


def test_activity_postpones_the_lock_and_ctrl_l_locks_at_once(qtbot, populated):
    s = sessions.unlock(populated, ADMIN, PASSWORD)
    window = MainWindow(s, populated, idle_ms=600)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    search = window.pages["residents"].search
    for _ in range(5):  # 1 s of typing keeps it open
        qtbot.wait(200)
        qtbot.keyClick(search, Qt.Key.Key_A)
    assert window.session is not None
    qtbot.keyClick(search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session is None and window.lock_screen is not None
    assert not s.db.is_open
    window.close()


def test_another_staff_member_unlocks_with_her_own_password(qtbot, populated):
    s = sessions.unlock(populated, ADMIN, PASSWORD)
    s.kdf = KdfParams(time_cost=1, memory_kib=8, parallelism=1)
    accounts_repo.add_account(s, "night", "夜勤 テスト", {"intake"}, "night shift 1")
    window = MainWindow(s, populated, idle_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    window.lock()
    panel = window.lock_screen.panel
    panel.ui.login.setText("night")
    panel.ui.password.setText("wrong password")
    panel.submit()
    qtbot.waitUntil(lambda: panel.message() == "Wrong login or password.", timeout=5000)
    assert window.session is None
    panel.ui.password.setText("night shift 1")
    panel.submit()
    qtbot.waitUntil(lambda: window.session is not None, timeout=5000)
    assert window.session.account.login == "night"
    assert "accounts" not in window.pages  # not an administrator
    assert "夜勤 テスト" in window.staff_label.text()
    window.close()


def test_what_the_unlock_found_in_the_key_file_is_shown(qtbot, session, db_path):
    """A warning from the unlock (here: a slot of no account in the key file)
    reaches the person at the desk, not only the audit log."""
    from PySide6.QtWidgets import QMessageBox

    session.warnings = ["The key file held 1 key slot(s) that belong to no account of this "
                        "database; they were removed."]
    w = MainWindow(session, db_path)
    qtbot.addWidget(w)
    boxes = [b for b in w.findChildren(QMessageBox) if "no account" in b.text()]
    assert boxes
