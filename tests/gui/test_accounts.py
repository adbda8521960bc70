"""Staff accounts: adding one (it can log in), disabling it (it cannot),
rotating the data key afterwards, changing one's own password, settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shelterdesk.gui.dialogs.accounts import (
    AccountsPanel,
    AddAccountDialog,
    ChangeOwnPasswordDialog,
)
from shelterdesk.gui.main_window import MainWindow
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import WrongPassword

ADMIN, PASSWORD = "admin", "correct horse 1"


@pytest.fixture
def admin(session):
    return session


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)


def test_add_account_then_it_unlocks_and_disabling_prevents_login(qtbot, admin, db_path,
                                                                   type_text, shoot):
    answers = []

    def ask(_parent, _title, text):
        answers.append(text)
        return True

    panel = AccountsPanel(admin, ask=ask)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, AddAccountDialog) and dialog.isVisible()
    # Mistakes are shown next to their fields; nothing is written.
    dialog.login.setText("bad login!")
    dialog.password.setText("short")
    _ok(qtbot, dialog)
    assert dialog.errors.error_text("login") and dialog.errors.error_text("password")
    assert dialog.errors.error_text("roles") == "Choose at least one role."
    assert dialog.isVisible()
    dialog.login.setText("nightdesk")
    type_text(dialog.display_name, "見本 夜勤")
    dialog.role_boxes["intake"].setChecked(True)
    dialog.role_boxes["caseworker"].setChecked(True)
    dialog.password.setText("night desk 1")
    dialog.password2.setText("night desk 1")
    shoot(dialog, "account_add")
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    logins = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert "nightdesk" in logins
    roles = panel.table.item(logins.index("nightdesk"), 2).text()
    assert roles == "Intake staff, Caseworker"
    shoot(panel, "accounts_test")

    s2 = sessions.unlock(db_path, "nightdesk", "night desk 1")
    assert s2.account.roles == {"intake", "caseworker"}
    s2.lock()

    panel.select_login("nightdesk")
    assert panel.disable_button.isEnabled()
    qtbot.mouseClick(panel.disable_button, Qt.MouseButton.LeftButton)
    assert answers[0].startswith("Disable nightdesk?")
    assert answers[1].startswith("Rotate the data key now?")
    qtbot.waitUntil(lambda: panel.message.text() == "The data key was rotated.", timeout=10_000)
    assert panel.table.item(logins.index("nightdesk"), 3).text() == "disabled"
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, "nightdesk", "night desk 1")
    # the administrator's own password still opens the re-keyed database
    sessions.unlock(db_path, ADMIN, PASSWORD).lock()


def test_the_last_administrator_cannot_be_disabled(qtbot, admin):
    panel = AccountsPanel(admin, ask=lambda *_a: True)
    qtbot.addWidget(panel)
    panel.select_login(ADMIN)
    panel.disable_selected()
    assert "last administrator" in panel.message.text() or "own account" in panel.message.text()
    assert not accounts_repo.list_accounts(admin.db)[0].disabled


def test_disabling_ones_own_account_is_refused_before_asking(qtbot, admin):
    accounts_repo.add_account(admin, "second", "管理者 二", {"admin"}, "second admin 12")
    asked = []
    panel = AccountsPanel(admin, ask=lambda *a: asked.append(a) or True)
    qtbot.addWidget(panel)
    panel.select_login(ADMIN)  # her own, not the last administrator any more
    panel.disable_selected()
    assert asked == []
    assert panel.message.text() == "You cannot disable your own account."


def test_change_own_password(qtbot, admin, db_path):
    dialog = ChangeOwnPasswordDialog(admin)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.old.setText("not my password")
    dialog.password.setText("brand new pass 2")
    dialog.password2.setText("brand new pass 2")
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(dialog.errors.error_text("old_password")), timeout=5000)
    assert dialog.errors.error_text("old_password") == "The current password is wrong."
    dialog.old.setText(PASSWORD)
    _ok(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    sessions.unlock(db_path, ADMIN, "brand new pass 2").lock()
    # The settings (idle lock and the rest): tests/gui/test_safekeeping.py.


def test_accounts_page_is_for_administrators_only(qtbot, admin, db_path):
    accounts_repo.add_account(admin, "desk", "受付 テスト", {"intake"}, "desk desk 1")
    window = MainWindow(admin, db_path, idle_ms=60_000)
    qtbot.addWidget(window)
    assert "accounts" in window.pages and window.action("accounts").isEnabled()
    window.lock()
    s = sessions.unlock(db_path, "desk", "desk desk 1")
    window._unlocked(s)
    assert "accounts" not in window.pages
    assert not window.action("accounts").isEnabled()
    assert not window.action("settings").isEnabled()
    assert window.action("change_password").isEnabled()
    window.close()


def test_an_unanswered_rotation_question_leaves_a_reminder(qtbot, admin):
    """Disabling asks whether to rotate; left unanswered (the idle lock closes
    the question as "no"), the advice stays until the key is rotated."""
    accounts_repo.add_account(admin, "temp1", "見本 臨時", {"intake"}, "temporary 1")
    answers = iter([True, False])  # disable: yes; rotate now: (closed) no
    panel = AccountsPanel(admin, ask=lambda *_a: next(answers))
    qtbot.addWidget(panel)
    panel.select_login("temp1")
    panel.disable_selected()
    again = AccountsPanel(admin, ask=lambda *_a: True)
    qtbot.addWidget(again)
    assert "Rotate the data key" in again.message.text()
    accounts_repo.rotate_data_key(admin)
    third = AccountsPanel(admin, ask=lambda *_a: True)
    qtbot.addWidget(third)
    assert third.message.text() == ""


def test_add_account_dialog_starts_in_the_login_field(qtbot, admin):
    dialog = AddAccountDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.login.hasFocus())
