"""Her stays: the list (numbers the command line and paper forms refer to),
and the chosen stay's arrival, codes and review date to correct.

Discharge and moving beds are actions of the page (the row above the tabs),
since they concern her open stay whichever tab is showing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.models import Stay
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.record.base import RecordTab, fill_table, selected_id, table
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm
from shelterdesk.gui.widgets.resident_fields import StayFields
from shelterdesk.i18n import _
from shelterdesk.store import rooms
from shelterdesk.store import stays as stays_repo

TIME_FORMAT = "%H:%M"


class StaysTab(RecordTab):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        layout = QVBoxLayout(self)
        self.table = table([_("Stay no."), _("Admitted"), _("Room / bed"), _("Admission type"),
                            _("Primary complaint"), _("Children"), _("Discharged"),
                            _("Destination"), _("Days")])
        self.table.currentCellChanged.connect(lambda *a: self.load_selected())
        layout.addWidget(self.table)
        self.form = ErrorForm()
        self.stay_fields = fields = StayFields(self.form)
        fields.add_arrival()
        fields.add_codes()
        self.arrival_date, self.arrival_time = fields.arrival_date, fields.arrival_time
        self.referral, self.admission_type = fields.referral, fields.admission_type
        self.complaint, self.tags = fields.complaint, fields.tags
        self.review_on = DateEdit()
        self.form.add_field("review_on", _("Planned review"), self.review_on)
        self.discharge_info = QLabel()
        self.form.add_field(None, _("Discharge"), self.discharge_info)
        self.add_form(layout, self.form, _("Save stay"))

    def fill(self) -> None:
        today = date.today()
        db = self.record.db
        rows = []
        for s in self.record.stays:
            room, bed = rooms.bed_label(db, s.bed_id)  # a closed stay keeps its last bed
            rows.append([str(s.id), s.admitted_at.strftime("%Y/%m/%d %H:%M"),
                         f"{room}-{bed}" if room else "",
                         codes.ADMISSION_TYPE.label(s.admission_type),
                         codes.MAIN_COMPLAINT.label(s.main_complaint), str(len(s.child_ids)),
                         format_date(s.discharged_on),
                         codes.DISCHARGE_DESTINATION.label(s.discharge_destination),
                         str(s.days_in_residence(today))])
        fill_table(self.table, rows, [s.id for s in self.record.stays])
        if self.record.stays:
            self.table.selectRow(0)
        self.load_selected()

    def selected_stay(self) -> Stay | None:
        return self.record.stay(selected_id(self.table))

    def load_selected(self) -> None:
        s = self.selected_stay()
        self.record.selected_stay_id = s.id if s is not None else None
        self.save_button.setEnabled(s is not None)
        if s is None:
            return
        self.arrival_date.set_value(s.admitted_on)
        self.arrival_time.setText(s.admitted_at.strftime(TIME_FORMAT))
        self.stay_fields.fill_codes(s)
        self.review_on.set_value(s.review_on)
        if s.discharged_on:
            self.discharge_info.setText(_("{d}: {dest}").format(
                d=format_date(s.discharged_on),
                dest=codes.DISCHARGE_DESTINATION.label(s.discharge_destination))
                + (f" — {s.discharge_note}" if s.discharge_note else ""))
        else:
            self.discharge_info.setText(_("in residence"))
        self.form.clear_errors()

    def edited_stay(self, stay: Stay) -> Stay:
        """The chosen stay as typed (a copy: the loaded record is left as read),
        or ValidationError for what typing alone got wrong."""
        errors = []
        for name, edit in (("admitted_at", self.arrival_date), ("review_on", self.review_on)):
            if edit.problem():
                errors.append(FieldError(name, edit.problem()))
        try:
            arrival_time = datetime.strptime(self.arrival_time.text().strip(),
                                             TIME_FORMAT).time()
        except ValueError:
            errors.append(FieldError("admitted_at", _("Type the arrival time as 23:40.")))
            arrival_time = None
        arrival_date = self.arrival_date.value_or_none()
        if arrival_date is None and not any(e.field == "admitted_at" for e in errors):
            errors.append(FieldError("admitted_at", _("Arrival date is required.")))
        check(errors)
        edited = replace(stay, admitted_at=datetime.combine(arrival_date, arrival_time),
                         review_on=self.review_on.value_or_none())
        return self.stay_fields.apply_codes(edited)

    def save(self) -> bool:
        stay = self.selected_stay()
        if stay is None:
            return False
        return run_action(
            self, lambda: stays_repo.update_stay(self.record.db, self.edited_stay(stay)),
            forms=[self.form], general=self.general_line,
            changed=self.her_change(changes.STAY, stay_id=stay.id))
