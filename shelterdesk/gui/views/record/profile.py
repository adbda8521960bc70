"""Her details: names, birth, language, contact and health.

Saving writes her whole details row together with the Safety tab's flags
(see base.DetailsPart)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shelterdesk.core.models import Resident
from shelterdesk.core.validation import FieldError
from shelterdesk.gui.views.record.base import DetailsPart
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.errors import ErrorForm
from shelterdesk.gui.widgets.resident_fields import ResidentFields
from shelterdesk.i18n import _


class ProfileTab(DetailsPart):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        self.forms = (self.form,)
        self.resident_fields = fields = ResidentFields(self.form)
        fields.add_names()
        self.age_label = QLabel()  # her age today, from the date or the estimate
        fields.add_birth(extra=self.age_label)
        fields.add_language()
        fields.add_nationality()
        fields.add_text((("safe_phone", _("Safe phone")),
                         ("registered_municipality",
                          _("Municipality of residence registration (municipality only)")),
                         ("disability_certificate", _("Disability certificate")),
                         ("allergies", _("Allergies")), ("medications", _("Medications"))))
        fields.add_health()
        self.profile_text, self.birth_date = fields.text, fields.birth_date
        self.add_form(layout, self.form, _("Save profile"))

    def fill(self) -> None:
        resident = self.record.resident
        self.resident_fields.fill(resident)
        age = resident.age_on(date.today())
        self.age_label.setText("" if age is None else _("Age {n}").format(n=age))
        self.form.clear_errors()

    def apply_details(self, resident: Resident) -> list[FieldError]:
        self.resident_fields.apply(resident)
        return self.resident_fields.problems()
