"""Row heights for item views.

Qt sizes a row from the font's metrics, and BIZ UD's tall glyphs then touch
(or clip) the rows above and below, while a row holding a fallback-font symbol
such as ⚠ comes out taller than its neighbours. Every row gets the height of a
line plus padding instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate


class RoomyRows(QStyledItemDelegate):
    PADDING = 8

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        size.setHeight(max(size.height(), option.fontMetrics.height() + self.PADDING))
        return size


def roomy(view: QAbstractItemView) -> QAbstractItemView:
    """Give ``view`` evenly spaced rows with room to breathe."""
    view.setItemDelegate(RoomyRows(view))
    return view
