"""The field groups both the admission wizard and her record show: her
details, a stay's arrival and codes, a child, the safety flags and a consent. Each group builds its
widgets on an ErrorForm (so messages appear beside the field under the same
names core.validation uses), fills itself from a core.models object and reads
one back.

Why the resident and child groups add their rows one call at a time: the
wizard puts the arrival between her date of birth and her language, and Tab
walks the rows in the order they were added. Never build a group's rows in a
different order on a screen that has them today: tests walk the wizard by
keyboard.

The groups hold no SQL and do not validate beyond what typing alone can get
wrong (a date that is not a date, an age that is not a number); the store and
core.validation do the rest.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLineEdit, QPlainTextEdit, QWidget

from shelterdesk.core import codes
from shelterdesk.core.models import Child, Consent, Resident, SafetyFlags, Stay
from shelterdesk.core.validation import FieldError
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm
from shelterdesk.gui.widgets.pickers import (
    OTHER_LANGUAGE,
    NationalityBox,
    code_checkboxes,
    code_combo,
    language_combo,
    set_combo,
)
from shelterdesk.i18n import _


def _text_rows(form: ErrorForm, edits: dict[str, QLineEdit], rows) -> None:
    for name, label in rows:
        edits[name] = QLineEdit()
        form.add_field(name, label, edits[name])


def _notes(height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab walks on; the notes never swallow it
    edit.setFixedHeight(height)
    return edit


class ResidentFields:
    """Her details. ``text`` holds the plain text rows by field name."""

    def __init__(self, form: ErrorForm):
        self.form = form
        self.text: dict[str, QLineEdit] = {}
        self.birth_date: DateEdit | None = None
        self.estimated_age: QLineEdit | None = None
        self.language = self.language_other = None
        self.interpreter: QCheckBox | None = None
        self.pregnant: QCheckBox | None = None
        self.health_notes: QPlainTextEdit | None = None
        self.nationality: NationalityBox | None = None

    # -- rows, in the caller's order ---------------------------------------------
    def add_names(self) -> None:
        _text_rows(self.form, self.text, (
            ("family_name", _("Family name")), ("given_name", _("Given name")),
            ("family_kana", _("Family name (kana)")), ("given_kana", _("Given name (kana)")),
            ("alias", _("Alias (通称)"))))

    def add_birth(self, extra: QWidget | None = None) -> None:
        """Date of birth (``extra`` beside it) and the estimated age."""
        self.birth_date = DateEdit()
        self.form.add_field("birth_date", _("Date of birth"), self.birth_date, extra=extra)
        self.estimated_age = QLineEdit()
        self.estimated_age.setMaximumWidth(80)
        self.form.add_field("estimated_age", _("Estimated age (if no date of birth)"),
                            self.estimated_age)

    def add_language(self) -> None:
        """The language (a free text box beside it for another one) and the
        interpreter tick."""
        self.language = language_combo()
        self.language_other = QLineEdit()
        self.form.add_field("language", _("Language"), self.language, extra=self.language_other)
        self.interpreter = QCheckBox(_("Needs an interpreter"))
        self.form.add_field("interpreter_needed", "", self.interpreter)

    def add_nationality(self) -> None:
        """A country from the list (names, never codes) or free text."""
        self.nationality = NationalityBox()
        self.form.add_field("nationality", _("Nationality"), self.nationality)

    def add_text(self, rows) -> None:
        """Plain text rows: ``(field name, label)`` pairs."""
        _text_rows(self.form, self.text, rows)

    def add_health(self) -> None:
        self.pregnant = QCheckBox(_("Pregnant"))
        self.form.add_field("pregnant", "", self.pregnant)
        self.health_notes = _notes(70)
        self.form.add_field("health_notes", _("Health notes"), self.health_notes)

    # -- model <-> widgets ---------------------------------------------------------
    def set_language(self, code: str, *, clear_other: bool = True) -> None:
        """A code the list does not know goes to "Other language" with the code
        in the box beside it."""
        if not set_combo(self.language, code):
            set_combo(self.language, OTHER_LANGUAGE)
            self.language_other.setText(code)
        elif clear_other:
            self.language_other.clear()

    def fill(self, r: Resident, *, clear_other: bool = True) -> None:
        for name, edit in self.text.items():
            edit.setText(getattr(r, name))
        self.birth_date.set_value(r.birth_date)
        self.estimated_age.setText("" if r.estimated_age is None else str(r.estimated_age))
        self.set_language(r.language, clear_other=clear_other)
        self.interpreter.setChecked(r.interpreter_needed)
        if self.nationality is not None:
            self.nationality.set_value(r.nationality)
        if self.pregnant is not None:
            self.pregnant.setChecked(r.pregnant)
            self.health_notes.setPlainText(r.health_notes)

    def problems(self) -> list[FieldError]:
        """What the typing alone gets wrong: the date and the age."""
        errs = []
        if self.birth_date.problem():
            errs.append(FieldError("birth_date", self.birth_date.problem()))
        age = self.estimated_age.text().strip()
        if age and not age.isdigit():
            errs.append(FieldError("estimated_age", _("Estimated age must be a number.")))
        return errs

    def apply(self, r: Resident) -> Resident:
        """Write what is typed onto ``r`` (fields this group does not show are
        left as they are) and return it."""
        for name, edit in self.text.items():
            setattr(r, name, edit.text().strip())
        r.birth_date = self.birth_date.value_or_none()
        age = self.estimated_age.text().strip()
        r.estimated_age = int(age) if age.isdigit() else None
        lang = self.language.currentData()
        r.language = (self.language_other.text().strip() or OTHER_LANGUAGE) \
            if lang == OTHER_LANGUAGE else lang
        r.interpreter_needed = self.interpreter.isChecked()
        if self.nationality is not None:
            r.nationality = self.nationality.value()
        if self.pregnant is not None:
            r.pregnant = self.pregnant.isChecked()
            r.health_notes = self.health_notes.toPlainText().strip()
        return r


class StayFields:
    """A stay's arrival (date, and the time in the box beside it) and its
    codes. Reading the arrival time stays with each screen: the wizard also
    accepts a full-width colon, the record the plain form only."""

    def __init__(self, form: ErrorForm):
        self.form = form

    def add_arrival(self) -> None:
        self.arrival_date = DateEdit()
        self.arrival_time = QLineEdit()
        self.arrival_time.setMaximumWidth(80)
        self.form.add_field("admitted_at", _("Arrival date and time"), self.arrival_date,
                            extra=self.arrival_time)

    def add_codes(self) -> None:
        """Referral source, admission type, primary complaint, other issues."""
        self.referral = code_combo(codes.REFERRAL_SOURCE, _("— choose —"))
        self.form.add_field("referral_source", _("Referral source"), self.referral)
        self.admission_type = code_combo(codes.ADMISSION_TYPE, _("— choose —"))
        self.form.add_field("admission_type", _("Admission type"), self.admission_type)
        self.complaint = code_combo(codes.MAIN_COMPLAINT, _("— choose —"))
        self.form.add_field("main_complaint", _("Primary complaint"), self.complaint)
        tags_box = QWidget()
        grid = QGridLayout(tags_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.tags = code_checkboxes(codes.ISSUE_TAG)
        for i, cb in enumerate(self.tags.values()):
            grid.addWidget(cb, i // 2, i % 2)
        self.form.add_field("issue_tags", _("Other issues"), tags_box)

    def fill_codes(self, s: Stay) -> None:
        set_combo(self.referral, s.referral_source)
        set_combo(self.admission_type, s.admission_type)
        set_combo(self.complaint, s.main_complaint)
        for code, cb in self.tags.items():
            cb.setChecked(code in s.issue_tags)

    def apply_codes(self, s: Stay) -> Stay:
        """Write the chosen codes onto ``s`` and return it."""
        s.referral_source = self.referral.currentData() or ""
        s.admission_type = self.admission_type.currentData() or ""
        s.main_complaint = self.complaint.currentData() or ""
        s.issue_tags = tuple(c for c, cb in self.tags.items() if cb.isChecked())
        return s


class SafetyFields:
    """The safety flags, all five rows at once."""

    def __init__(self, form: ErrorForm, *, warning_height: int = 70):
        self.form = form
        self.support_measure = QCheckBox(_("Support measure on the residence record applied "
                                           "(住民基本台帳 支援措置)"))
        form.add_field("support_measure", "", self.support_measure)
        self.protection_order = code_combo(codes.PROTECTION_ORDER)
        form.add_field("protection_order", _("Protection order"), self.protection_order)
        self.danger_level = code_combo(codes.DANGER_LEVEL, _("— not assessed —"))
        form.add_field("danger_level", _("Perpetrator danger"), self.danger_level)
        self.danger_warning = _notes(warning_height)
        form.add_field("danger_warning", _("Warning"), self.danger_warning)
        self.whereabouts_secret = QCheckBox(_("Whereabouts secret (never confirm she is here)"))
        form.add_field("whereabouts_secret", "", self.whereabouts_secret)

    def fill(self, s: SafetyFlags) -> None:
        self.support_measure.setChecked(s.support_measure)
        set_combo(self.protection_order, s.protection_order)
        if not set_combo(self.danger_level, s.danger_level):
            self.danger_level.setCurrentIndex(0)
        self.danger_warning.setPlainText(s.danger_warning)
        self.whereabouts_secret.setChecked(s.whereabouts_secret)

    def flags(self) -> SafetyFlags:
        return SafetyFlags(
            support_measure=self.support_measure.isChecked(),
            protection_order=self.protection_order.currentData() or "none",
            danger_level=self.danger_level.currentData(),
            danger_warning=self.danger_warning.toPlainText().strip(),
            whereabouts_secret=self.whereabouts_secret.isChecked())


class ChildFields:
    """A companion child. ``text`` holds the plain text rows by field name."""

    def __init__(self, form: ErrorForm):
        self.form = form
        self.text: dict[str, QLineEdit] = {}
        self.birth_date: DateEdit | None = None
        self.sex = None
        self.child_guidance: QCheckBox | None = None

    def add_names(self) -> None:
        _text_rows(self.form, self.text, (
            ("family_name", _("Family name")), ("given_name", _("Given name")),
            ("family_kana", _("Family name (kana)")), ("given_kana", _("Given name (kana)"))))

    def add_birth_and_sex(self) -> None:
        self.birth_date = DateEdit()
        self.form.add_field("birth_date", _("Date of birth"), self.birth_date)
        self.sex = code_combo(codes.SEX, _("— not recorded —"))
        self.form.add_field("sex", _("Sex"), self.sex)

    def add_nationality(self) -> None:
        """A country from the list (names, never codes) or free text."""
        self.nationality = NationalityBox()
        self.form.add_field("nationality", _("Nationality"), self.nationality)

    def add_text(self, rows) -> None:
        """Plain text rows: ``(field name, label)`` pairs."""
        _text_rows(self.form, self.text, rows)

    def add_guidance(self) -> None:
        self.child_guidance = QCheckBox(_("Child guidance centre involved"))
        self.form.add_field("child_guidance", "", self.child_guidance)

    def fill(self, ch: Child) -> None:
        for name, edit in self.text.items():
            edit.setText(getattr(ch, name))
        self.birth_date.set_value(ch.birth_date)
        if not set_combo(self.sex, ch.sex):
            self.sex.setCurrentIndex(0)
        if self.child_guidance is not None:
            self.child_guidance.setChecked(ch.child_guidance)

    def clear(self) -> None:
        for edit in self.text.values():
            edit.clear()
        self.birth_date.clear()
        self.sex.setCurrentIndex(0)
        if self.child_guidance is not None:
            self.child_guidance.setChecked(False)

    def apply(self, ch: Child) -> Child:
        """Write what is typed onto ``ch`` and return it."""
        for name, edit in self.text.items():
            setattr(ch, name, edit.text().strip())
        ch.birth_date = self.birth_date.value_or_none()
        ch.sex = self.sex.currentData()
        if self.child_guidance is not None:
            ch.child_guidance = self.child_guidance.isChecked()
        return ch


class ConsentFields:
    """A consent being added: scope, recipient, given on (today unless
    changed), expires on."""

    def __init__(self, form: ErrorForm):
        self.form = form
        self.scope = code_combo(codes.CONSENT_SCOPE, _("— choose —"))
        form.add_field("scope", _("Scope"), self.scope)
        self.recipient = QLineEdit()
        form.add_field("recipient", _("Recipient"), self.recipient)
        self.given_on = DateEdit(value=date.today())
        form.add_field("given_on", _("Given on"), self.given_on)
        self.expires_on = DateEdit()
        form.add_field("expires_on", _("Expires on"), self.expires_on)

    def has_text(self) -> bool:
        return bool(self.scope.currentData() or self.recipient.text().strip()
                    or self.expires_on.text().strip())

    def problems(self) -> list[FieldError]:
        return [FieldError(n, e.problem()) for n, e in (("given_on", self.given_on),
                                                        ("expires_on", self.expires_on))
                if e.problem()]

    def consent(self, **fields) -> Consent:
        """The typed consent; ``fields`` adds the rest (her resident_id)."""
        return Consent(scope=self.scope.currentData() or "",
                       recipient=self.recipient.text().strip(),
                       given_on=self.given_on.value_or_none(),
                       expires_on=self.expires_on.value_or_none(), **fields)

    def clear_for_next(self) -> None:
        """Ready for the next consent; the date it was given stays."""
        self.scope.setCurrentIndex(0)
        self.recipient.clear()
        self.expires_on.clear()
