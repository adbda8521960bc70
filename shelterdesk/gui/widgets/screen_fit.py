"""Windows and dialogs sized to the screen they open on.

A size fixed in pixels (the PDF preview asked for 820×900) puts the buttons
below the edge of a 1366×768 laptop screen, where Print, Save and Close
cannot be reached. :func:`fit_to_screen` gives a window the size it would
like, shrunk to the screen's available geometry (without the task bar),
keeping room for the window frame, which the window system adds outside.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: Room left for the title bar and borders the window system draws.
FRAME = QSize(16, 48)


def available_geometry(widget: QWidget) -> QRect:
    """The available geometry of the screen ``widget`` (or its parent, or the
    primary screen) is on."""
    screen = None
    for w in (widget, widget.parentWidget()):
        if w is not None and w.screen() is not None:
            screen = w.screen()
            break
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def fitted_size(wanted: QSize, available: QRect) -> QSize:
    """``wanted`` shrunk to fit ``available`` with the window frame around it."""
    return QSize(max(1, min(wanted.width(), available.width() - FRAME.width())),
                 max(1, min(wanted.height(), available.height() - FRAME.height())))


def fit_to_screen(widget: QWidget, width: int, height: int, *,
                  available: QRect | None = None) -> QSize:
    """Resize ``widget`` to width×height, or less where the screen is smaller;
    its minimum size is lowered too, so a layout cannot push it off screen
    again. ``available`` replaces the screen's geometry (tests)."""
    area = available if available is not None else available_geometry(widget)
    size = fitted_size(QSize(width, height), area)
    minimum = widget.minimumSize()
    widget.setMinimumSize(min(minimum.width(), size.width()),
                          min(minimum.height(), size.height()))
    widget.resize(size)
    return size
