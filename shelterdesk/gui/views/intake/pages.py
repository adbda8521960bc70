"""The pages of the admission wizard: what each one holds, in Tab order.

Why a module of its own: the widgets are built here once, as a mixin of
IntakeWizard, and the wizard's flow (intake/wizard.py) only reads them. The
order of the rows and buttons below is the keyboard order staff rely on at
night; do not reorder them, and add new rows where Tab should reach them.
Also the page numbers and the small helpers every part of the wizard uses.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.dates import now_minute
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.gui.widgets.pickers import (
    OTHER_LANGUAGE,
    language_combo,
    set_combo,
)
from shelterdesk.gui.widgets.resident_fields import (
    ChildFields,
    ConsentFields,
    ResidentFields,
    SafetyFields,
    StayFields,
)
from shelterdesk.gui.widgets.rows import roomy
from shelterdesk.gui.widgets.safety_banner import SafetyBanner
from shelterdesk.i18n import N_, _

ESSENTIALS, CHILDREN, SAFETY, ROOM, REVIEW, DONE = range(6)
PAGE_TITLES = (N_("Essentials"), N_("Children"), N_("Safety and consent"), N_("Room and bed"),
               N_("Review"))
TIME_RE = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")
AUTOSAVE_MS = 1000
MATCH_DELAY_MS = 250

RESIDENT_TEXT_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "alias",
                        "nationality")
CHILD_TEXT_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "school_before",
                     "allergies")


def page_area(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


def wizard_button(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(True)  # Enter on a focused button presses it, as in a dialog
    return b


def iso_date(d: date | None) -> str:
    return d.isoformat() if d else ""


class WizardPages:
    """Builds the pages onto the IntakeWizard (a mixin: no state of its own)."""

    def _build_drafts_bar(self) -> QWidget:
        self.drafts_bar = QFrame()
        self.drafts_bar.setObjectName("draftsBar")
        lay = QHBoxLayout(self.drafts_bar)
        self.drafts_label = QLabel()
        self.drafts_label.setWordWrap(True)
        self.drafts_combo = QComboBox()
        self.resume_button = wizard_button(_("Resume"))
        self.delete_draft_button = wizard_button(_("Delete draft…"))
        self.resume_button.clicked.connect(self.resume_selected_draft)
        self.delete_draft_button.clicked.connect(self.delete_selected_draft)
        lay.addWidget(self.drafts_label, 1)
        lay.addWidget(self.drafts_combo)
        lay.addWidget(self.resume_button)
        lay.addWidget(self.delete_draft_button)
        self.drafts_bar.hide()
        return self.drafts_bar

    def _build_essentials(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.match_banner = self._build_match_banner()
        v.addWidget(self.match_banner)
        self.essentials = ErrorForm()
        e = self.essentials
        # Her details and the arrival share one form, in this Tab order.
        self.rf = rf = ResidentFields(e)
        rf.add_names()
        self.f = rf.text
        self.f["alias"].setPlaceholderText(_("Her name or an alias is enough"))
        rf.add_birth()
        self.birth_date, self.estimated_age = rf.birth_date, rf.estimated_age
        self.estimated_age.setPlaceholderText(_("years"))
        self.stf = stf = StayFields(e)
        stf.add_arrival()
        self.arrival_date, self.arrival_time = stf.arrival_date, stf.arrival_time
        self.arrival_time.setPlaceholderText("23:40")
        now = now_minute()
        self.arrival_date.set_value(now.date())
        self.arrival_time.setText(now.strftime("%H:%M"))
        stf.add_codes()
        self.referral, self.admission_type = stf.referral, stf.admission_type
        self.complaint, self.tags = stf.complaint, stf.tags
        set_combo(self.admission_type, "temporary_protection")
        rf.add_language()
        self.language, self.language_other = rf.language, rf.language_other
        self.interpreter = rf.interpreter
        self.language_other.setPlaceholderText(_("which language"))
        self.language_other.setEnabled(False)
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_other.setEnabled(
                self.language.currentData() == OTHER_LANGUAGE))
        rf.add_text((("nationality", _("Nationality")),))
        v.addLayout(e)
        v.addStretch(1)
        for name in ("family_kana", "given_kana"):
            self.f[name].textChanged.connect(self._kana_or_birth_changed)
        self.birth_date.valueChanged.connect(self._kana_or_birth_changed)
        return w

    def _build_match_banner(self) -> QFrame:
        box = QFrame()
        box.setObjectName("matchBanner")
        lay = QVBoxLayout(box)
        self.match_label = QLabel()
        self.match_label.setWordWrap(True)
        self.match_label.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.match_label)
        row = QHBoxLayout()
        self.same_button = wizard_button(_("Same person (new stay on her record)"))
        self.different_button = wizard_button(_("A different person"))
        self.undo_match_button = wizard_button(_("Undo this choice"))
        self.same_button.clicked.connect(self.choose_same_person)
        self.different_button.clicked.connect(self.choose_different_person)
        self.undo_match_button.clicked.connect(self.undo_match_choice)
        row.addWidget(self.same_button)
        row.addWidget(self.different_button)
        row.addWidget(self.undo_match_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.match_error = error_label()
        lay.addWidget(self.match_error)
        box.hide()
        return box

    def _build_children(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.existing_box = QFrame()
        ev = QVBoxLayout(self.existing_box)
        ev.setContentsMargins(0, 0, 0, 0)
        ev.addWidget(QLabel(_("Her children from earlier stays (tick those who came with her):")))
        self.existing_checks_layout = QVBoxLayout()
        ev.addLayout(self.existing_checks_layout)
        self.existing_checks: dict[int, QCheckBox] = {}
        self.existing_box.hide()
        v.addWidget(self.existing_box)
        hint = QLabel(_("Type a child and press Enter to add her or him; "
                        "press Enter on an empty form to go on."))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        v.addWidget(hint)
        self.child_form = ErrorForm()
        self.chf = chf = ChildFields(self.child_form)
        chf.add_names()
        chf.add_birth_and_sex()
        chf.add_text((("school_before", _("School or nursery")), ("allergies", _("Allergies"))))
        self.cf, self.child_birth, self.child_sex = chf.text, chf.birth_date, chf.sex
        v.addLayout(self.child_form)
        row = QHBoxLayout()
        self.add_child_button = wizard_button(_("Add child"))
        self.add_child_button.clicked.connect(self.add_child)
        self.remove_child_button = wizard_button(_("Remove selected"))
        self.remove_child_button.clicked.connect(self.remove_child)
        row.addWidget(self.add_child_button)
        row.addWidget(self.remove_child_button)
        row.addStretch(1)
        v.addLayout(row)
        self.children_list = roomy(QListWidget())
        self.children_list.setMinimumHeight(90)
        self.children_list.setAccessibleName(_("Children added"))
        v.addWidget(self.children_list)
        self.children_error = error_label()
        v.addWidget(self.children_error)
        v.addStretch(1)
        return w

    def _build_safety(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.safety_form = ErrorForm()
        self.sf = sf = SafetyFields(self.safety_form, warning_height=60)
        self.support_measure, self.protection_order = sf.support_measure, sf.protection_order
        self.danger_level, self.danger_warning = sf.danger_level, sf.danger_warning
        self.whereabouts_secret = sf.whereabouts_secret
        self.danger_warning.setPlaceholderText(_("e.g. he has a car and knows the station"))
        v.addLayout(self.safety_form)
        title = QLabel(_("Consents"))
        title.setProperty("role", "section")
        title.setProperty("spaced", True)
        v.addWidget(title)
        self.consent_form = ErrorForm()
        self.kf = kf = ConsentFields(self.consent_form)
        self.consent_scope, self.consent_recipient = kf.scope, kf.recipient
        self.consent_given, self.consent_expires = kf.given_on, kf.expires_on
        v.addLayout(self.consent_form)
        row = QHBoxLayout()
        self.add_consent_button = wizard_button(_("Add consent"))
        self.add_consent_button.clicked.connect(self.add_consent)
        self.remove_consent_button = wizard_button(_("Remove selected"))
        self.remove_consent_button.clicked.connect(self.remove_consent)
        row.addWidget(self.add_consent_button)
        row.addWidget(self.remove_consent_button)
        row.addStretch(1)
        v.addLayout(row)
        self.consents_list = roomy(QListWidget())
        self.consents_list.setMinimumHeight(70)
        v.addWidget(self.consents_list)
        self.consents_error = error_label()
        v.addWidget(self.consents_error)
        v.addStretch(1)
        return w

    def _build_room(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.room_hint = QLabel()
        self.room_hint.setWordWrap(True)
        v.addWidget(self.room_hint)
        self.beds_list = roomy(QListWidget())
        self.beds_list.setAccessibleName(_("Free beds"))
        self.beds_list.currentItemChanged.connect(self._bed_clicked)
        v.addWidget(self.beds_list, 1)
        self.bed_error = error_label()
        v.addWidget(self.bed_error)
        return w

    def _build_review(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.review_entered = QLabel()
        self.review_entered.setWordWrap(True)
        self.review_entered.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_missing = QLabel()
        self.review_missing.setWordWrap(True)
        v.addWidget(self.review_entered)
        v.addWidget(self.review_missing)
        self.review_error = error_label()
        v.addWidget(self.review_error)
        v.addStretch(1)
        return w

    def _build_done(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setProperty("role", "lead")
        v.addWidget(self.done_label)
        self.done_banner = SafetyBanner()
        v.addWidget(self.done_banner)
        row = QHBoxLayout()
        self.print_intake_button = wizard_button(_("Print intake sheet…"))
        self.print_intake_button.clicked.connect(lambda: self.print_document("intake"))
        self.consent_lang = language_combo(with_other=False)
        self.print_consent_button = wizard_button(_("Print consent sheet…"))
        self.print_consent_button.clicked.connect(lambda: self.print_document("consent"))
        row.addWidget(self.print_intake_button)
        row.addSpacing(20)
        row.addWidget(QLabel(_("Language of the consent sheet:")))
        row.addWidget(self.consent_lang)
        row.addWidget(self.print_consent_button)
        row.addStretch(1)
        v.addLayout(row)
        row2 = QHBoxLayout()
        self.open_record_button = wizard_button(_("Open her record"))
        self.open_record_button.clicked.connect(
            lambda: self._saved and self.openRecord.emit(self._saved[1]))
        self.new_intake_button = wizard_button(_("Start another admission"))
        self.new_intake_button.clicked.connect(self.reset)
        row2.addWidget(self.open_record_button)
        row2.addWidget(self.new_intake_button)
        row2.addStretch(1)
        v.addLayout(row2)
        self.print_error = error_label()
        v.addWidget(self.print_error)
        v.addStretch(1)
        return w
