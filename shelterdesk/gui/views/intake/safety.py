"""Her safety flags and the consents she gives (Enter adds the consent being
typed; Enter on an empty consent form goes on). Both may be completed later on
her record.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QVBoxLayout

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.models import Consent
from shelterdesk.core.validation import FieldError, check_consent
from shelterdesk.gui.views.intake.page import IntakePage, numbered_errors, wizard_button
from shelterdesk.gui.views.intake.state import date_or_none, iso_date
from shelterdesk.gui.widgets.errors import ErrorForm, error_label, set_error
from shelterdesk.gui.widgets.pickers import set_combo
from shelterdesk.gui.widgets.resident_fields import ConsentFields, SafetyFields
from shelterdesk.gui.widgets.rows import roomy
from shelterdesk.i18n import N_, _


def consent_to_draft(consent: Consent) -> dict:
    return {"scope": consent.scope, "recipient": consent.recipient,
            "given_on": iso_date(consent.given_on), "expires_on": iso_date(consent.expires_on)}


def consent_from_draft(d: dict) -> Consent:
    return Consent(scope=d.get("scope", ""), recipient=d.get("recipient", ""),
                   given_on=date_or_none(d.get("given_on")),
                   expires_on=date_or_none(d.get("expires_on")))


class SafetyPage(IntakePage):
    title = N_("Safety and consent")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.consents: list[Consent] = []
        layout = QVBoxLayout(self)
        self.safety_form = ErrorForm()
        self.safety_fields = SafetyFields(self.safety_form, warning_height=60)
        self.safety_fields.danger_warning.setPlaceholderText(
            _("e.g. he has a car and knows the station"))
        layout.addLayout(self.safety_form)
        title = QLabel(_("Consents"))
        title.setProperty("role", "section")
        title.setProperty("spaced", True)
        layout.addWidget(title)
        self.consent_form = ErrorForm()
        self.consent_fields = ConsentFields(self.consent_form)
        layout.addLayout(self.consent_form)
        row = QHBoxLayout()
        self.add_button = wizard_button(_("Add consent"))
        self.add_button.clicked.connect(self.add_consent)
        self.remove_button = wizard_button(_("Remove selected"))
        self.remove_button.clicked.connect(self.remove_consent)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.consents_list = roomy(QListWidget())
        self.consents_list.setMinimumHeight(70)
        layout.addWidget(self.consents_list)
        self.consents_error = error_label()
        layout.addWidget(self.consents_error)
        layout.addStretch(1)
        self.safety_fields.danger_warning.textChanged.connect(state.touched)
        state.earlierRecordChanged.connect(self._earlier_record_changed)

    def _earlier_record_changed(self, fill: bool) -> None:
        if fill and self.state.earlier is not None:
            self.safety_fields.fill(self.state.earlier.safety)

    # -- consents -----------------------------------------------------------------------
    def add_consent(self) -> bool:
        """Validate the consent form and add the consent to the list. False
        (messages beside the fields) when something is wrong."""
        errors = self.consent_fields.problems()
        consent = self.consent_fields.consent()
        bad = {e.field for e in errors}
        errors += [e for e in check_consent(consent) if e.field not in bad]
        self.consent_form.show_errors(errors)
        if errors:
            return False
        self.consents.append(consent)
        self._refresh_list()
        self.consent_fields.clear_for_next()
        self.consent_fields.scope.setFocus()
        self.state.touched()
        return True

    def _refresh_list(self) -> None:
        self.consents_list.clear()
        for i, consent in enumerate(self.consents, 1):
            until = (_("until {d}").format(d=format_date(consent.expires_on))
                     if consent.expires_on else "")
            given = _("given {d}").format(d=format_date(consent.given_on))
            self.consents_list.addItem(
                f"{i}. {codes.CONSENT_SCOPE.label(consent.scope)} → {consent.recipient}  "
                f"{given} {until}".rstrip())

    def remove_consent(self) -> None:
        row = self.consents_list.currentRow()
        if 0 <= row < len(self.consents):
            del self.consents[row]
            self._refresh_list()
            self.state.touched()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Delete and self.consents_list.hasFocus():
            self.remove_consent()
            return
        super().keyPressEvent(event)

    # -- draft ------------------------------------------------------------------------------
    def draft(self) -> dict:
        fields = self.safety_fields
        return {
            "safety": {
                "support_measure": fields.support_measure.isChecked(),
                "protection_order": fields.protection_order.currentData(),
                "danger_level": fields.danger_level.currentData(),
                "danger_warning": fields.danger_warning.toPlainText(),
                "whereabouts_secret": fields.whereabouts_secret.isChecked(),
            },
            "consents": [consent_to_draft(c) for c in self.consents],
        }

    def fill(self, draft: dict) -> None:
        safety, fields = draft.get("safety", {}), self.safety_fields
        fields.support_measure.setChecked(bool(safety.get("support_measure")))
        set_combo(fields.protection_order, safety.get("protection_order") or "none")
        set_combo(fields.danger_level, safety.get("danger_level"))
        fields.danger_warning.setPlainText(safety.get("danger_warning", ""))
        fields.whereabouts_secret.setChecked(bool(safety.get("whereabouts_secret")))
        self.consents = [consent_from_draft(d) for d in draft.get("consents", [])]
        self._refresh_list()

    def clear(self) -> None:
        fields = self.safety_fields
        fields.support_measure.setChecked(False)
        fields.whereabouts_secret.setChecked(False)
        set_combo(fields.protection_order, "none")
        fields.danger_level.setCurrentIndex(0)
        fields.danger_warning.clear()
        self.consent_fields.clear_for_next()
        self.consent_fields.given_on.set_value(date.today())
        self.consents = []
        self._refresh_list()
        self.consent_form.clear_errors()
        self.clear_errors()

    # -- the admission ------------------------------------------------------------------
    def read(self, data) -> None:
        data.resident.safety = self.safety_fields.flags()
        data.consents = [dataclasses.replace(c) for c in self.consents]

    def holds(self, error: FieldError) -> bool:
        return error.field in self.safety_form.fields or error.field.startswith("consents[")

    def show_errors(self, errors, prefix="", focus=True):
        rest = self.safety_form.show_errors(errors, focus=focus)
        mine = [e for e in rest if e.field.startswith("consents[")]
        set_error(self.consents_error, numbered_errors(mine, _("Consent")))
        return [e for e in rest if e not in mine]

    # -- navigation ---------------------------------------------------------------------
    def leave(self, data) -> bool:
        return not self.consent_fields.has_text() or self.add_consent()

    def enter_key(self) -> bool:
        if not self.consent_fields.has_text():
            return False
        self.add_consent()
        return True

    def first_focus(self):
        return self.safety_fields.support_measure
