"""The Today page: what needs the caseworker today and this week, across
residents, one section per entry of .sections.SECTIONS.

Keyboard: the filter (mine / everyone) comes first, then the tree of
sections; arrows move, Enter opens the line (her record at the right tab, or
the programme page). Overdue lines carry ``overdue`` for the stylesheet (red).
Opening a line is what audits the view of her record (the store does it when
the record is read); the list itself shows display names only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.casework import week_end
from shelterdesk.core.dates import format_date
from shelterdesk.gui import changes
from shelterdesk.gui.features import allowed
from shelterdesk.gui.style import DANGER
from shelterdesk.gui.views.today.sections import SECTIONS, TodayLine, when_text
from shelterdesk.gui.widgets.rows import roomy
from shelterdesk.i18n import _

MINE, EVERYONE = "mine", "everyone"


class TodayTree(QTreeWidget):
    activated_line = Signal(object)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.currentItem()
            line = item.data(0, Qt.ItemDataRole.UserRole) if item else None
            if line is not None:
                self.activated_line.emit(line)
                return
        super().keyPressEvent(event)


class TodayPage(QWidget):
    openRecordTab = Signal(int, str)
    #: (resident id, tab class name, what to select in it or None): the window
    #: listens to this one when a page has it.
    openRecordAt = Signal(int, str, object)
    openPage = Signal(str)

    def __init__(self, session, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        self._today = today
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setProperty("role", "title")
        top.addWidget(self.title, 1)
        self.filter = QComboBox()
        self.filter.addItem(_("Mine"), MINE)
        self.filter.addItem(_("Everyone"), EVERYONE)
        self.filter.setAccessibleName(_("Show"))
        top.addWidget(QLabel(_("Show:")))
        top.addWidget(self.filter)
        layout.addLayout(top)
        self.tree = roomy(TodayTree())
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([_("What"), _("Resident"), _("Date")])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.activated_line.connect(self.open_line)
        self.tree.itemDoubleClicked.connect(
            lambda item, _col: self.open_line(item.data(0, Qt.ItemDataRole.UserRole)))
        layout.addWidget(self.tree, 1)
        # Arriving on the page puts her on its first line: arrows and Enter work at once.
        self.setFocusProxy(self.tree)
        self._stale = False
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        changes.hub().changed.connect(self.on_change)
        self.refresh()

    def today(self) -> date:
        return self._today or date.today()

    def staff_id(self) -> int | None:
        account = self.session.account
        if self.filter.currentData() == EVERYONE or account is None:
            return None
        return account.id

    def on_change(self, change: changes.Change) -> None:
        """A change elsewhere (a note saved, a milestone done) refreshes the
        page when it is shown, else when it is next shown: its queries do not
        run after every save on another page."""
        if not self.db.is_open:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale and self.db.is_open:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        today = self.today()
        until = week_end(today)
        self.title.setText(_("Today, {date}").format(date=format_date(today)))
        self.tree.clear()
        staff = self.staff_id()
        for section in SECTIONS:
            if not allowed(self.session.account, section.roles):
                continue
            lines = section.lines(self.db, today, until, staff)
            head = QTreeWidgetItem(self.tree, [f"{_(section.title)}（{len(lines)}）"])
            head.setFirstColumnSpanned(True)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setData(0, Qt.ItemDataRole.UserRole + 1, section.key)
            if not lines:
                QTreeWidgetItem(head, [_("Nothing due.")])
            for line in lines:
                self._add(head, line)
            head.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first.child(0) or first)

    def _add(self, head: QTreeWidgetItem, line: TodayLine) -> None:
        text = line.text
        if line.overdue:
            text = _("Overdue: {what}").format(what=text)
        item = QTreeWidgetItem(head, [text, line.name, when_text(line)])
        item.setData(0, Qt.ItemDataRole.UserRole, line)
        if line.overdue:
            for col in range(3):
                item.setForeground(col, QBrush(QColor(DANGER)))

    def lines(self, key: str) -> list[TodayLine]:
        """The lines of one section as shown (tests and the benchmark read these)."""
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            if head.data(0, Qt.ItemDataRole.UserRole + 1) == key:
                found = [head.child(j).data(0, Qt.ItemDataRole.UserRole)
                         for j in range(head.childCount())]
                return [x for x in found if x is not None]
        return []

    def open_line(self, line: TodayLine | None) -> None:
        if line is None:
            return
        if line.resident_id is not None and line.tab:
            self.openRecordTab.emit(line.resident_id, line.tab)
            self.openRecordAt.emit(line.resident_id, line.tab, line.target)
        elif line.page:
            self.openPage.emit(line.page)
