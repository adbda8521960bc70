"""Windows and dialogs fit the screen they open on (a 1366×768 laptop)."""

from __future__ import annotations

from intake_helpers import admit_sample
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QPushButton

from shelterdesk.gui.dialogs.pdf_preview import PdfPreviewDialog, build_document
from shelterdesk.gui.widgets import screen_fit

LAPTOP = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-pixel task bar


def test_a_wanted_size_is_shrunk_to_the_available_screen_with_its_frame():
    assert screen_fit.fitted_size(QSize(820, 900), LAPTOP) == QSize(820, 728 - 48)
    assert screen_fit.fitted_size(QSize(600, 400), LAPTOP) == QSize(600, 400)
    assert screen_fit.fitted_size(QSize(2000, 2000), LAPTOP) == QSize(1366 - 16, 728 - 48)


def test_the_pdf_preview_and_its_buttons_fit_a_1366x768_screen(qtbot, session, monkeypatch):
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w: LAPTOP)
    s = admit_sample(session.db)
    dlg = PdfPreviewDialog(session, build_document(session.db, s.id, "intake", "ja"), s.id,
                           "intake", "ja")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.height() + screen_fit.FRAME.height() <= LAPTOP.height()
    assert dlg.width() <= LAPTOP.width()
    buttons = [b for b in dlg.findChildren(QPushButton) if b.isVisible()]
    assert buttons
    for b in buttons:
        bottom = b.mapTo(dlg, b.rect().bottomLeft()).y()
        assert bottom <= dlg.height(), b.text()


def test_the_main_window_fits_the_screen(qtbot, session, monkeypatch):
    from shelterdesk.gui.main_window import MainWindow
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w: QRect(0, 0, 1024, 600))
    window = MainWindow(session, session.db.path, idle_ms=60_000)
    qtbot.addWidget(window)
    assert window.height() <= 600 - screen_fit.FRAME.height()
    assert window.width() <= 1024
    window.close()
