"""Fonts and the calm look of the program.

BIZ UD fonts are used because they are legible for tired eyes at night and
cover the Japanese the shelter writes; they ship with Windows 10+ and the
Debian packages installed by tools/setup.sh. If they are missing the program
still runs (with whatever the system offers) and says so once.

Colours and shapes are in shelterdesk/resources/style.qss, the one stylesheet:
widgets carry an object name or a ``role`` property, never an inline style.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from shelterdesk import resources

UI_FAMILY = "BIZ UDPGothic"
FIXED_FAMILY = "BIZ UDGothic"  # equal-width digits: recovery codes, ids
# Debian's folders (tools/setup.sh installs the packages); fontconfig usually
# finds them anyway. On Windows the fonts come with the system.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/bizud-gothic"),
    Path("/usr/share/fonts/truetype/bizud-mincho"),
)

#: Painted by code (the safety mark in lists); keep in step with resources/style.qss.
DANGER = "#b00020"


def stylesheet() -> str:
    """The program's one stylesheet, shelterdesk/resources/style.qss."""
    return resources.read_text(resources.STYLESHEET)


def app_icon() -> QIcon:
    return QIcon(str(resources.path(resources.APP_ICON)))


def load_fonts() -> bool:
    """Make the BIZ UD families available; False when the UI family is
    missing (the caller warns once)."""
    if UI_FAMILY in QFontDatabase.families():
        return True
    for folder in FONT_DIRS:
        if folder.is_dir():
            for f in sorted(folder.glob("BIZUD*.tt[fc]")):
                QFontDatabase.addApplicationFont(str(f))
    return UI_FAMILY in QFontDatabase.families()


def apply(app: QApplication) -> bool:
    """Fonts and stylesheet; returns whether the UI font was found."""
    found = load_fonts()
    if found:
        font = QFont(UI_FAMILY, 10)
        app.setFont(font)
    app.setStyle("Fusion")
    app.setStyleSheet(stylesheet())
    return found


def fixed_font(size: int = 12) -> QFont:
    return QFont(FIXED_FAMILY, size)
