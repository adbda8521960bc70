"""Programme sessions (自立支援講座 etc.): the fiscal year's running count
against the seed's KPI of 50, recent and planned sessions, recording a
session with its attendance, and per resident the sessions she attended in
the last four weeks.

Keyboard: the attendance list holds the residents in residence on the
session's day (refilled when the date changes); arrows move, Space ticks,
Tab goes on to the save button. A session dated after today may be planned
but has no attendance (the store refuses it, beside the list).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.dates import fiscal_year_label, fiscal_year_of, format_date
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.record.base import fill_table, table
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.i18n import _
from shelterdesk.store import programme as repo

SHOWN_DAYS = 90


class ProgrammePage(QWidget):
    def __init__(self, session, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        self._today = today
        layout = QVBoxLayout(self)
        title = QLabel(_("Programme sessions"))
        title.setProperty("role", "title")
        layout.addWidget(title)
        self.kpi = QLabel()
        self.kpi.setObjectName("kpi")
        layout.addWidget(self.kpi)
        self.sessions = table([_("Date"), _("Title"), _("Facilitator"), _("Attending")])
        layout.addWidget(self.sessions)

        heading = QLabel(_("Record a session"))
        heading.setProperty("role", "section")
        layout.addWidget(heading)
        self.form = ErrorForm()
        self.title = QLineEdit()
        self.held_on = DateEdit(value=self.today())
        self.facilitator = QLineEdit()
        self.attendees = QListWidget()
        self.attendees.setObjectName("attendees")
        self.attendees.setMinimumHeight(120)
        self.form.add_field("title", _("Title"), self.title)
        self.form.add_field("held_on", _("Date"), self.held_on)
        self.form.add_field("facilitator", _("Facilitator"), self.facilitator)
        self.form.add_field("attendees", _("Attending (Space ticks)"), self.attendees)
        layout.addLayout(self.form)
        self.save_button = QPushButton(_("Save session"))
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        self.general_line = error_label()
        layout.addWidget(self.general_line)

        heading = QLabel(_("Sessions attended in the last four weeks"))
        heading.setProperty("role", "section")
        layout.addWidget(heading)
        self.recent = table([_("Resident"), _("Sessions")])
        layout.addWidget(self.recent)
        self.held_on.valueChanged.connect(lambda _v: self.fill_attendees())
        self.title.returnPressed.connect(self.held_on.setFocus)
        changes.hub().changed.connect(self.on_change)
        self.refresh()

    def today(self) -> date:
        return self._today or date.today()

    def on_change(self, change: changes.Change) -> None:
        if self.db.is_open and change.touches(changes.PROGRAMME, changes.STAY,
                                               changes.RESIDENT):
            self.refresh()

    def refresh(self) -> None:
        today = self.today()
        kpi = repo.fiscal_year_count(self.db, today)
        self.kpi.setText(_("{fy}: {held} of {target} sessions held so far").format(
            fy=fiscal_year_label(fiscal_year_of(today)), held=kpi.held, target=kpi.target))
        rows = repo.sessions_between(self.db, today - timedelta(days=SHOWN_DAYS),
                                     today + timedelta(days=SHOWN_DAYS))
        fill_table(self.sessions, [[format_date(r.held_on), r.title, r.facilitator,
                                    str(r.attending)] for r in rows], [r.id for r in rows])
        people = repo.recent_attendance(self.db, today)
        fill_table(self.recent, [[p.display_name, str(p.recent)] for p in people],
                   [p.resident_id for p in people])
        self.fill_attendees()

    def fill_attendees(self) -> None:
        ticked = set(self.ticked())
        self.attendees.clear()
        on = self.held_on.value_or_none()
        if on is None:
            return
        for p in repo.in_residence_on(self.db, on):
            item = QListWidgetItem(p.display_name, self.attendees)
            item.setData(Qt.ItemDataRole.UserRole, p.resident_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p.resident_id in ticked
                               else Qt.CheckState.Unchecked)
        if self.attendees.count():
            self.attendees.setCurrentRow(0)

    def ticked(self) -> list[int]:
        return [self.attendees.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.attendees.count())
                if self.attendees.item(i).checkState() == Qt.CheckState.Checked]

    def save(self) -> bool:
        problems: list[FieldError] = []
        if self.held_on.problem():
            problems.append(FieldError("held_on", self.held_on.problem()))
        s = repo.ProgrammeSession(self.title.text(), self.held_on.value_or_none(),
                                  self.facilitator.text(), self.ticked())

        def call() -> None:
            check(problems)
            repo.record_session(self.db, s, self.today())

        def done(_result) -> None:
            self.title.clear()
            for i in range(self.attendees.count()):
                self.attendees.item(i).setCheckState(Qt.CheckState.Unchecked)
            self.title.setFocus()

        return run_action(self, call, forms=[self.form], general=self.general_line, done=done,
                          changed=changes.change(changes.PROGRAMME))


