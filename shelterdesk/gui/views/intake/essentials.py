"""The first page: her details and the arrival, the only part required before
the admission can be saved. The readmission banner sits on top of it.

Why the arrival sits between her date of birth and her language: that is the
order staff are asked at the door, and Tab follows it.
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout

from shelterdesk.core.dates import now_minute
from shelterdesk.core.models import Stay
from shelterdesk.core.validation import FieldError, check_resident, check_stay
from shelterdesk.gui.views.intake.page import IntakePage
from shelterdesk.gui.views.intake.readmission import FIELD as READMISSION_FIELD
from shelterdesk.gui.views.intake.readmission import ReadmissionBanner
from shelterdesk.gui.widgets.errors import ErrorForm
from shelterdesk.gui.widgets.pickers import OTHER_LANGUAGE, set_combo
from shelterdesk.gui.widgets.resident_fields import ResidentFields, StayFields
from shelterdesk.i18n import N_, _

#: The wizard also accepts a full-width colon (a Japanese input method's).
TIME_RE = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")
#: Wait this long after the kana or the date of birth stops changing before
#: looking for an earlier resident.
MATCH_DELAY_MS = 250

RESIDENT_TEXT_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "alias")


class EssentialsPage(IntakePage):
    title = N_("Essentials")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        layout = QVBoxLayout(self)
        self.readmission = ReadmissionBanner(state)
        layout.addWidget(self.readmission)
        self.form = form = ErrorForm()
        # Her details and the arrival share one form, in this Tab order.
        self.resident_fields = ResidentFields(form)
        self.resident_fields.add_names()
        self.text_fields = self.resident_fields.text
        self.text_fields["alias"].setPlaceholderText(_("Her name or an alias is enough"))
        self.resident_fields.add_birth()
        self.birth_date = self.resident_fields.birth_date
        self.estimated_age = self.resident_fields.estimated_age
        self.estimated_age.setPlaceholderText(_("years"))
        self.stay_fields = StayFields(form)
        self.stay_fields.add_arrival()
        self.arrival_date = self.stay_fields.arrival_date
        self.arrival_time = self.stay_fields.arrival_time
        self.arrival_time.setPlaceholderText("23:40")
        self.stay_fields.add_codes()
        self.referral = self.stay_fields.referral
        self.admission_type = self.stay_fields.admission_type
        self.complaint = self.stay_fields.complaint
        self.tags = self.stay_fields.tags
        self.resident_fields.add_language()
        self.language = self.resident_fields.language
        self.language_other = self.resident_fields.language_other
        self.interpreter = self.resident_fields.interpreter
        self.language_other.setPlaceholderText(_("which language"))
        self.language_other.setEnabled(False)
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_other.setEnabled(
                self.language.currentData() == OTHER_LANGUAGE))
        self.resident_fields.add_nationality()
        layout.addLayout(form)
        layout.addStretch(1)
        self._set_defaults()

        self._match_timer = QTimer(self, singleShot=True, interval=MATCH_DELAY_MS)
        self._match_timer.timeout.connect(self.look_for_earlier_stays)
        for name in ("family_kana", "given_kana"):
            self.text_fields[name].textChanged.connect(self._kana_or_birth_changed)
        self.birth_date.valueChanged.connect(self._kana_or_birth_changed)
        state.earlierRecordChanged.connect(self._earlier_record_changed)

    def _set_defaults(self) -> None:
        now = now_minute()
        self.arrival_date.set_value(now.date())
        self.arrival_time.setText(now.strftime("%H:%M"))
        set_combo(self.admission_type, "temporary_protection")
        set_combo(self.language, "ja")

    # -- readmission ----------------------------------------------------------------------
    def _typed_identity(self):
        return (self.text_fields["family_kana"].text(), self.text_fields["given_kana"].text(),
                self.birth_date.value_or_none())

    def _kana_or_birth_changed(self, *_args) -> None:
        if not self.state.restoring:
            self._match_timer.start()

    def look_for_earlier_stays(self) -> None:
        self.readmission.look_up(*self._typed_identity())

    def _earlier_record_changed(self, fill: bool) -> None:
        if fill and self.state.earlier is not None:
            self.resident_fields.fill(self.state.earlier, clear_other=False)

    # -- the arrival ---------------------------------------------------------------------
    def arrival(self) -> datetime | None:
        day = self.arrival_date.value_or_none()
        m = TIME_RE.match(self.arrival_time.text())
        if day is None or not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            return None
        return datetime(day.year, day.month, day.day, int(m.group(1)), int(m.group(2)))

    # -- draft ------------------------------------------------------------------------------
    def draft(self) -> dict:
        return {
            "fields": {n: self.text_fields[n].text() for n in RESIDENT_TEXT_FIELDS}
            | {"nationality": self.resident_fields.nationality.value()},
            "birth_date": self.birth_date.text(),
            "estimated_age": self.estimated_age.text(),
            "arrival_date": self.arrival_date.text(),
            "arrival_time": self.arrival_time.text(),
            "referral_source": self.referral.currentData(),
            "admission_type": self.admission_type.currentData(),
            "main_complaint": self.complaint.currentData(),
            "issue_tags": [c for c, cb in self.tags.items() if cb.isChecked()],
            "language": self.language.currentData(),
            "language_other": self.language_other.text(),
            "interpreter_needed": self.interpreter.isChecked(),
        } | self.readmission.draft()

    def fill(self, draft: dict) -> None:
        for n in RESIDENT_TEXT_FIELDS:
            self.text_fields[n].setText(draft.get("fields", {}).get(n, ""))
        self.resident_fields.nationality.set_value(draft.get("fields", {}).get("nationality", ""))
        self.birth_date.setText(draft.get("birth_date", ""))
        self.estimated_age.setText(draft.get("estimated_age", ""))
        self.arrival_date.setText(draft.get("arrival_date", ""))
        self.arrival_time.setText(draft.get("arrival_time", ""))
        set_combo(self.referral, draft.get("referral_source"))
        set_combo(self.admission_type, draft.get("admission_type"))
        set_combo(self.complaint, draft.get("main_complaint"))
        for code, cb in self.tags.items():
            cb.setChecked(code in draft.get("issue_tags", []))
        set_combo(self.language, draft.get("language", "ja"))
        self.language_other.setText(draft.get("language_other", ""))
        self.interpreter.setChecked(bool(draft.get("interpreter_needed")))
        self.readmission.fill(draft, self._typed_identity())
        for edit in (self.birth_date, self.arrival_date):
            edit._finished()  # show a date the draft kept half-typed as such

    def clear(self) -> None:
        self._match_timer.stop()
        for edit in self.text_fields.values():
            edit.clear()
        self.resident_fields.nationality.set_value("")
        self.birth_date.clear()
        self.estimated_age.clear()
        self.language_other.clear()
        self.interpreter.setChecked(False)
        self.referral.setCurrentIndex(0)
        self.complaint.setCurrentIndex(0)
        for cb in self.tags.values():
            cb.setChecked(False)
        self._set_defaults()
        self.readmission.clear()

    # -- the admission ------------------------------------------------------------------
    def read(self, data) -> None:
        self.resident_fields.apply(data.resident)
        data.language_label = self.language.currentText()
        data.stay = self.stay_fields.apply_codes(Stay(admitted_at=self.arrival()))

    def local_problems(self) -> list[FieldError]:
        """Checked before the store is asked: what the typing gets wrong and
        the open readmission question."""
        return self.typing_problems() + self.readmission.problems()

    def typing_problems(self) -> list[FieldError]:
        """What the typed text gets wrong before it is even a record."""
        errors = []
        for name, edit in (("birth_date", self.birth_date), ("admitted_at", self.arrival_date)):
            if edit.problem():
                errors.append(FieldError(name, edit.problem()))
        if not self.arrival_date.problem():
            if not self.arrival_date.text().strip():
                errors.append(FieldError("admitted_at", _("Arrival date is required.")))
            elif self.arrival() is None:
                errors.append(FieldError("admitted_at", _("Type the arrival time as 23:40.")))
        age = self.estimated_age.text().strip()
        if age and not age.isdigit():
            errors.append(FieldError("estimated_age", _("Estimated age must be a number.")))
        return errors

    def problems(self, data) -> list[FieldError]:
        errors = self.typing_problems()
        bad = {e.field for e in errors}
        mine = self.form.fields
        errors += [e for e in check_resident(data.resident) if e.field not in bad
                   and e.field in mine]
        errors += [e for e in check_stay(data.stay) if e.field in mine
                   and not (e.field == "admitted_at" and "admitted_at" in bad)]
        return errors + self.readmission.problems()

    def holds(self, error: FieldError) -> bool:
        return error.field in self.form.fields or error.field == READMISSION_FIELD

    def show_errors(self, errors, prefix="", focus=True):
        rest = self.form.show_errors(errors, focus=focus)
        return self.readmission.show_errors(rest)

    def first_focus(self):
        return self.text_fields["family_name"]
