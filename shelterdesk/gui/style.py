"""Fonts and the calm look of the program.

BIZ UD fonts are used because they are legible for tired eyes at night and
cover the Japanese the shelter writes; they ship with Windows 10+ and the
Debian packages installed by tools/setup.sh. If they are missing the program
still runs (with whatever the system offers) and says so once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

UI_FAMILY = "BIZ UDPGothic"
FIXED_FAMILY = "BIZ UDGothic"  # equal-width digits: recovery codes, ids
FONT_DIRS = (
    Path(__file__).resolve().parent.parent / "resources" / "fonts",
    Path("/usr/share/fonts/truetype/bizud-gothic"),
    Path("/usr/share/fonts/truetype/bizud-mincho"),
)

DANGER = "#b00020"
DANGER_BG = "#fde7ea"
ACCENT = "#2f6f73"

STYLESHEET = f"""
QWidget {{ color: #222; }}
QMainWindow, QDialog {{ background: #f7f6f3; }}
QListWidget#navigation {{ background: #ebe9e4; border: none; padding: 6px; }}
QListWidget#navigation::item {{ padding: 8px 10px; border-radius: 4px; }}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: white; }}
QLineEdit, QComboBox {{ padding: 4px 6px; border: 1px solid #b9b6ae;
    border-radius: 3px; background: white; }}
QLineEdit:focus {{ border: 1px solid {ACCENT}; }}
QPushButton {{ padding: 5px 14px; border: 1px solid #9c998f; border-radius: 3px;
    background: #fdfcfa; }}
QPushButton:default {{ border: 2px solid {ACCENT}; }}
QPushButton:disabled {{ color: #999; }}
QTableView {{ background: white; alternate-background-color: #f4f3ef;
    selection-background-color: #cfe3e4; selection-color: #111; gridline-color: #e2e0da; }}
QHeaderView::section {{ background: #ebe9e4; padding: 4px; border: none;
    border-right: 1px solid #d6d3cb; }}
QLabel[role="error"] {{ color: {DANGER}; }}
QLabel[role="title"] {{ font-size: 16pt; font-weight: bold; }}
QLabel[role="hint"] {{ color: #555; }}
.QFrame#safetyBanner {{ background: {DANGER_BG}; border: 2px solid {DANGER}; border-radius: 4px; }}
QLabel#safetyBanner {{ color: {DANGER}; font-weight: bold; background: transparent; border: none; }}
QLabel#secret {{ font-family: "{FIXED_FAMILY}"; font-size: 15pt; background: white;
    border: 1px solid #9c998f; padding: 10px; }}
"""


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
    app.setStyleSheet(STYLESHEET)
    return found


def fixed_font(size: int = 12) -> QFont:
    return QFont(FIXED_FAMILY, size)
