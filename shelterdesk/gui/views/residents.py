"""The residents list page: view switch, search as you type, sortable table.

Keyboard first: Ctrl+F jumps to the search box, Down moves into the table,
Enter (in the table or the search box) opens the selected resident, Esc in the
search box clears it. Search waits for a short pause in typing (debounce) so a
fast typist does not queue a query per keystroke.

The list refreshes itself when the change hub (gui/changes.py) says a
resident, a stay or a bed changed, or an import ran; nobody else calls
:meth:`ResidentsPage.refresh`.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.gui import changes
from shelterdesk.gui.models.residents import (
    COL_KANA,
    COL_NAME,
    COL_SAFETY,
    RESIDENT_ID_ROLE,
    ResidentsModel,
)
from shelterdesk.gui.widgets.safety import SafetyBadgeDelegate
from shelterdesk.i18n import N_, _, ngettext
from shelterdesk.store import residents as repo

SEARCH_DELAY_MS = 150
VIEWS = (
    (repo.VIEW_IN_RESIDENCE, N_("In residence")),
    (repo.VIEW_ALL, N_("All")),
    (repo.VIEW_DISCHARGED, N_("Discharged")),
)


class ResidentsTable(QTableView):
    """Enter opens the current row (Qt's default would start editing)."""

    open_requested = Signal(QModelIndex)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class ResidentsPage(QWidget):
    """Emits ``openRecord(resident_id)``."""

    openRecord = Signal(int)

    def __init__(self, db, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(parent)
        self.model = ResidentsModel(db, self, today=today)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 8)

        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("Search by name, alias or kana (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        top.addWidget(self.search, 1)
        self.view_buttons = QButtonGroup(self)
        for i, (key, label) in enumerate(VIEWS):
            b = QRadioButton(_(label), self)
            b.setProperty("view", key)
            b.setChecked(i == 0)
            self.view_buttons.addButton(b, i)
            top.addWidget(b)
        lay.addLayout(top)

        self.table = ResidentsTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setItemDelegateForColumn(COL_SAFETY, SafetyBadgeDelegate(self.table))
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(COL_KANA, Qt.SortOrder.AscendingOrder)
        lay.addWidget(self.table, 1)
        self.count_label = QLabel(self)
        self.count_label.setProperty("role", "hint")
        lay.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.installEventFilter(self)
        self.view_buttons.idToggled.connect(self._view_toggled)
        self.table.open_requested.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)
        self.model.modelReset.connect(self._after_reset)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        self.setFocusProxy(self.search)  # the page's first field
        changes.hub().changed.connect(self._on_change)

        # Enabling sorting asks the model to sort by the indicator: the first load.
        self.table.setSortingEnabled(True)

    # -- behaviour ---------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_search(self) -> None:
        self._debounce.stop()
        self.model.set_filter(search=self.search.text())

    def set_view(self, view: str) -> None:
        for b in self.view_buttons.buttons():
            if b.property("view") == view:
                b.setChecked(True)

    def _view_toggled(self, button_id: int, checked: bool) -> None:
        if checked:
            self.model.set_filter(view=VIEWS[button_id][0])

    def _after_reset(self) -> None:
        n = self.model.total
        self.count_label.setText(ngettext("{n} resident", "{n} residents", n).format(n=n))
        if self.model.rowCount():
            self.table.selectRow(0)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openRecord.emit(int(self.model.data(index, RESIDENT_ID_ROLE)))

    def open_current(self) -> None:
        self._open_index(self.table.currentIndex())

    def refresh(self) -> None:
        """Re-read the current page (after an intake or a discharge elsewhere)."""
        self.model.reload()

    def _on_change(self, change: changes.Change) -> None:
        if self.model.db_open() and change.touches(changes.RESIDENT, changes.STAY,
                                                   changes.BED, changes.IMPORT):
            self.refresh()

    def forget(self) -> None:
        self.model.forget()
        self.search.clear()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._debounce.isActive():
                    self.apply_search()
                self.open_current()
                return True
            if key == Qt.Key.Key_Down:
                if self._debounce.isActive():
                    self.apply_search()
                self.table.setFocus()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(obj, event)
