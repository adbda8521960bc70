"""Her aftercare: every item of her schedules, recording an outcome, and the
schedule step after a discharge (``after_discharge``, connected by the page to
``RecordView.discharged``) or later for a closed stay without one."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.gui import changes
from shelterdesk.gui.views import aftercare as aftercare_views
from shelterdesk.gui.views.record.base import RecordTab, fill_table, selected_id, table
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.errors import error_label
from shelterdesk.i18n import _
from shelterdesk.store import aftercare as aftercare_repo


class AftercareTab(RecordTab):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = table([_("No."), _("Stay"), _("Kind"), _("Due date"), _("Assignee"),
                            _("Outcome"), _("Done on"), _("Note")])
        self.table.doubleClicked.connect(lambda _i: self.record_outcome())
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.schedule_button = QPushButton(_("Make the aftercare schedule…"))
        self.schedule_button.clicked.connect(self.make_schedule)
        self.outcome_button = QPushButton(_("Record the outcome…"))
        self.outcome_button.clicked.connect(self.record_outcome)
        row.addWidget(self.schedule_button)
        row.addStretch(1)
        row.addWidget(self.outcome_button)
        layout.addLayout(row)
        self.general_line = error_label()
        layout.addWidget(self.general_line)
        layout.addStretch(1)
        changes.hub().changed.connect(self._on_change)

    def _on_change(self, change: changes.Change) -> None:
        # The page reloads on changes of hers; aftercare is not a kind it knows.
        if changes.AFTERCARE in change.kinds and change.resident_id in (None, self.record.resident_id) \
                and self.record.db.is_open:
            self.fill()

    def _unscheduled(self):
        items = {i.stay_id for i in self.items}
        return [s for s in self.record.stays if s.discharged_on is not None
                and s.id not in items and not aftercare_repo.none_reason(self.record.db, s.id)]

    def fill(self) -> None:
        rid = self.record.resident_id
        self.items = aftercare_repo.items_of_resident(self.record.db, rid) if rid else []
        rows = [[str(i.id), str(i.stay_id), codes.AFTERCARE_KIND.label(i.kind),
                 format_date(i.due_on), i.assignee, codes.AFTERCARE_OUTCOME.label(i.outcome),
                 format_date(i.done_on), i.note] for i in self.items]
        fill_table(self.table, rows, [i.id for i in self.items])
        open_count = sum(1 for i in self.items if i.is_open)
        self.summary.setText(_("{n} open items of {total}.").format(
            n=open_count, total=len(self.items)) if self.items else _("No aftercare items."))
        self.schedule_button.setVisible(bool(rid) and bool(self._unscheduled()))
        self.outcome_button.setEnabled(open_count > 0)
        if rid and aftercare_views.take_request(rid):
            QTimer.singleShot(0, self.reveal.emit)

    def focus_first(self, target: int | None = None) -> None:
        """The item the Today page named selected, the focus on the table."""
        if self.table.rowCount() == 0:
            super().focus_first(target)
            return
        row = next((r for r, i in enumerate(self.items) if i.id == target), 0)
        self.table.setCurrentCell(row, 0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def after_discharge(self, stay_id: int) -> None:
        """Her stay was closed: propose the schedule."""
        self.open_schedule(stay_id)

    def make_schedule(self) -> None:
        stays = self._unscheduled()
        if stays:
            self.open_schedule(stays[0].id)

    def open_schedule(self, stay_id: int) -> None:
        from shelterdesk.gui.views.aftercare.schedule import ScheduleDialog
        self.schedule_dialog = ScheduleDialog(self.record.session, stay_id, self.window())
        self.schedule_dialog.open()

    def record_outcome(self) -> None:
        item_id = selected_id(self.table)
        item = next((i for i in self.items if i.id == item_id), None)
        if item is None or not item.is_open:
            return
        from shelterdesk.gui.views.aftercare.outcome import OutcomeDialog
        self.outcome_dialog = OutcomeDialog(self.record.session, item.id, self.window())
        self.outcome_dialog.open()
