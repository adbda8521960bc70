"""The residents list as a Qt table model, one page of rows at a time.

Rows come from store.residents.list_residents (the only place with the SQL);
this model never runs a query of its own and never sorts or filters in
Python, so 20,000 residents cost no more than the page on screen. Nothing here
is audited: the list shows what the board on the wall shows.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.models import ResidentRow
from shelterdesk.gui.widgets.safety import SAFETY_ROLE, badge_text, safety_lines
from shelterdesk.i18n import N_, _
from shelterdesk.store import residents as repo

PAGE_SIZE = 200
#: Item data role carrying the resident id of a row.
RESIDENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# (sort key of store.residents.SORT_COLUMNS, header msgid)
COLUMNS = (
    ("safety", N_("Safety")),
    ("name", N_("Name or alias")),
    ("kana", N_("Kana")),
    ("age", N_("Age")),
    ("room", N_("Room/bed")),
    ("admitted", N_("Admitted")),
    ("days", N_("Days")),
    ("children", N_("Children")),
)
COL_SAFETY, COL_NAME, COL_KANA, COL_AGE, COL_ROOM, COL_ADMITTED, COL_DAYS, COL_CHILDREN = range(8)
#: Added in the "discharged" and "all" views: when she left and where to.
DISCHARGE_COLUMNS = (
    ("discharged", N_("Discharged")),
    ("destination", N_("Destination")),
)
COL_DISCHARGED, COL_DESTINATION = len(COLUMNS), len(COLUMNS) + 1
_NUMERIC = {COL_AGE, COL_DAYS, COL_CHILDREN}


class ResidentsModel(QAbstractTableModel):
    """``reload()`` after changing view/search/sort; the view's scrolling asks
    for further pages through canFetchMore/fetchMore."""

    def __init__(self, db, parent=None, *, today: date | None = None):
        super().__init__(parent)
        self._db = db
        self._today = today
        self.view = repo.VIEW_IN_RESIDENCE
        self.search = ""
        self.sort_key = "kana"
        self.descending = False
        self.rows: list[ResidentRow] = []
        self.total = 0
        self._more = False

    # -- loading ---------------------------------------------------------------
    def _page(self, offset: int) -> list[ResidentRow]:
        return repo.list_residents(self._db, self.view, self.search, self.sort_key,
                                   self.descending, limit=PAGE_SIZE, offset=offset,
                                   today=self._today)

    def reload(self) -> None:
        self.beginResetModel()
        try:
            self.rows = self._page(0)
            self._more = len(self.rows) == PAGE_SIZE
            self.total = (repo.count_residents(self._db, self.view, self.search)
                          if self._more else len(self.rows))
        finally:
            self.endResetModel()

    def set_filter(self, view: str | None = None, search: str | None = None) -> None:
        if view is not None:
            self.view = view
        if search is not None:
            self.search = search
        self.reload()

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        page = self._page(len(self.rows))
        self._more = len(page) == PAGE_SIZE
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def db_open(self) -> bool:
        """False after :meth:`forget` (the window locked) or when the connection closed."""
        return self._db is not None and self._db.is_open

    def forget(self) -> None:
        """Drop every row (on lock): nothing of the data stays in memory here."""
        self.beginResetModel()
        self.rows = []
        self.total = 0
        self._more = False
        self._db = None
        self.endResetModel()

    # -- Qt model ------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columns(self) -> tuple[tuple[str, str], ...]:
        """The columns of the current view: the discharged and all views add
        the discharge date and destination."""
        if self.view == repo.VIEW_IN_RESIDENCE:
            return COLUMNS
        return COLUMNS + DISCHARGE_COLUMNS

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            columns = self.columns()
            return _(columns[section][1]) if 0 <= section < len(columns) else None
        return None

    def row_at(self, row: int) -> ResidentRow:
        return self.rows[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == RESIDENT_ID_ROLE:
            return r.resident_id
        if role == SAFETY_ROLE:
            return r.safety
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (COL_SAFETY, COL_NAME) and r.safety.any:
                return "\n".join(safety_lines(r.safety))
            if col == COL_NAME and r.alias:
                return _("Registered under an alias")
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_SAFETY:
            return "; ".join(safety_lines(r.safety)) or _("No safety flags")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == COL_SAFETY:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_NAME and r.safety.any:
            return QColor("#8a0018")
        if role == Qt.ItemDataRole.FontRole and col == COL_NAME and r.alias:
            f = QFont()
            f.setItalic(True)
            return f
        return None

    def _text(self, r: ResidentRow, col: int) -> str:
        if col == COL_SAFETY:
            return badge_text() if r.safety.any else ""
        if col == COL_NAME:
            return r.display_name
        if col == COL_KANA:
            return r.kana
        if col == COL_AGE:
            return "" if r.age is None else str(r.age)
        if col == COL_ROOM:
            return f"{r.room}-{r.bed}" if r.room and r.bed else r.room
        if col == COL_ADMITTED:
            return format_date(r.admitted_on)
        if col == COL_DAYS:
            return str(r.days) if r.admitted_on else ""
        if col == COL_CHILDREN:
            return str(r.children) if r.children else ""
        if col == COL_DISCHARGED:
            return format_date(r.discharged_on)
        if col == COL_DESTINATION:
            return codes.DISCHARGE_DESTINATION.label(r.discharge_destination) \
                if r.discharged_on else ""
        return ""

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sorting runs in SQL; the model asks for the first page again."""
        columns = self.columns()
        if not 0 <= column < len(columns) or self._db is None:
            return
        self.sort_key = columns[column][0]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
