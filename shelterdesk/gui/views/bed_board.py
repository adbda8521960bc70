"""Rooms and beds: who sleeps where, which beds are free, moving a resident.

Why the alias setting matters: the board is the screen most often left open
where a visitor, a contractor or another resident can glance at it. When the
facility chose to show aliases (meta ``board_shows_alias`` = '1', the
default), a woman registered without an alias is shown by her resident
number, never by her legal name. Only administrators change the setting.

Moving a resident moves her stay to another bed; her companion children
belong to the stay and so move with her. Out-of-service rooms are shown greyed
and offer no beds. A family room is taken as a whole by one family
(core.occupancy): its other beds are shown as her family's, not free. Everyone
in residence without a bed yet ("no bed yet" at intake) is listed first, with
"Assign a bed…".

The board shows the danger level and a mark, never the danger note (the
perpetrator's car, the station he knows): the board is left open where
others pass; the note is on her record.

The board refreshes itself from the change hub (gui/changes.py) when a bed, a
stay or a setting changed or an import ran; its own move announces a BED
change, so the residents list follows without anyone calling it. The move
dialog's layout is ui/move_bed.ui (``make forms``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes, occupancy
from shelterdesk.gui import changes
from shelterdesk.gui.forms.ui_move_bed import Ui_MoveBedDialog
from shelterdesk.gui.operations import run_action
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.gui.widgets.rows import roomy
from shelterdesk.gui.widgets.safety_banner import safety_lines
from shelterdesk.i18n import _, ngettext
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import rooms, stays
from shelterdesk.store import settings as settings_repo

FREE_BG = QColor("#e3f4e1")
FAMILY_BG = QColor("#eceff6")
NO_BED_BG = QColor("#fff4d6")
DANGER_FG = QColor("#b00020")
OUT_OF_SERVICE_FG = QColor("#9a9a9a")
ROLE_BED = Qt.ItemDataRole.UserRole
ROLE_STAY = Qt.ItemDataRole.UserRole + 1
ROLE_RESIDENT = Qt.ItemDataRole.UserRole + 2
COL_BED, COL_OCCUPANT, COL_CHILDREN, COL_SAFETY, COL_STATUS = range(5)


class BedBoard(QWidget):
    """The board. Construct with the session; it refreshes itself on the
    changes it shows (BED, STAY, SETTINGS, IMPORT)."""

    #: "Open her record" (resident_id).
    openRecord = Signal(int)
    #: A resident was moved (stay_id).
    moved = Signal(int)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        lay = QVBoxLayout(self)
        title = QLabel(_("Rooms and beds"))
        title.setProperty("role", "title")
        lay.addWidget(title)
        top = QHBoxLayout()
        self.summary = QLabel()
        top.addWidget(self.summary, 1)
        self.alias_toggle = QCheckBox(_("Show aliases instead of names"))
        self.alias_toggle.setToolTip(_("Residents without an alias are shown by their number."))
        is_admin = bool(session.account and session.account.has("admin"))
        self.alias_toggle.setEnabled(is_admin)
        self.alias_toggle.toggled.connect(self._toggle_alias)
        top.addWidget(self.alias_toggle)
        lay.addLayout(top)

        self.tree = roomy(QTreeWidget())
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels([_("Room / bed"), _("Occupant"), _("Children"), _("Safety"),
                                   _("Status")])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(False)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(self._update_buttons)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.move_button = QPushButton(_("Move to another bed…"))
        self.open_button = QPushButton(_("Open her record"))
        self.refresh_button = QPushButton(_("Refresh"))
        self.move_button.clicked.connect(self.move_selected)
        self.open_button.clicked.connect(self._open_selected)
        self.refresh_button.clicked.connect(self.refresh)
        for b in (self.move_button, self.open_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        lay.addLayout(row)
        self.error = error_label()
        lay.addWidget(self.error)
        self.setFocusProxy(self.tree)
        self.refresh()
        changes.hub().changed.connect(self._on_change)

    def _on_change(self, change: changes.Change) -> None:
        if self.db.is_open and change.touches(changes.BED, changes.STAY, changes.SETTINGS,
                                              changes.IMPORT):
            self.refresh()

    # -- content -----------------------------------------------------------------
    def shows_alias(self) -> bool:
        return settings_repo.board_shows_alias(self.db)

    def refresh(self) -> None:
        keep = self.selected_bed_id()
        aliases = self.shows_alias()
        self.alias_toggle.blockSignals(True)
        self.alias_toggle.setChecked(aliases)
        self.alias_toggle.blockSignals(False)
        board = rooms.bed_board(self.db)
        waiting = rooms.without_bed(self.db)
        flags = {r.resident_id: r.safety for r in residents_repo.list_residents(
            self.db, residents_repo.VIEW_IN_RESIDENCE, limit=10000)}
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        if waiting:
            group = self._group_item(_("No bed yet"), bold)
            for w in waiting:
                item = QTreeWidgetItem(["—"])
                item.setData(COL_BED, ROLE_STAY, w.stay_id)
                item.setData(COL_BED, ROLE_RESIDENT, w.resident_id)
                self._show_occupant(item, w, aliases, flags.get(w.resident_id))
                item.setText(COL_STATUS, _("no bed yet: assign a bed"))
                for c in range(5):
                    item.setBackground(c, QBrush(NO_BED_BG))
                group.addChild(item)
        room_item = None
        last_room = None
        free = usable = occupied = 0
        for b in board:
            if b.room_id != last_room:
                last_room = b.room_id
                kind = _("family room") if b.family_room else _("single room")
                text = _("Room {room} ({kind})").format(room=b.room, kind=kind)
                room_item = self._group_item(text, bold)
                if b.out_of_service:
                    room_item.setText(COL_BED, text + " — " + _("out of service"))
                    room_item.setForeground(COL_BED, QBrush(OUT_OF_SERVICE_FG))
            item = QTreeWidgetItem([_("Bed {bed}").format(bed=b.bed)])
            item.setData(COL_BED, ROLE_BED, b.bed_id)
            item.setData(COL_BED, ROLE_STAY, b.stay_id)
            item.setData(COL_BED, ROLE_RESIDENT, b.resident_id)
            if b.state == occupancy.OUT_OF_SERVICE:
                item.setText(COL_STATUS, _("out of service"))
                for c in range(5):
                    item.setForeground(c, QBrush(OUT_OF_SERVICE_FG))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            elif b.state == occupancy.FREE:
                free += 1
                usable += 1
                item.setText(COL_STATUS, _("free"))
                for c in range(5):
                    item.setBackground(c, QBrush(FREE_BG))
            elif b.state == occupancy.FAMILY:
                usable += 1
                item.setText(COL_STATUS, _("her family (bed {bed})").format(bed=b.family_bed))
                item.setToolTip(COL_STATUS, _("A family room is taken as a whole by one "
                                              "family: her children sleep in its other beds."))
                for c in range(5):
                    item.setBackground(c, QBrush(FAMILY_BG))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            else:
                usable += 1
                occupied += 1
                self._show_occupant(item, b, aliases, flags.get(b.resident_id))
                item.setText(COL_STATUS, _("occupied"))
            room_item.addChild(item)
        self.tree.expandAll()
        for c in range(5):
            self.tree.resizeColumnToContents(c)
        summary = (ngettext("{free} bed free of {n}", "{free} beds free of {n}",
                            usable).format(free=free, n=usable)
                   + " · " + _("{n} occupied").format(n=occupied))
        if waiting:
            summary += " · " + _("{n} without a bed").format(n=len(waiting))
        self.summary.setText(summary)
        if keep is None or not self.select_bed(keep):
            self._select_first_bed()
        self._update_buttons()

    def _group_item(self, text: str, bold: QFont) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setFirstColumnSpanned(True)
        item.setFont(COL_BED, bold)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.tree.addTopLevelItem(item)
        return item

    def _show_occupant(self, item: QTreeWidgetItem, b, aliases: bool, flags) -> None:
        """Her name (or alias), her children's count and the danger level with
        a mark: never the danger note (see the module's docstring)."""
        item.setText(COL_OCCUPANT, self._occupant(b, aliases))
        item.setText(COL_CHILDREN, str(b.children) if b.children else "")
        item.setTextAlignment(COL_CHILDREN, Qt.AlignmentFlag.AlignCenter)
        lines = safety_lines(flags, note=False) if flags is not None else []
        if not lines:
            return
        if flags.danger_level:
            text = _("Danger: {level}").format(level=codes.DANGER_LEVEL.label(flags.danger_level))
        else:
            text = _("Caution")
        item.setText(COL_SAFETY, "⚠ " + text)
        item.setToolTip(COL_SAFETY, "\n".join([*lines, _("Details are on her record.")]))
        item.setForeground(COL_SAFETY, QBrush(DANGER_FG))

    def _occupant(self, b: rooms.BedState, aliases: bool) -> str:
        if aliases:
            return b.occupant_alias or _("(no alias) resident no. {id}").format(
                id=b.resident_id)
        return b.occupant_name or b.occupant_alias

    def _bed_items(self):
        """The rows of beds (not those of residents without a bed)."""
        for item in self._rows():
            if item.data(COL_BED, ROLE_BED) is not None:
                yield item

    def _rows(self):
        for i in range(self.tree.topLevelItemCount()):
            room = self.tree.topLevelItem(i)
            for j in range(room.childCount()):
                yield room.child(j)

    def without_bed_rows(self) -> list[QTreeWidgetItem]:
        return [item for item in self._rows() if item.data(COL_BED, ROLE_BED) is None]

    def select_stay(self, stay_id: int) -> bool:
        for item in self._rows():
            if item.data(COL_BED, ROLE_STAY) == stay_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def occupant_text(self, bed_id: int) -> str:
        for item in self._bed_items():
            if item.data(COL_BED, ROLE_BED) == bed_id:
                return item.text(COL_OCCUPANT)
        raise KeyError(bed_id)

    def status_text(self, bed_id: int) -> str:
        for item in self._bed_items():
            if item.data(COL_BED, ROLE_BED) == bed_id:
                return item.text(COL_STATUS)
        raise KeyError(bed_id)

    def select_bed(self, bed_id: int) -> bool:
        for item in self._bed_items():
            if item.data(COL_BED, ROLE_BED) == bed_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _select_first_bed(self) -> None:
        for item in self._bed_items():
            self.tree.setCurrentItem(item)
            return

    def selected_bed_id(self) -> int | None:
        item = self.tree.currentItem() if hasattr(self, "tree") else None
        return item.data(COL_BED, ROLE_BED) if item else None

    def _selected(self, role):
        item = self.tree.currentItem()
        return item.data(COL_BED, role) if item else None

    def _update_buttons(self, *_args) -> None:
        occupied = self._selected(ROLE_STAY) is not None
        waiting = occupied and self._selected(ROLE_BED) is None
        self.move_button.setText(_("Assign a bed…") if waiting else _("Move to another bed…"))
        self.move_button.setEnabled(occupied)
        self.open_button.setEnabled(occupied)

    # -- actions -------------------------------------------------------------------
    def _activated(self, item, _col) -> None:
        if item.data(COL_BED, ROLE_STAY) is not None:
            self.move_selected()

    def _open_selected(self) -> None:
        rid = self._selected(ROLE_RESIDENT)
        if rid is not None:
            self.openRecord.emit(rid)

    def move_selected(self) -> None:
        stay_id = self._selected(ROLE_STAY)
        if stay_id is None:
            return
        dlg = MoveBedDialog(self.session, stay_id, self)
        dlg.moved.connect(self._after_move)
        dlg.open()
        self.move_dialog = dlg

    def _after_move(self, stay_id: int, bed_id: int) -> None:
        """The hub has already refreshed the board; follow her to the new bed."""
        self.select_bed(bed_id)
        self.moved.emit(stay_id)

    def _toggle_alias(self, on: bool) -> None:
        if not run_action(self, lambda: settings_repo.update(self.session, {settings_repo.BOARD_SHOWS_ALIAS: on}),
                          general=self.error, changed=changes.change(changes.SETTINGS)):
            self.refresh()  # put the switch back


class MoveBedDialog(QDialog):
    """Choose a free bed for the stay; Enter moves."""

    moved = Signal(int, int)  # stay_id, bed_id

    def __init__(self, session, stay_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.stay_id = stay_id
        self.ui = Ui_MoveBedDialog()
        self.ui.setupUi(self)
        s = stays.get_stay(session.db, stay_id)
        self.resident_id = s.resident_id
        room, bed = rooms.bed_label(session.db, s.bed_id)
        n = len(s.child_ids)
        if room:
            text = _("Stay no. {id}, now in room {room}, bed {bed}.").format(
                id=stay_id, room=room, bed=bed)
        else:
            text = _("Stay no. {id}, no bed yet.").format(id=stay_id)
            self.setWindowTitle(_("Assign a bed"))
        if n:
            text += " " + ngettext("Her child moves with her.",
                                   "Her {n} children move with her.", n).format(n=n)
        self.ui.info.setText(text)
        self.beds = self.ui.beds
        for b in rooms.free_beds(session.db):
            kind = _("family room") if b.family_room else _("single room")
            item = QListWidgetItem(_("Room {room}, bed {bed} ({kind})").format(
                room=b.room, bed=b.bed, kind=kind))
            item.setData(Qt.ItemDataRole.UserRole, b.bed_id)
            self.beds.addItem(item)
            if n and b.family_room and self.beds.currentRow() < 0:
                self.beds.setCurrentItem(item)
        if self.beds.count() and self.beds.currentRow() < 0:
            self.beds.setCurrentRow(0)
        self.beds.itemActivated.connect(lambda _i: self.move())
        self.error = self.ui.error
        set_error(self.error, "" if self.beds.count() else _("No bed is free."))
        self.move_button = self.ui.moveButton
        self.move_button.clicked.connect(self.move)
        self.move_button.setEnabled(self.beds.count() > 0)
        self.beds.setFocus()

    def choose(self, bed_id: int) -> bool:
        for i in range(self.beds.count()):
            if self.beds.item(i).data(Qt.ItemDataRole.UserRole) == bed_id:
                self.beds.setCurrentRow(i)
                return True
        return False

    def move(self) -> bool:
        """One store call; a bed taken meanwhile (ValidationError) or a closed
        stay (StoreError) is shown in the dialog's error line."""
        item = self.beds.currentItem()
        if item is None:
            return False
        bed_id = item.data(Qt.ItemDataRole.UserRole)
        return run_action(self, lambda: stays.move_bed(self.session.db, self.stay_id, bed_id),
                          general=self.error,
                          changed=changes.change(changes.BED, resident_id=self.resident_id,
                                                 stay_id=self.stay_id),
                          done=lambda _r: self._moved(bed_id))

    def _moved(self, bed_id: int) -> None:
        self.moved.emit(self.stay_id, bed_id)
        self.accept()
