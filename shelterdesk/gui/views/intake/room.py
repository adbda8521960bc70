"""Room and bed: the free beds, a family room suggested when children came
with her, or no bed yet (assigned later on the rooms and beds board)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from shelterdesk.core.validation import FieldError
from shelterdesk.gui.views.intake.page import IntakePage
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.gui.widgets.rows import roomy
from shelterdesk.i18n import N_, _
from shelterdesk.store import rooms

FIELD = "bed_id"


class RoomPage(IntakePage):
    title = N_("Room and bed")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        #: True once staff picked a bed themselves (kept over a suggestion).
        self.bed_chosen = False
        self._filling = False
        layout = QVBoxLayout(self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.beds_list = roomy(QListWidget())
        self.beds_list.setAccessibleName(_("Free beds"))
        self.beds_list.currentItemChanged.connect(self._bed_clicked)
        layout.addWidget(self.beds_list, 1)
        self.error = error_label()
        layout.addWidget(self.error)

    def load_beds(self, child_count: int, keep: int | None = None) -> None:
        """The free beds now; the bed chosen before stays chosen while free,
        otherwise one is suggested (a family room when children came)."""
        keep = keep if keep is not None else self.selected_bed_id()
        self._filling = True
        self.beds_list.clear()
        none = QListWidgetItem(_("No bed yet (assign later)"))
        none.setData(Qt.ItemDataRole.UserRole, None)
        self.beds_list.addItem(none)
        free = rooms.free_beds(self.state.db)
        for b in free:
            kind = _("family room") if b.family_room else _("single room")
            item = QListWidgetItem(_("Room {room}, bed {bed} ({kind})").format(
                room=b.room, bed=b.bed, kind=kind))
            item.setData(Qt.ItemDataRole.UserRole, b.bed_id)
            self.beds_list.addItem(item)
        self._filling = False
        if child_count:
            self.hint.setText(_("She has {n} child(ren) with her: a family room is "
                                "suggested.").format(n=child_count))
        else:
            self.hint.setText(_("Free beds. Choose one, or assign a bed later."))
        if not free:
            self.hint.setText(_("No bed is free. Save now and assign a bed later on the "
                                "rooms and beds board."))
        target = keep if self.bed_chosen else None
        if target is None or not self.select_bed(target):
            suggested = next((b for b in free if b.family_room == bool(child_count)), None)
            if suggested is None and free:
                suggested = free[0]
            self.select_bed(suggested.bed_id if suggested else None)
            self.bed_chosen = False

    def select_bed(self, bed_id: int | None) -> bool:
        for i in range(self.beds_list.count()):
            if self.beds_list.item(i).data(Qt.ItemDataRole.UserRole) == bed_id:
                self._filling = True
                self.beds_list.setCurrentRow(i)
                self._filling = False
                return True
        return False

    def _bed_clicked(self, *_args) -> None:
        if not self._filling and not self.state.restoring:
            self.bed_chosen = True
            self.state.touched()

    def selected_bed_id(self) -> int | None:
        item = self.beds_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    # -- draft ------------------------------------------------------------------------------
    def draft(self) -> dict:
        return {"bed_id": self.selected_bed_id() if self.bed_chosen else None}

    def fill(self, draft: dict) -> None:
        bed = draft.get("bed_id")
        if bed is not None:
            children = len(draft.get("children", [])) + len(draft.get("existing_child_ids", []))
            self.load_beds(children, keep=bed)
            self.bed_chosen = self.select_bed(bed)

    def clear(self) -> None:
        self.bed_chosen = False
        self.beds_list.clear()
        self.clear_errors()

    # -- the admission ------------------------------------------------------------------
    def read(self, data) -> None:
        data.stay.bed_id = self.selected_bed_id()
        item = self.beds_list.currentItem()
        data.bed_label = item.text() if item else _("No bed yet (assign later)")

    def holds(self, error: FieldError) -> bool:
        return error.field == FIELD

    def show_errors(self, errors, prefix="", focus=True):
        set_error(self.error, "\n".join(e.message for e in errors if self.holds(e)))
        return [e for e in errors if not self.holds(e)]

    # -- navigation ---------------------------------------------------------------------
    def enter(self, data) -> None:
        self.load_beds(data.child_count())

    def first_focus(self):
        return self.beds_list
