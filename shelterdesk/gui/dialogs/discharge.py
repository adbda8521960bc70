"""Discharge: date, destination, note; the bed becomes free.

Why a discharge asks to confirm, naming her and the date: it frees her bed
and closes her stay at once, and the dialog is one Enter away from its
destination list. (A discharge entered by mistake can be undone by a manager
on her record: store.stays.undo_discharge.)

Why "other" asks to confirm as well: the discharge destination feeds the prefecture's
statistics (DOMAIN.md), and "other" tells nobody anything; it should be rare,
so choosing it is confirmed once more.

``discharged(stay_id)`` is the extension point for what follows a discharge:
the aftercare schedule (phone calls, visits) is added at this step by a later
issue, connected to this signal. Do not put that work inside this dialog.

The layout is ui/discharge.ui (Qt Designer; ``make forms``). The discharge is
one store call run by ``gui.operations.run_action``, which announces the
change (the stay closed, the bed free) to every page.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QWidget

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import FieldError, check_stay
from shelterdesk.gui import changes
from shelterdesk.gui.forms.ui_discharge import Ui_DischargeDialog
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.widgets.errors import FieldErrors, set_error
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.i18n import _
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import rooms, stays


class DischargeDialog(QDialog):
    discharged = Signal(int)

    def __init__(self, session, stay_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        self.stay_id = stay_id
        self.ui = Ui_DischargeDialog()
        self.ui.setupUi(self)
        stay = stays.get_stay(self.db, stay_id)
        self.stay = stay
        # Internal lookup: the screen that opened this dialog audited the view.
        r = residents_repo.get_resident(self.db, stay.resident_id, audit_view=False)
        self.resident_id = r.id
        self.who = r.display_name or _("resident no. {id}").format(id=r.id)
        room, bed = rooms.bed_label(self.db, stay.bed_id)
        self.ui.heading.setText(_("Discharge {name} — resident no. {rid}, stay no. {sid}").format(
            name=r.display_name or "—", rid=r.id, sid=stay_id))
        where = _("Admitted {d}").format(d=format_date(stay.admitted_on))
        if room:
            where += " · " + _("room {room}, bed {bed}").format(room=room, bed=bed)
        self.ui.where.setText(where)
        self.banner = self.ui.safetyBanner
        self.banner.set_flags(r.safety)
        self.date = self.ui.date
        self.date.set_value(date.today())
        self.destination = self.ui.destination
        self.destination.addItem(_("— choose —"), None)
        for c in codes.DISCHARGE_DESTINATION:
            self.destination.addItem(c.display(), c.code)
        self.note = self.ui.note
        self.form = FieldErrors()
        for name, widget, label in (("discharged_on", self.date, self.ui.dateError),
                                    ("discharge_destination", self.destination,
                                     self.ui.destinationError),
                                    ("discharge_note", self.note, self.ui.noteError)):
            self.form.add(name, label, widget)
        self.form.clear_errors()
        self.date.problemChanged.connect(lambda msg: set_error(self.ui.dateError, msg))
        self.error = self.ui.error
        set_error(self.error, "")
        self.ok_button = self.ui.okButton
        self.ok_button.clicked.connect(self.submit)
        self.date.setFocus()
        if stay.discharged_on is not None:
            set_error(self.error, _("This stay was already closed on {d}.").format(
                d=format_date(stay.discharged_on)))
            self.ok_button.setEnabled(False)

    def _confirm_other(self) -> bool:
        return ask_yes_no(
            self, _("Destination “Other”"),
            _("“Other” should be rare: the statistics cannot count it. Is none of the listed "
              "destinations right? Record “Other” anyway?"))

    def _confirm(self, when: date) -> bool:
        return ask_yes_no(
            self, _("Discharge"),
            _("Discharge {name} on {date}? Her stay is closed and her bed becomes free.").format(
                name=self.who, date=format_date(when)), default_yes=True)

    def _local_errors(self) -> list[FieldError]:
        """What can be told before asking anything: a missing or impossible
        date (before her arrival, in the future) and a missing destination."""
        errors: list[FieldError] = []
        if self.date.problem():
            errors.append(FieldError("discharged_on", self.date.problem()))
        elif self.date.value() is None:
            errors.append(FieldError("discharged_on", _("Discharge date is required.")))
        if not self.destination.currentData():
            errors.append(FieldError("discharge_destination",
                                     _("Discharge destination is required.")))
        if not errors:
            closed = replace(self.stay, discharged_on=self.date.value(),
                             discharge_destination=self.destination.currentData(),
                             discharge_note=self.note.toPlainText().strip())
            errors = check_stay(closed)
        return errors

    def submit(self) -> bool:
        errors = self._local_errors()
        dest = self.destination.currentData()
        if not errors and dest == "other" and not self._confirm_other():
            self.destination.setFocus()
            return False
        if not errors and not self._confirm(self.date.value()):
            self.ok_button.setFocus()
            return False
        when = None if errors else self.date.value()  # value() raises on a bad date
        note = self.note.toPlainText().strip()

        def discharge() -> None:
            check(errors)
            stays.discharge(self.db, self.stay_id, when, dest, note)

        return run_action(self, discharge, forms=[self.form], general=self.error,
                          changed=changes.change(changes.STAY, changes.BED,
                                                 resident_id=self.resident_id,
                                                 stay_id=self.stay_id),
                          done=self._done)

    def _done(self, _result) -> None:
        self.discharged.emit(self.stay_id)
        self.accept()
