"""Discharge: date, destination, note; the bed becomes free.

Why "other" asks to confirm: the discharge destination feeds the prefecture's
statistics (DOMAIN.md), and "other" tells nobody anything; it should be rare,
so choosing it is confirmed once more.

``discharged(stay_id)`` is the extension point for what follows a discharge:
the aftercare schedule (phone calls, visits) is added at this step by a later
issue, connected to this signal. Do not put that work inside this dialog.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.gui.widgets.buttons import action_row
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm, error_label, set_error
from shelterdesk.gui.widgets.pickers import code_combo
from shelterdesk.gui.widgets.safety_banner import SafetyBanner
from shelterdesk.i18n import _
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import rooms, stays
from shelterdesk.store.errors import StoreError


class DischargeDialog(QDialog):
    discharged = Signal(int)

    def __init__(self, session, stay_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        self.stay_id = stay_id
        self.setWindowTitle(_("Discharge"))
        self.setMinimumWidth(560)
        stay = stays.get_stay(self.db, stay_id)
        self.stay = stay
        # Internal lookup: the screen that opened this dialog audited the view.
        r = residents_repo.get_resident(self.db, stay.resident_id, audit_view=False)
        room, bed = rooms.bed_label(self.db, stay.bed_id)

        lay = QVBoxLayout(self)
        head = QLabel(_("Discharge {name} — resident no. {rid}, stay no. {sid}").format(
            name=r.display_name or "—", rid=r.id, sid=stay_id))
        head.setProperty("role", "subtitle")
        head.setWordWrap(True)
        lay.addWidget(head)
        where = _("Admitted {d}").format(d=format_date(stay.admitted_on))
        if room:
            where += " · " + _("room {room}, bed {bed}").format(room=room, bed=bed)
        lay.addWidget(QLabel(where))
        self.banner = SafetyBanner()
        self.banner.set_flags(r.safety)
        lay.addWidget(self.banner)

        self.form = ErrorForm()
        self.date = DateEdit(value=date.today())
        self.form.add_field("discharged_on", _("Discharge date"), self.date)
        self.destination = code_combo(codes.DISCHARGE_DESTINATION, _("— choose —"))
        self.form.add_field("discharge_destination", _("Destination"), self.destination)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.form.add_field("discharge_note", _("Note"), self.note)
        lay.addLayout(self.form)
        hint = QLabel(_("Never write her new address here."))
        hint.setProperty("role", "hint")
        lay.addWidget(hint)
        self.error = error_label()
        lay.addWidget(self.error)
        row, self.ok_button = action_row(self, _("Discharge"), self.submit)
        lay.addLayout(row)
        self.date.setFocus()
        if stay.discharged_on is not None:
            set_error(self.error, _("This stay was already closed on {d}.").format(
                d=format_date(stay.discharged_on)))
            self.ok_button.setEnabled(False)

    def _confirm_other(self) -> bool:
        answer = QMessageBox.question(
            self, _("Destination “Other”"),
            _("“Other” should be rare: the statistics cannot count it. Is none of the listed "
              "destinations right? Record “Other” anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def submit(self) -> bool:
        errors: list[FieldError] = []
        if self.date.problem():
            errors.append(FieldError("discharged_on", self.date.problem()))
        elif self.date.value() is None:
            errors.append(FieldError("discharged_on", _("Discharge date is required.")))
        dest = self.destination.currentData()
        if not dest:
            errors.append(FieldError("discharge_destination",
                                     _("Discharge destination is required.")))
        if errors:
            self.form.show_errors(errors)
            return False
        if dest == "other" and not self._confirm_other():
            self.destination.setFocus()
            return False
        try:
            stays.discharge(self.db, self.stay_id, self.date.value(), dest,
                            self.note.toPlainText().strip())
        except ValidationError as e:
            rest = self.form.show_errors(e.errors)
            set_error(self.error, "\n".join(x.message for x in rest))
            return False
        except StoreError as e:
            set_error(self.error, str(e))
            return False
        self.discharged.emit(self.stay_id)
        self.accept()
        return True
