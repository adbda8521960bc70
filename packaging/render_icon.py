"""Render shelterdesk/resources/icons/shelterdesk.svg to a 256×256 PNG (the
Windows build turns it into the .exe's icon). Usage: render_icon.py OUT.png"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parents[1] / "shelterdesk" / "resources" / "icons" / "shelterdesk.svg"

app = QGuiApplication([])
image = QImage(256, 256, QImage.Format.Format_ARGB32)
image.fill(Qt.GlobalColor.transparent)
painter = QPainter(image)
QSvgRenderer(str(SVG)).render(painter)
painter.end()
if not image.save(sys.argv[1], "PNG"):
    sys.exit(f"could not write {sys.argv[1]}")
