"""The admission wizard of the intake desk.

Why it looks like this: a frightened woman arrives, often at night, often with
children and a police officer beside her. Registering her must be fast, usable
with the keyboard alone, forgiving of what is not yet known, and must never
lose what was typed:

- Tab walks the fields in reading order; Enter advances (on the children and
  consent sub-forms Enter first adds the child/consent being typed); Esc asks
  before discarding; Ctrl+S saves.
- Only the essentials are required. Children, safety, consents and the bed may
  be completed later on the record screen, which shows what is still missing.
- Everything typed is kept as a draft *inside the encrypted database*
  (store.drafts), about a second after typing stops and on every page change,
  so a crash or a power cut loses nothing. Never write it anywhere else.
- Readmission: an earlier resident with the same kana and birth date is shown
  and staff must say "same person" or "a different person"; the wizard never
  merges or duplicates silently.

The wizard holds no SQL: it calls store.residents, store.stays, store.rooms
and store.drafts.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.completeness import missing_items
from shelterdesk.core.dates import format_date, now_minute
from shelterdesk.core.models import Child, Consent, Resident, SafetyFlags, Stay
from shelterdesk.core.validation import (
    FieldError,
    ValidationError,
    check_child,
    check_consent,
    check_resident,
    check_stay,
)
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.error_form import ErrorForm, error_label, set_error
from shelterdesk.gui.widgets.pickers import (
    LANGUAGES,
    OTHER_LANGUAGE,
    code_checkboxes,
    code_combo,
    language_combo,
    set_combo,
)
from shelterdesk.gui.widgets.safety_banner import SafetyBanner
from shelterdesk.i18n import N_, _
from shelterdesk.store import drafts, rooms, stays
from shelterdesk.store import residents as residents_repo
from shelterdesk.store.errors import StoreError

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


def _page(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


def _button(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(True)  # Enter on a focused button presses it, as in a dialog
    return b


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


class IntakeWizard(QWidget):
    """One intake, from arrival to saved stay. Construct with the session."""

    #: (stay_id, resident_id) after a successful save.
    admitted = Signal(int, int)
    #: The person chose to discard the intake (its draft is deleted).
    discarded = Signal()
    #: "Open her record" on the last page (resident_id).
    openRecord = Signal(int)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        self.setObjectName("intakeWizard")
        self.setWindowTitle(_("New admission"))
        self._draft_id: int | None = None
        self._restoring = False
        self._base_resident: Resident = Resident()  # the loaded record on readmission
        self._same_resident_id: int | None = None
        self._different_from: set[int] = set()
        self._matches: list[residents_repo.LikelyMatch] = []
        self._existing_children: list[Child] = []
        self._children: list[dict] = []
        self._consents: list[dict] = []
        self._bed_chosen = False
        self._saved: tuple[int, int] | None = None

        outer = QVBoxLayout(self)
        self.title = QLabel(_("New admission"))
        self.title.setProperty("role", "title")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        outer.addWidget(self.title)
        self.steps = QLabel()
        self.steps.setProperty("role", "hint")
        outer.addWidget(self.steps)
        outer.addWidget(self._build_drafts_bar())

        self.stack = QStackedWidget()
        self.stack.addWidget(_page(self._build_essentials()))
        self.stack.addWidget(_page(self._build_children()))
        self.stack.addWidget(_page(self._build_safety()))
        self.stack.addWidget(_page(self._build_room()))
        self.stack.addWidget(_page(self._build_review()))
        self.stack.addWidget(_page(self._build_done()))
        outer.addWidget(self.stack, 1)

        self.general_error = error_label()
        outer.addWidget(self.general_error)
        buttons = QHBoxLayout()
        self.discard_button = _button(_("Discard…"))
        self.back_button = _button(_("Back"))
        self.next_button = _button(_("Next"))
        self.save_button = _button(_("Save admission"))
        self.save_button.setToolTip(_("Saves as soon as the essentials are complete (Ctrl+S)"))
        self.discard_button.clicked.connect(self.ask_discard)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.advance)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft_now)
        self._match_timer = QTimer(self, singleShot=True, interval=MATCH_DELAY_MS)
        self._match_timer.timeout.connect(self._check_matches)
        self._watch_changes()
        self._pristine = self.state()
        self._go(ESSENTIALS, save=False)
        self._offer_drafts()

    # ======================================================================
    # pages
    # ======================================================================
    def _build_drafts_bar(self) -> QWidget:
        self.drafts_bar = QFrame()
        self.drafts_bar.setObjectName("draftsBar")
        self.drafts_bar.setStyleSheet("QFrame#draftsBar { background: #fff6d6; "
                                      "border: 1px solid #c9a227; border-radius: 4px; }")
        lay = QHBoxLayout(self.drafts_bar)
        self.drafts_label = QLabel()
        self.drafts_label.setWordWrap(True)
        self.drafts_combo = QComboBox()
        self.resume_button = _button(_("Resume"))
        self.delete_draft_button = _button(_("Delete draft…"))
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
        self.f: dict[str, QWidget] = {}
        labels = {"family_name": _("Family name"), "given_name": _("Given name"),
                  "family_kana": _("Family name (kana)"), "given_kana": _("Given name (kana)"),
                  "alias": _("Alias (通称)"), "nationality": _("Nationality")}
        for name in ("family_name", "given_name", "family_kana", "given_kana", "alias"):
            self.f[name] = QLineEdit()
            e.add_field(name, labels[name], self.f[name])
        self.f["alias"].setPlaceholderText(_("Her name or an alias is enough"))
        self.birth_date = DateEdit()
        e.add_field("birth_date", _("Date of birth"), self.birth_date)
        self.estimated_age = QLineEdit()
        self.estimated_age.setMaximumWidth(80)
        self.estimated_age.setPlaceholderText(_("years"))
        e.add_field("estimated_age", _("Estimated age (if no date of birth)"), self.estimated_age)
        self.arrival_date = DateEdit()
        self.arrival_time = QLineEdit()
        self.arrival_time.setMaximumWidth(80)
        self.arrival_time.setPlaceholderText("23:40")
        e.add_field("admitted_at", _("Arrival date and time"), self.arrival_date,
                    extra=self.arrival_time)
        now = now_minute()
        self.arrival_date.set_value(now.date())
        self.arrival_time.setText(now.strftime("%H:%M"))
        self.referral = code_combo(codes.REFERRAL_SOURCE, _("— choose —"))
        e.add_field("referral_source", _("Referral source"), self.referral)
        self.admission_type = code_combo(codes.ADMISSION_TYPE, _("— choose —"))
        set_combo(self.admission_type, "temporary_protection")
        e.add_field("admission_type", _("Admission type"), self.admission_type)
        self.complaint = code_combo(codes.MAIN_COMPLAINT, _("— choose —"))
        e.add_field("main_complaint", _("Primary complaint"), self.complaint)
        tags_box = QWidget()
        grid = QGridLayout(tags_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.tags = code_checkboxes(codes.ISSUE_TAG)
        for i, cb in enumerate(self.tags.values()):
            grid.addWidget(cb, i // 2, i % 2)
        e.add_field("issue_tags", _("Other issues"), tags_box)
        self.language = language_combo()
        self.language_other = QLineEdit()
        self.language_other.setPlaceholderText(_("which language"))
        self.language_other.setEnabled(False)
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_other.setEnabled(
                self.language.currentData() == OTHER_LANGUAGE))
        e.add_field("language", _("Language"), self.language, extra=self.language_other)
        self.interpreter = QCheckBox(_("Needs an interpreter"))
        e.add_field("interpreter_needed", "", self.interpreter)
        self.f["nationality"] = QLineEdit()
        e.add_field("nationality", labels["nationality"], self.f["nationality"])
        v.addLayout(e)
        v.addStretch(1)
        for name in ("family_kana", "given_kana"):
            self.f[name].textChanged.connect(self._kana_or_birth_changed)
        self.birth_date.valueChanged.connect(self._kana_or_birth_changed)
        return w

    def _build_match_banner(self) -> QFrame:
        box = QFrame()
        box.setObjectName("matchBanner")
        box.setStyleSheet("QFrame#matchBanner { background: #e6f0fb; border: 2px solid #2b5d9b; "
                          "border-radius: 4px; }")
        lay = QVBoxLayout(box)
        self.match_label = QLabel()
        self.match_label.setWordWrap(True)
        self.match_label.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.match_label)
        row = QHBoxLayout()
        self.same_button = _button(_("Same person (new stay on her record)"))
        self.different_button = _button(_("A different person"))
        self.undo_match_button = _button(_("Undo this choice"))
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
        c = self.child_form
        self.cf: dict[str, QLineEdit] = {}
        for name, label in (("family_name", _("Family name")), ("given_name", _("Given name")),
                            ("family_kana", _("Family name (kana)")),
                            ("given_kana", _("Given name (kana)"))):
            self.cf[name] = QLineEdit()
            c.add_field(name, label, self.cf[name])
        self.child_birth = DateEdit()
        c.add_field("birth_date", _("Date of birth"), self.child_birth)
        self.child_sex = code_combo(codes.SEX, _("— not recorded —"))
        c.add_field("sex", _("Sex"), self.child_sex)
        self.cf["school_before"] = QLineEdit()
        c.add_field("school_before", _("School or nursery"), self.cf["school_before"])
        self.cf["allergies"] = QLineEdit()
        c.add_field("allergies", _("Allergies"), self.cf["allergies"])
        v.addLayout(c)
        row = QHBoxLayout()
        self.add_child_button = _button(_("Add child"))
        self.add_child_button.clicked.connect(self.add_child)
        self.remove_child_button = _button(_("Remove selected"))
        self.remove_child_button.clicked.connect(self.remove_child)
        row.addWidget(self.add_child_button)
        row.addWidget(self.remove_child_button)
        row.addStretch(1)
        v.addLayout(row)
        self.children_list = QListWidget()
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
        s = self.safety_form
        self.support_measure = QCheckBox(_("Support measure on the residence record applied "
                                           "(住民基本台帳 支援措置)"))
        s.add_field("support_measure", "", self.support_measure)
        self.protection_order = code_combo(codes.PROTECTION_ORDER)
        s.add_field("protection_order", _("Protection order"), self.protection_order)
        self.danger_level = code_combo(codes.DANGER_LEVEL, _("— not assessed —"))
        s.add_field("danger_level", _("Perpetrator danger"), self.danger_level)
        self.danger_warning = QPlainTextEdit()
        self.danger_warning.setTabChangesFocus(True)
        self.danger_warning.setFixedHeight(60)
        self.danger_warning.setPlaceholderText(_("e.g. he has a car and knows the station"))
        s.add_field("danger_warning", _("Warning"), self.danger_warning)
        self.whereabouts_secret = QCheckBox(_("Whereabouts secret (never confirm she is here)"))
        s.add_field("whereabouts_secret", "", self.whereabouts_secret)
        v.addLayout(s)
        title = QLabel(_("Consents"))
        title.setStyleSheet("font-weight: bold; margin-top: 8px;")
        v.addWidget(title)
        self.consent_form = ErrorForm()
        k = self.consent_form
        self.consent_scope = code_combo(codes.CONSENT_SCOPE, _("— choose —"))
        k.add_field("scope", _("Scope"), self.consent_scope)
        self.consent_recipient = QLineEdit()
        k.add_field("recipient", _("Recipient"), self.consent_recipient)
        self.consent_given = DateEdit()
        self.consent_given.set_value(date.today())
        k.add_field("given_on", _("Given on"), self.consent_given)
        self.consent_expires = DateEdit()
        k.add_field("expires_on", _("Expires on"), self.consent_expires)
        v.addLayout(k)
        row = QHBoxLayout()
        self.add_consent_button = _button(_("Add consent"))
        self.add_consent_button.clicked.connect(self.add_consent)
        self.remove_consent_button = _button(_("Remove selected"))
        self.remove_consent_button.clicked.connect(self.remove_consent)
        row.addWidget(self.add_consent_button)
        row.addWidget(self.remove_consent_button)
        row.addStretch(1)
        v.addLayout(row)
        self.consents_list = QListWidget()
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
        self.beds_list = QListWidget()
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
        self.done_label.setStyleSheet("font-size: 13pt;")
        v.addWidget(self.done_label)
        self.done_banner = SafetyBanner()
        v.addWidget(self.done_banner)
        row = QHBoxLayout()
        self.print_intake_button = _button(_("Print intake sheet…"))
        self.print_intake_button.clicked.connect(lambda: self.print_document("intake"))
        self.consent_lang = language_combo(with_other=False)
        self.print_consent_button = _button(_("Print consent sheet…"))
        self.print_consent_button.clicked.connect(lambda: self.print_document("consent"))
        row.addWidget(self.print_intake_button)
        row.addSpacing(20)
        row.addWidget(QLabel(_("Language of the consent sheet:")))
        row.addWidget(self.consent_lang)
        row.addWidget(self.print_consent_button)
        row.addStretch(1)
        v.addLayout(row)
        row2 = QHBoxLayout()
        self.open_record_button = _button(_("Open her record"))
        self.open_record_button.clicked.connect(
            lambda: self._saved and self.openRecord.emit(self._saved[1]))
        self.new_intake_button = _button(_("Start another admission"))
        self.new_intake_button.clicked.connect(self.reset)
        row2.addWidget(self.open_record_button)
        row2.addWidget(self.new_intake_button)
        row2.addStretch(1)
        v.addLayout(row2)
        self.print_error = error_label()
        v.addWidget(self.print_error)
        v.addStretch(1)
        return w

    # ======================================================================
    # navigation and keyboard
    # ======================================================================
    def current_page(self) -> int:
        return self.stack.currentIndex()

    def _go(self, page: int, save: bool = True) -> None:
        if save and self._saved is None:
            self.save_draft_now()
        if page == CHILDREN:
            self._prefill_child_family_name()
        elif page == ROOM:
            self._load_beds()
        elif page == REVIEW:
            self._fill_review()
        self.stack.setCurrentIndex(page)
        done = page == DONE
        self.back_button.setVisible(not done)
        self.next_button.setVisible(not done and page < REVIEW)
        self.save_button.setVisible(not done)
        self.discard_button.setVisible(not done)
        self.back_button.setEnabled(page > ESSENTIALS)
        parts = []
        for i, t in enumerate(PAGE_TITLES):
            label = f"{i + 1}. {_(t)}"
            parts.append(f"<b>[{html.escape(label)}]</b>" if i == page else html.escape(label))
        self.steps.setText(" › ".join(parts) if not done else "")
        QTimer.singleShot(0, self._focus_first)

    def _focus_first(self) -> None:
        page = self.current_page()
        target = {ESSENTIALS: self.f["family_name"], CHILDREN: self.cf["family_name"],
                  SAFETY: self.support_measure, ROOM: self.beds_list,
                  REVIEW: self.save_button, DONE: self.print_intake_button}[page]
        if page == ESSENTIALS and not self.drafts_bar.isHidden():
            target = self.resume_button
        if page == CHILDREN and self.existing_checks:
            target = next(iter(self.existing_checks.values()))
        target.setFocus()

    def advance(self) -> None:
        page = self.current_page()
        if page == ESSENTIALS and not self._essentials_ok():
            return
        if page == CHILDREN and self._child_form_has_text() and not self.add_child():
            return
        if page == SAFETY and self._consent_form_has_text() and not self.add_consent():
            return
        if page < REVIEW:
            self._go(page + 1)

    def back(self) -> None:
        if ESSENTIALS < self.current_page() <= REVIEW:
            self._go(self.current_page() - 1)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QAbstractButton) and not isinstance(focus, QCheckBox):
                focus.click()
            elif self.current_page() == REVIEW:
                self.save()
            elif self.current_page() == CHILDREN and self._child_form_has_text():
                self.add_child()
            elif self.current_page() == SAFETY and self._consent_form_has_text():
                self.add_consent()
            elif self.current_page() < REVIEW:
                self.advance()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            event.accept()
            if self.current_page() != DONE:
                self.ask_discard()
            return
        if key == Qt.Key.Key_Delete:
            if self.children_list.hasFocus():
                self.remove_child()
                return
            if self.consents_list.hasFocus():
                self.remove_consent()
                return
        super().keyPressEvent(event)

    # ======================================================================
    # essentials and readmission
    # ======================================================================
    def _arrival(self) -> datetime | None:
        d = self.arrival_date.value_or_none()
        m = TIME_RE.match(self.arrival_time.text())
        if d is None or not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            return None
        return datetime(d.year, d.month, d.day, int(m.group(1)), int(m.group(2)))

    def _format_errors(self) -> list[FieldError]:
        """Problems the typed text has before it is even a record."""
        errs = []
        for name, edit in (("birth_date", self.birth_date), ("admitted_at", self.arrival_date)):
            if edit.problem():
                errs.append(FieldError(name, edit.problem()))
        if not self.arrival_date.problem():
            if not self.arrival_date.text().strip():
                errs.append(FieldError("admitted_at", _("Arrival date is required.")))
            elif self._arrival() is None:
                errs.append(FieldError("admitted_at", _("Type the arrival time as 23:40.")))
        age = self.estimated_age.text().strip()
        if age and not age.isdigit():
            errs.append(FieldError("estimated_age", _("Estimated age must be a number.")))
        return errs

    def _resident(self) -> Resident:
        r = Resident(**{k: v for k, v in vars(self._base_resident).items() if k != "safety"})
        r.id = self._same_resident_id
        for name in RESIDENT_TEXT_FIELDS:
            setattr(r, name, self.f[name].text().strip())
        r.birth_date = self.birth_date.value_or_none()
        age = self.estimated_age.text().strip()
        r.estimated_age = int(age) if age.isdigit() else None
        lang = self.language.currentData()
        r.language = (self.language_other.text().strip() or OTHER_LANGUAGE) \
            if lang == OTHER_LANGUAGE else lang
        r.interpreter_needed = self.interpreter.isChecked()
        r.safety = SafetyFlags(
            support_measure=self.support_measure.isChecked(),
            protection_order=self.protection_order.currentData() or "none",
            danger_level=self.danger_level.currentData(),
            danger_warning=self.danger_warning.toPlainText().strip(),
            whereabouts_secret=self.whereabouts_secret.isChecked())
        return r

    def _stay(self) -> Stay:
        return Stay(admitted_at=self._arrival(), admission_type=self.admission_type.currentData()
                    or "", main_complaint=self.complaint.currentData() or "",
                    referral_source=self.referral.currentData() or "",
                    issue_tags=tuple(c for c, cb in self.tags.items() if cb.isChecked()),
                    bed_id=self._selected_bed_id())

    def _match_errors(self) -> list[FieldError]:
        undecided = [m for m in self._matches if m.resident_id not in self._different_from]
        if undecided and self._same_resident_id is None:
            return [FieldError("resident", _(
                "An earlier resident has the same kana and date of birth: choose "
                "“Same person” or “A different person” first."))]
        return []

    def _essential_errors(self) -> list[FieldError]:
        errs = self._format_errors()
        bad = {e.field for e in errs}
        r, s = self._resident(), self._stay()
        errs += [e for e in check_resident(r) if e.field not in bad
                 and e.field in self.essentials.fields]
        if "admitted_at" not in bad:
            errs += [e for e in check_stay(s) if e.field in self.essentials.fields]
        else:
            errs += [e for e in check_stay(s) if e.field in self.essentials.fields
                     and e.field != "admitted_at"]
        return errs + self._match_errors()

    def _essentials_ok(self) -> bool:
        errs = self._essential_errors()
        self._show_errors(errs)
        if errs:
            self._go_to_error(errs)
        return not errs

    def _kana_or_birth_changed(self, *_args) -> None:
        if not self._restoring:
            self._match_timer.start()

    def _check_matches(self) -> None:
        if self._same_resident_id is not None:
            return
        try:
            self._matches = residents_repo.likely_matches(
                self.db, self.f["family_kana"].text(), self.f["given_kana"].text(),
                self.birth_date.value_or_none())
        except StoreError:
            self._matches = []
        self._update_match_banner()

    def _update_match_banner(self) -> None:
        set_error(self.match_error, "")
        if self._same_resident_id is not None:
            self.match_label.setText(_(
                "Same person: this admission becomes a new stay on the record of resident "
                "no. {id}. Her record has been loaded; changes here update it.").format(
                    id=self._same_resident_id))
            self.same_button.hide()
            self.different_button.hide()
            self.undo_match_button.show()
            self.match_banner.show()
            return
        open_ = [m for m in self._matches if m.resident_id not in self._different_from]
        if not open_:
            self.match_banner.setVisible(bool(self._matches))
            if self._matches:
                self.match_label.setText(_("Recorded as a different person from the earlier "
                                           "resident with the same kana and date of birth."))
                self.same_button.hide()
                self.different_button.hide()
                self.undo_match_button.show()
            return
        m = open_[0]
        stay_text = _("no earlier stay")
        if m.last_admitted:
            stay_text = _("last admitted {a}").format(a=format_date(m.last_admitted))
            if m.last_discharged:
                stay_text += ", " + _("discharged {d}").format(d=format_date(m.last_discharged))
        self.match_label.setText(_(
            "She may have stayed here before: resident no. {id}, {name} ({kana}), born {birth}, "
            "{stays}. Is this the same person?").format(
                id=m.resident_id, name=m.display_name, kana=m.kana,
                birth=format_date(m.birth_date), stays=stay_text))
        self.same_button.show()
        self.different_button.show()
        self.undo_match_button.hide()
        self.match_banner.show()

    def choose_same_person(self) -> None:
        open_ = [m for m in self._matches if m.resident_id not in self._different_from]
        if not open_:
            return
        self._load_resident(open_[0].resident_id, fill_form=True)
        self._changed()

    def _load_resident(self, resident_id: int, fill_form: bool) -> None:
        """Her earlier record: kept as the base so fields this wizard does not
        show (safe phone, health notes…) are not blanked by the update."""
        r = residents_repo.get_resident(self.db, resident_id)  # audited view
        self._base_resident = r
        self._same_resident_id = resident_id
        self._existing_children = residents_repo.children_of(self.db, resident_id)
        if fill_form:
            self._restoring = True
            try:
                for name in RESIDENT_TEXT_FIELDS:
                    self.f[name].setText(getattr(r, name))
                self.birth_date.set_value(r.birth_date)
                self.estimated_age.setText("" if r.estimated_age is None
                                           else str(r.estimated_age))
                self._set_language(r.language)
                self.interpreter.setChecked(r.interpreter_needed)
                self.support_measure.setChecked(r.safety.support_measure)
                set_combo(self.protection_order, r.safety.protection_order)
                set_combo(self.danger_level, r.safety.danger_level)
                self.danger_warning.setPlainText(r.safety.danger_warning)
                self.whereabouts_secret.setChecked(r.safety.whereabouts_secret)
            finally:
                self._restoring = False
        self._fill_existing_children(set())
        self._update_match_banner()

    def _fill_existing_children(self, ticked: set[int]) -> None:
        for cb in self.existing_checks.values():
            self.existing_checks_layout.removeWidget(cb)
            cb.deleteLater()
        self.existing_checks = {}
        today = date.today()
        for ch in self._existing_children:
            age = ""
            if ch.birth_date:
                from shelterdesk.core.dates import age_on
                age = _(" ({n} years)").format(n=age_on(ch.birth_date, today))
            cb = QCheckBox((ch.name or _("(no name)")) + age)
            cb.setChecked(ch.id in ticked)
            cb.toggled.connect(self._changed)
            self.existing_checks_layout.addWidget(cb)
            self.existing_checks[ch.id] = cb
        self.existing_box.setVisible(bool(self._existing_children))

    def choose_different_person(self) -> None:
        self._different_from.update(m.resident_id for m in self._matches)
        self._update_match_banner()
        self._changed()

    def undo_match_choice(self) -> None:
        self._same_resident_id = None
        self._base_resident = Resident()
        self._existing_children = []
        self._fill_existing_children(set())
        self._different_from.clear()
        self._check_matches()
        self._changed()

    def _set_language(self, lang: str) -> None:
        if not set_combo(self.language, lang):
            set_combo(self.language, OTHER_LANGUAGE)
            self.language_other.setText(lang)

    # ======================================================================
    # children
    # ======================================================================
    def _prefill_child_family_name(self) -> None:
        if not self._child_form_has_text():
            self._restoring = True
            self.cf["family_name"].setText(self.f["family_name"].text().strip())
            self.cf["family_kana"].setText(self.f["family_kana"].text().strip())
            self._restoring = False
            self._child_prefill = (self.cf["family_name"].text(), self.cf["family_kana"].text())

    def _child_form_has_text(self) -> bool:
        prefill = getattr(self, "_child_prefill", ("", ""))
        for name, edit in self.cf.items():
            t = edit.text().strip()
            if name == "family_name" and t == prefill[0]:
                continue
            if name == "family_kana" and t == prefill[1]:
                continue
            if t:
                return True
        return bool(self.child_birth.text().strip() or self.child_sex.currentData())

    def _child_from_form(self) -> Child:
        ch = Child(**{n: self.cf[n].text().strip() for n in CHILD_TEXT_FIELDS})
        ch.birth_date = self.child_birth.value_or_none()
        ch.sex = self.child_sex.currentData()
        return ch

    def add_child(self) -> bool:
        """Validate the child form and add the child to the list; the form
        is cleared for the next one. False (messages beside the fields) when
        something is wrong."""
        ch = self._child_from_form()
        errs = []
        if self.child_birth.problem():
            errs.append(FieldError("birth_date", self.child_birth.problem()))
        arrival = self._arrival()
        errs += [e for e in check_child(ch, arrival.date() if arrival else None)
                 if not (e.field == "birth_date" and errs)]
        self.child_form.show_errors(errs)
        if errs:
            return False
        self._children.append(self._child_dict(ch))
        self._refresh_children_list()
        for edit in self.cf.values():
            edit.clear()
        self.child_birth.clear()
        self.child_sex.setCurrentIndex(0)
        self._child_prefill = ("", "")
        self._prefill_child_family_name()
        self.cf["given_name"].setFocus()
        self._changed()
        return True

    @staticmethod
    def _child_dict(ch: Child) -> dict:
        d = {n: getattr(ch, n) for n in CHILD_TEXT_FIELDS}
        d["birth_date"] = _iso(ch.birth_date)
        d["sex"] = ch.sex or ""
        return d

    @staticmethod
    def _child_from_dict(d: dict) -> Child:
        ch = Child(**{n: d.get(n, "") for n in CHILD_TEXT_FIELDS})
        ch.birth_date = date.fromisoformat(d["birth_date"]) if d.get("birth_date") else None
        ch.sex = d.get("sex") or None
        return ch

    def _refresh_children_list(self) -> None:
        self.children_list.clear()
        for i, d in enumerate(self._children, 1):
            ch = self._child_from_dict(d)
            bits = [ch.name or _("(no name)")]
            if ch.kana:
                bits.append(f"（{ch.kana}）")
            if ch.birth_date:
                bits.append(format_date(ch.birth_date))
            if ch.sex:
                bits.append(codes.SEX.label(ch.sex))
            if ch.allergies:
                bits.append(_("allergies: {a}").format(a=ch.allergies))
            self.children_list.addItem(f"{i}. " + "  ".join(bits))

    def remove_child(self) -> None:
        row = self.children_list.currentRow()
        if 0 <= row < len(self._children):
            del self._children[row]
            self._refresh_children_list()
            self._changed()

    # ======================================================================
    # consents
    # ======================================================================
    def _consent_form_has_text(self) -> bool:
        return bool(self.consent_scope.currentData() or self.consent_recipient.text().strip()
                    or self.consent_expires.text().strip())

    def add_consent(self) -> bool:
        errs = []
        for name, edit in (("given_on", self.consent_given), ("expires_on", self.consent_expires)):
            if edit.problem():
                errs.append(FieldError(name, edit.problem()))
        k = Consent(scope=self.consent_scope.currentData() or "",
                    recipient=self.consent_recipient.text().strip(),
                    given_on=self.consent_given.value_or_none(),
                    expires_on=self.consent_expires.value_or_none())
        bad = {e.field for e in errs}
        errs += [e for e in check_consent(k) if e.field not in bad]
        self.consent_form.show_errors(errs)
        if errs:
            return False
        self._consents.append({"scope": k.scope, "recipient": k.recipient,
                               "given_on": _iso(k.given_on), "expires_on": _iso(k.expires_on)})
        self._refresh_consents_list()
        self.consent_scope.setCurrentIndex(0)
        self.consent_recipient.clear()
        self.consent_expires.clear()
        self.consent_scope.setFocus()
        self._changed()
        return True

    @staticmethod
    def _consent_from_dict(d: dict) -> Consent:
        return Consent(scope=d.get("scope", ""), recipient=d.get("recipient", ""),
                       given_on=date.fromisoformat(d["given_on"]) if d.get("given_on") else None,
                       expires_on=date.fromisoformat(d["expires_on"])
                       if d.get("expires_on") else None)

    def _refresh_consents_list(self) -> None:
        self.consents_list.clear()
        for i, d in enumerate(self._consents, 1):
            k = self._consent_from_dict(d)
            until = _("until {d}").format(d=format_date(k.expires_on)) if k.expires_on else ""
            self.consents_list.addItem(
                f"{i}. {codes.CONSENT_SCOPE.label(k.scope)} → {k.recipient}  "
                f"{_('given {d}').format(d=format_date(k.given_on))} {until}".rstrip())

    def remove_consent(self) -> None:
        row = self.consents_list.currentRow()
        if 0 <= row < len(self._consents):
            del self._consents[row]
            self._refresh_consents_list()
            self._changed()

    # ======================================================================
    # room and bed
    # ======================================================================
    def _child_count(self) -> int:
        return len(self._children) + sum(cb.isChecked() for cb in self.existing_checks.values())

    def _load_beds(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else self._selected_bed_id()
        kids = self._child_count()
        self._restoring = True
        self.beds_list.clear()
        none = QListWidgetItem(_("No bed yet (assign later)"))
        none.setData(Qt.ItemDataRole.UserRole, None)
        self.beds_list.addItem(none)
        free = rooms.free_beds(self.db)
        for b in free:
            kind = _("family room") if b.family_room else _("single room")
            item = QListWidgetItem(_("Room {room}, bed {bed} ({kind})").format(
                room=b.room, bed=b.bed, kind=kind))
            item.setData(Qt.ItemDataRole.UserRole, b.bed_id)
            self.beds_list.addItem(item)
        self._restoring = False
        if kids:
            self.room_hint.setText(_("She has {n} child(ren) with her: a family room is "
                                     "suggested.").format(n=kids))
        else:
            self.room_hint.setText(_("Free beds. Choose one, or assign a bed later."))
        if not free:
            self.room_hint.setText(_("No bed is free. Save now and assign a bed later on the "
                                     "rooms and beds board."))
        target = keep if self._bed_chosen else None
        if target is None or not self._select_bed(target):
            suggested = next((b for b in free if b.family_room == bool(kids)), None)
            if suggested is None and free:
                suggested = free[0]
            self._select_bed(suggested.bed_id if suggested else None)
            self._bed_chosen = False

    def _select_bed(self, bed_id: int | None) -> bool:
        for i in range(self.beds_list.count()):
            if self.beds_list.item(i).data(Qt.ItemDataRole.UserRole) == bed_id:
                self._restoring = True
                self.beds_list.setCurrentRow(i)
                self._restoring = False
                return True
        return False

    def _bed_clicked(self, *_args) -> None:
        if not self._restoring:
            self._bed_chosen = True
            self._changed()

    def _selected_bed_id(self) -> int | None:
        item = self.beds_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    # ======================================================================
    # review and save
    # ======================================================================
    def _admission(self) -> stays.Admission:
        return stays.Admission(
            resident=self._resident(), stay=self._stay(),
            children=[self._child_from_dict(d) for d in self._children],
            existing_child_ids=[cid for cid, cb in self.existing_checks.items()
                                if cb.isChecked()],
            consents=[self._consent_from_dict(d) for d in self._consents])

    def _fill_review(self) -> None:
        a = self._admission()
        r, s = a.resident, a.stay
        esc = html.escape
        rows = [
            (_("Name"), r.legal_name or "—"), (_("Kana"), r.kana or "—"),
            (_("Alias"), r.alias or "—"),
            (_("Date of birth"), format_date(r.birth_date) if r.birth_date else
             (_("about {n} years").format(n=r.estimated_age) if r.estimated_age is not None
              else "—")),
            (_("Arrival"), s.admitted_at.strftime("%Y/%m/%d %H:%M") if s.admitted_at else "—"),
            (_("Referral source"), codes.REFERRAL_SOURCE.label(s.referral_source) or "—"),
            (_("Admission type"), codes.ADMISSION_TYPE.label(s.admission_type) or "—"),
            (_("Primary complaint"), codes.MAIN_COMPLAINT.label(s.main_complaint) or "—"),
            (_("Other issues"), "、".join(codes.ISSUE_TAG.label(t) for t in s.issue_tags) or "—"),
            (_("Language"), self.language.currentText() + (
                " · " + _("Needs an interpreter") if r.interpreter_needed else "")),
            (_("Children"), str(len(a.children) + len(a.existing_child_ids))),
            (_("Consents"), str(len(a.consents))),
            (_("Bed"), self.beds_list.currentItem().text() if self.beds_list.currentItem()
             else _("No bed yet (assign later)")),
        ]
        if self._same_resident_id is not None:
            rows.insert(0, (_("Readmission"), _("new stay on the record of resident no. {id}")
                            .format(id=self._same_resident_id)))
        table = "".join(f"<tr><td style='padding-right:16px;color:#555'>{esc(k)}</td>"
                        f"<td>{esc(v)}</td></tr>" for k, v in rows)
        self.review_entered.setText(f"<b>{esc(_('Entered'))}</b><table>{table}</table>")
        missing = missing_items(r, s, a.children, a.consents)
        if missing:
            items = "".join(f"<li>{esc(m)}</li>" for m in missing)
            self.review_missing.setText(
                f"<b>{esc(_('Still missing (can be completed later on her record)'))}</b>"
                f"<ul>{items}</ul>")
        else:
            self.review_missing.setText(esc(_("Nothing is missing.")))
        errs = self._essential_errors()
        set_error(self.review_error, _("The essentials are not complete yet: {n} problem(s). "
                                       "Press Save to see them.").format(n=len(errs))
                  if errs else "")

    def _all_forms(self) -> list[ErrorForm]:
        return [self.essentials, self.safety_form]

    def _show_errors(self, errs: list[FieldError]) -> None:
        """Put each message beside its field (children and consents in their
        list's error line); whatever has no field goes to the bottom line."""
        rest = self.essentials.show_errors(errs)
        rest = self.safety_form.show_errors(rest)
        kids = [e for e in rest if e.field.startswith("children[")]
        cons = [e for e in rest if e.field.startswith("consents[")]
        bed = [e for e in rest if e.field == "bed_id"]
        match = [e for e in rest if e.field == "resident"]
        other = [e for e in rest if e not in kids + cons + bed + match]

        def numbered(es, word):
            out = []
            for e in es:
                n = int(e.field[e.field.index("[") + 1:e.field.index("]")]) + 1
                out.append(f"{word} {n}: {e.message}")
            return "\n".join(out)
        set_error(self.children_error, numbered(kids, _("Child")))
        set_error(self.consents_error, numbered(cons, _("Consent")))
        set_error(self.bed_error, "\n".join(e.message for e in bed))
        set_error(self.match_error, "\n".join(e.message for e in match))
        if match:
            self.match_banner.show()
        set_error(self.general_error, "\n".join(e.message for e in other))

    def _page_of(self, e: FieldError) -> int:
        if e.field in self.essentials.fields or e.field == "resident":
            return ESSENTIALS
        if e.field.startswith("children["):
            return CHILDREN
        if e.field in self.safety_form.fields or e.field.startswith("consents["):
            return SAFETY
        if e.field == "bed_id":
            return ROOM
        return REVIEW

    def _go_to_error(self, errs: list[FieldError]) -> None:
        page = min(self._page_of(e) for e in errs)
        if page != self.current_page():
            self.stack.setCurrentIndex(page)
            self._go(page, save=False)
        for form in (self.essentials, self.safety_form):
            for e in errs:
                if e.field in form.fields and self._page_of(e) == page:
                    QTimer.singleShot(0, form.fields[e.field][0].setFocus)
                    return

    def save(self) -> bool:
        """Save the admission (store.stays.admit: all of it, or nothing).
        On success the draft is deleted and the printing page is shown."""
        if self._saved is not None:
            return False
        errs = self._format_errors() + self._match_errors()
        if not errs:
            a = self._admission()
            try:
                s = stays.admit(self.db, a)
            except ValidationError as e:
                errs = e.errors
            except StoreError as e:
                set_error(self.general_error, str(e))
                return False
            else:
                self._after_save(s.id, a.resident.id, a.resident)
                return True
        self._show_errors(errs)
        self._go_to_error(errs)
        return False

    def _after_save(self, stay_id: int, resident_id: int, r: Resident) -> None:
        self._autosave.stop()
        if self._draft_id is not None:
            drafts.delete_draft(self.db, self._draft_id)
            self._draft_id = None
        self._saved = (stay_id, resident_id)
        self._show_errors([])
        self.done_label.setText(_("Saved. Resident no. {rid}, stay no. {sid}.").format(
            rid=resident_id, sid=stay_id))
        self.done_banner.set_flags(r.safety)
        lang = r.language if r.language in {c for c, *_ in LANGUAGES} else "ja"
        set_combo(self.consent_lang, lang)
        self._go(DONE, save=False)
        self.admitted.emit(stay_id, resident_id)

    @property
    def saved_stay_id(self) -> int | None:
        return self._saved[0] if self._saved else None

    def print_document(self, doc: str) -> None:
        """Build the intake or consent sheet in memory and open the preview
        (which prints or saves where the user chooses, audited there)."""
        if self._saved is None:
            return
        from shelterdesk.gui.dialogs.pdf_preview import open_document
        lang = self.consent_lang.currentData() if doc == "consent" else "ja"
        set_error(self.print_error, "")

        def opened(dlg):
            self.preview = dlg

        open_document(self.session, self._saved[0], doc, lang, self, on_open=opened,
                      on_error=lambda msg: set_error(self.print_error, msg))

    # ======================================================================
    # drafts
    # ======================================================================
    def state(self) -> dict:
        """Everything typed, as JSON-able data (the draft's payload)."""
        return {
            "version": 1,
            "page": min(self.current_page(), REVIEW) if hasattr(self, "stack") else 0,
            "fields": {n: self.f[n].text() for n in RESIDENT_TEXT_FIELDS},
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
            "same_resident_id": self._same_resident_id,
            "different_from": sorted(self._different_from),
            "existing_child_ids": [cid for cid, cb in self.existing_checks.items()
                                   if cb.isChecked()],
            "children": list(self._children),
            "child_form": {n: e.text() for n, e in self.cf.items()}
            | {"birth_date": self.child_birth.text(), "sex": self.child_sex.currentData()},
            "safety": {
                "support_measure": self.support_measure.isChecked(),
                "protection_order": self.protection_order.currentData(),
                "danger_level": self.danger_level.currentData(),
                "danger_warning": self.danger_warning.toPlainText(),
                "whereabouts_secret": self.whereabouts_secret.isChecked(),
            },
            "consents": list(self._consents),
            "bed_id": self._selected_bed_id() if self._bed_chosen else None,
        }

    def _content(self, state: dict) -> dict:
        return {k: v for k, v in state.items() if k != "page"}

    def restore(self, st: dict) -> None:
        self._restoring = True
        try:
            for n in RESIDENT_TEXT_FIELDS:
                self.f[n].setText(st.get("fields", {}).get(n, ""))
            self.birth_date.setText(st.get("birth_date", ""))
            self.estimated_age.setText(st.get("estimated_age", ""))
            self.arrival_date.setText(st.get("arrival_date", ""))
            self.arrival_time.setText(st.get("arrival_time", ""))
            set_combo(self.referral, st.get("referral_source"))
            set_combo(self.admission_type, st.get("admission_type"))
            set_combo(self.complaint, st.get("main_complaint"))
            for c, cb in self.tags.items():
                cb.setChecked(c in st.get("issue_tags", []))
            set_combo(self.language, st.get("language", "ja"))
            self.language_other.setText(st.get("language_other", ""))
            self.interpreter.setChecked(bool(st.get("interpreter_needed")))
            sf = st.get("safety", {})
            self.support_measure.setChecked(bool(sf.get("support_measure")))
            set_combo(self.protection_order, sf.get("protection_order") or "none")
            set_combo(self.danger_level, sf.get("danger_level"))
            self.danger_warning.setPlainText(sf.get("danger_warning", ""))
            self.whereabouts_secret.setChecked(bool(sf.get("whereabouts_secret")))
            self._children = list(st.get("children", []))
            self._refresh_children_list()
            cf = st.get("child_form", {})
            for n, e in self.cf.items():
                e.setText(cf.get(n, ""))
            self.child_birth.setText(cf.get("birth_date", ""))
            set_combo(self.child_sex, cf.get("sex"))
            self._consents = list(st.get("consents", []))
            self._refresh_consents_list()
            self._different_from = set(st.get("different_from", []))
        finally:
            self._restoring = False
        rid = st.get("same_resident_id")
        if rid is not None:
            try:
                self._load_resident(rid, fill_form=False)
            except StoreError:
                self._same_resident_id = None
            self._fill_existing_children(set(st.get("existing_child_ids", [])))
        else:
            self._check_matches()
        bed = st.get("bed_id")
        if bed is not None:
            self._load_beds(keep=bed)
            self._bed_chosen = self._select_bed(bed)
        for edit in (self.birth_date, self.arrival_date):
            edit._finished()
        self._go(int(st.get("page", 0)), save=False)

    def _watch_changes(self) -> None:
        for w in self.findChildren(QLineEdit):
            w.textChanged.connect(self._changed)
        for w in self.findChildren(QComboBox):
            if w is not self.drafts_combo and w is not self.consent_lang:
                w.currentIndexChanged.connect(self._changed)
        for w in self.findChildren(QCheckBox):
            w.toggled.connect(self._changed)
        self.danger_warning.textChanged.connect(self._changed)

    def _changed(self, *_args) -> None:
        if not self._restoring and self._saved is None:
            self._autosave.start()

    def save_draft_now(self) -> None:
        """Keep what is typed (only once something was typed)."""
        self._autosave.stop()
        if self._saved is not None or not self.db.is_open:
            return
        st = self.state()
        if self._draft_id is None and self._content(st) == self._content(self._pristine):
            return
        try:
            self._draft_id = drafts.save_draft(self.db, drafts.INTAKE, st, self._draft_id)
        except (StoreError, ValueError) as e:
            set_error(self.general_error, _("The draft could not be kept: {reason}").format(
                reason=e))

    def _offer_drafts(self) -> None:
        found = [d for d in drafts.list_drafts(self.db, drafts.INTAKE) if d.id != self._draft_id]
        self.drafts_combo.clear()
        for d in found:
            self.drafts_combo.addItem(self._draft_time(d.updated_at), d.id)
        if not found:
            self.drafts_bar.hide()
            return
        if len(found) == 1:
            self.drafts_label.setText(_("Resume the unfinished intake from {time}?").format(
                time=self._draft_time(found[0].updated_at)))
        else:
            self.drafts_label.setText(_("There are {n} unfinished intakes. Resume one?").format(
                n=len(found)))
        self.drafts_combo.setVisible(len(found) > 1)
        self.drafts_bar.show()

    @staticmethod
    def _draft_time(at: datetime) -> str:
        if at.date() == date.today():
            return at.strftime("%H:%M")
        return f"{format_date(at.date())} {at.strftime('%H:%M')}"

    def resume_selected_draft(self) -> None:
        draft_id = self.drafts_combo.currentData()
        if draft_id is None:
            return
        try:
            d = drafts.load_draft(self.db, draft_id)
        except StoreError as e:
            set_error(self.general_error, str(e))
            self._offer_drafts()
            return
        if self._draft_id is not None and self._draft_id != d.id:
            # What was typed before resuming stays as its own draft.
            self.save_draft_now()
        self.reset(keep_drafts_bar=True)
        self._draft_id = d.id
        self.restore(d.payload)
        self._offer_drafts()

    def delete_selected_draft(self) -> None:
        draft_id = self.drafts_combo.currentData()
        if draft_id is None:
            return
        if not self._confirm(_("Delete draft"), _(
                "Delete the unfinished intake from {time}? What was typed in it is lost.")
                .format(time=self.drafts_combo.currentText())):
            return
        drafts.delete_draft(self.db, draft_id)
        self._offer_drafts()

    # ======================================================================
    # discard and reset
    # ======================================================================
    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def ask_discard(self) -> bool:
        """Esc or Discard: ask first, then delete the draft and start over."""
        if not self._confirm(_("Discard this admission?"), _(
                "Discard this admission? Everything typed for it, including its saved draft, "
                "is deleted.")):
            return False
        self._autosave.stop()
        if self._draft_id is not None:
            drafts.delete_draft(self.db, self._draft_id)
            self._draft_id = None
        self.reset()
        self.discarded.emit()
        return True

    def reset(self, keep_drafts_bar: bool = False) -> None:
        """An empty wizard for the next arrival (the same widget, no rebuild)."""
        self._autosave.stop()
        self._saved = None
        self._draft_id = None
        self._same_resident_id = None
        self._base_resident = Resident()
        self._different_from = set()
        self._matches = []
        self._existing_children = []
        self._bed_chosen = False
        self._restoring = True
        try:
            for e in self.findChildren(QLineEdit):
                if e is not self.drafts_combo.lineEdit():
                    e.clear()
            self.danger_warning.clear()
            for cb in self.findChildren(QCheckBox):
                cb.setChecked(False)
            for box in (self.referral, self.complaint, self.danger_level, self.consent_scope,
                        self.child_sex):
                box.setCurrentIndex(0)
            set_combo(self.admission_type, "temporary_protection")
            set_combo(self.protection_order, "none")
            set_combo(self.language, "ja")
            now = now_minute()
            self.arrival_date.set_value(now.date())
            self.arrival_time.setText(now.strftime("%H:%M"))
            self.consent_given.set_value(date.today())
            self._children, self._consents = [], []
            self._refresh_children_list()
            self._refresh_consents_list()
            self._fill_existing_children(set())
            self.beds_list.clear()
        finally:
            self._restoring = False
        self._child_prefill = ("", "")
        self.match_banner.hide()
        self._show_errors([])
        for form in (self.child_form, self.consent_form):
            form.clear_errors()
        self._pristine = self.state()
        if not keep_drafts_bar:
            self._offer_drafts()
        self._go(ESSENTIALS, save=False)

    def hideEvent(self, event) -> None:
        # Leaving the page (or locking) must not lose the last second of typing.
        if self._autosave.isActive():
            self.save_draft_now()
        super().hideEvent(event)
