"""First start: creating a facility (with the recovery code shown once and
printed) and opening the demo."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from shelterdesk.gui.app import Controller
from shelterdesk.gui.main_window import MainWindow
from shelterdesk.gui.views.first_run import FirstRunScreen
from shelterdesk.gui.views.login import LoginScreen
from shelterdesk.store import session as sessions
from shelterdesk.store.demo import DEMO_PASSWORD
from shelterdesk.store.rooms import list_rooms
from shelterdesk.store.vault import TEST_KDF


def _fill_create_form(qtbot, screen: FirstRunScreen, type_into, *,
                      repeat: str = "long enough 1") -> None:
    qtbot.mouseClick(screen.create_choice, Qt.MouseButton.LeftButton)
    type_into(screen.facility_name, "架空の家")
    screen.capacity.setValue(8)
    screen.add_room_row("202", True, "A, B")
    qtbot.keyClicks(screen.admin_login, "chief")
    type_into(screen.admin_name, "見本 管理者")
    qtbot.keyClicks(screen.password, "long enough 1")
    qtbot.keyClicks(screen.password2, repeat)


def test_create_facility_shows_recovery_code_once_then_main_window(qtbot, tmp_path, shoot,
                                                                   type_text):
    path = tmp_path / "new.db"
    controller = Controller(path, kdf=TEST_KDF)
    screen = controller.start()
    assert isinstance(screen, FirstRunScreen)
    _fill_create_form(qtbot, screen, type_text)
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.recovery_dialog is not None
                    and screen.recovery_dialog.isVisible(), timeout=10_000)
    dialog = screen.recovery_dialog
    # Shown in lines of whole groups (a line never breaks inside a group).
    lines = dialog.code_label.text().split("\n")
    assert len(lines) == 3
    assert all(len(group) == 4 for line in lines for group in line.split("-"))
    code = "-".join(lines)
    assert len(code.replace("-", "")) == 52
    shoot(dialog, "recovery_code")

    # Printing: one page with the code (to a PDF here; to paper in real use).
    pdf = tmp_path / "recovery.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf))
    dialog.print_to(printer)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert all(line in text.replace(" ", "") for line in lines)

    # Continuing needs the "sealed" tick; Esc does not skip it.
    assert not dialog.continue_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    dialog.sealed.setChecked(True)
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=5000)
    window = controller.main_window
    qtbot.addWidget(window)
    assert dialog.code_label.text() == ""  # the dialog forgot the code
    assert window.session.account.login == "chief"
    assert "架空の家" in window.facility_label.text()
    assert "residents" in window.pages and "accounts" in window.pages
    rooms = {r.name: [b.label for b in r.beds] for r in list_rooms(window.session.db)}
    assert rooms == {"101": ["A"], "102": ["A"], "201": ["A", "B", "C"], "202": ["A", "B"]}
    window.close()

    # The code opens the database (the recovery slot was written).
    s = sessions.unlock_with_recovery(path, code, TEST_KDF)
    s.lock()


def test_create_refuses_bad_input_next_to_the_field_and_writes_nothing(qtbot, tmp_path,
                                                                       type_text):
    path = tmp_path / "new.db"
    screen = FirstRunScreen(path, kdf=TEST_KDF)
    qtbot.addWidget(screen)
    screen.show()
    _fill_create_form(qtbot, screen, type_text, repeat="something else")
    screen.add_room_row("101", False, "1")  # a second room 101
    screen.admin_login.setText("見本")  # not ASCII
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    assert "do not match" in screen.errors.error_text("password2")
    assert "letters, digits" in screen.errors.error_text("login")
    assert "Room line 5" in screen.errors.error_text("rooms")
    assert screen.errors.fields["password2"][1].isVisible()
    assert not path.exists()
    assert screen.recovery_dialog is None


def test_demo_shows_its_password_and_logs_in(qtbot, tmp_path):
    path = tmp_path / "demo.db"
    controller = Controller(path, kdf=TEST_KDF)
    screen = controller.start()
    qtbot.mouseClick(screen.demo_choice, Qt.MouseButton.LeftButton)
    assert screen.demo_password.isVisible()
    assert screen.demo_password.text() == DEMO_PASSWORD
    qtbot.mouseClick(screen.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.demo_login_button.isVisible(), timeout=30_000)
    assert path.exists()
    qtbot.mouseClick(screen.demo_login_button, Qt.MouseButton.LeftButton)
    login = controller.window
    assert isinstance(login, LoginScreen)
    assert login.panel.ui.login.text() == "admin"
    qtbot.keyClicks(login.panel.ui.password, DEMO_PASSWORD)
    qtbot.keyClick(login.panel.ui.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=10_000)
    window = controller.main_window
    qtbot.addWidget(window)
    assert window.pages["residents"].model.rowCount() > 0
    window.close()
