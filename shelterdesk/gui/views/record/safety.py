"""Her safety flags (the red band at the top of the record shows them).

Saving writes her whole details row together with the Profile tab
(see base.DetailsPart)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from shelterdesk.core.models import Resident
from shelterdesk.core.validation import FieldError
from shelterdesk.gui.views.record.base import DetailsPart
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.errors import ErrorForm
from shelterdesk.gui.widgets.resident_fields import SafetyFields
from shelterdesk.i18n import _


class SafetyTab(DetailsPart):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        self.forms = (self.form,)
        self.safety_fields = SafetyFields(self.form)
        self.whereabouts_secret = self.safety_fields.whereabouts_secret
        self.add_form(layout, self.form, _("Save safety"))

    def fill(self) -> None:
        self.safety_fields.fill(self.record.resident.safety)
        self.form.clear_errors()

    def apply_details(self, resident: Resident) -> list[FieldError]:
        resident.safety = self.safety_fields.flags()
        return []
