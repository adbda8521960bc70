"""How safety flags look in lists: a red badge. (The banner on a record is
widgets/safety_banner.py; both word the flags with its ``safety_lines``.)

Flags must be impossible to overlook (a missed "whereabouts secret" can lead
an abuser to her), so they never depend on colour alone: the badge carries
text and its tooltip names every flag.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from shelterdesk.core.models import SafetyFlags
from shelterdesk.gui import style
from shelterdesk.gui.widgets.safety_banner import SafetyBanner, safety_lines
from shelterdesk.i18n import _

#: Item data role carrying the SafetyFlags of a row (for delegates and tests).
SAFETY_ROLE = Qt.ItemDataRole.UserRole + 11

__all__ = ["SAFETY_ROLE", "SafetyBadgeDelegate", "SafetyBanner", "badge_text", "safety_lines"]


def badge_text() -> str:
    return _("Caution")


class SafetyBadgeDelegate(QStyledItemDelegate):
    """Paints a red pill with white text in the safety column."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        flags = index.data(SAFETY_ROLE)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        if not isinstance(flags, SafetyFlags) or not flags.any:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        text = badge_text()
        fm = painter.fontMetrics()
        w = fm.horizontalAdvance(text) + 14
        h = fm.height() + 4
        r = QRect(0, 0, w, h)
        r.moveCenter(option.rect.center())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(style.DANGER))
        painter.drawRoundedRect(r, h / 2, h / 2)
        painter.setPen(QColor("white"))
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        fm = option.fontMetrics
        return QSize(fm.horizontalAdvance(badge_text()) + 24, fm.height() + 8)
