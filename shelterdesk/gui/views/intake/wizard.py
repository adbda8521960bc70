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
and store.drafts. Its pages are built in intake/pages.py, the readmission
choice is intake/readmission.py and the drafts intake/drafts.py (mixins of
IntakeWizard); the field groups it shares with her record are
gui/widgets/resident_fields.py.
"""

from __future__ import annotations

import html
from datetime import date, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.completeness import missing_items
from shelterdesk.core.dates import format_date, now_minute
from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.core.validation import (
    FieldError,
    ValidationError,
    check_child,
    check_consent,
    check_resident,
    check_stay,
)
from shelterdesk.gui.views.intake.drafts import Drafts
from shelterdesk.gui.views.intake.pages import (
    AUTOSAVE_MS,
    CHILD_TEXT_FIELDS,
    CHILDREN,
    DONE,
    ESSENTIALS,
    MATCH_DELAY_MS,
    PAGE_TITLES,
    REVIEW,
    ROOM,
    SAFETY,
    TIME_RE,
    WizardPages,
    iso_date,
    page_area,
    wizard_button,
)
from shelterdesk.gui.views.intake.readmission import Readmission
from shelterdesk.gui.widgets.errors import ErrorForm, error_label, set_error
from shelterdesk.gui.widgets.pickers import (
    set_combo,
    sheet_language,
)
from shelterdesk.gui.widgets.safety_banner import safety_lines
from shelterdesk.i18n import _
from shelterdesk.store import drafts, rooms, stays
from shelterdesk.store import residents as residents_repo
from shelterdesk.store.errors import StoreError


class IntakeWizard(WizardPages, Readmission, Drafts, QWidget):
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
        outer.addWidget(self.title)
        self.steps = QLabel()
        self.steps.setProperty("role", "hint")
        outer.addWidget(self.steps)
        outer.addWidget(self._build_drafts_bar())

        self.stack = QStackedWidget()
        self.stack.addWidget(page_area(self._build_essentials()))
        self.stack.addWidget(page_area(self._build_children()))
        self.stack.addWidget(page_area(self._build_safety()))
        self.stack.addWidget(page_area(self._build_room()))
        self.stack.addWidget(page_area(self._build_review()))
        self.stack.addWidget(page_area(self._build_done()))
        outer.addWidget(self.stack, 1)

        self.general_error = error_label()
        outer.addWidget(self.general_error)
        buttons = QHBoxLayout()
        self.discard_button = wizard_button(_("Discard…"))
        self.back_button = wizard_button(_("Back"))
        self.next_button = wizard_button(_("Next"))
        self.save_button = wizard_button(_("Save admission"))
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
        self.rf.apply(r)
        r.safety = self.sf.flags()
        return r

    def _stay(self) -> Stay:
        return self.stf.apply_codes(Stay(admitted_at=self._arrival(),
                                         bed_id=self._selected_bed_id()))

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
        """True when staff typed something for a child. Her own family name and
        kana, which the form is pre-filled with, do not count (also after a
        draft is resumed): otherwise Enter would add a child made of nothing
        but her surname."""
        prefill = getattr(self, "_child_prefill", ("", ""))
        own = (self.f["family_name"].text().strip(), self.f["family_kana"].text().strip())
        for name, edit in self.cf.items():
            t = edit.text().strip()
            if name == "family_name" and t in (prefill[0], own[0]):
                continue
            if name == "family_kana" and t in (prefill[1], own[1]):
                continue
            if t:
                return True
        return bool(self.child_birth.text().strip() or self.child_sex.currentData())

    def _child_from_form(self) -> Child:
        return self.chf.apply(Child())

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
        self.chf.clear()
        self._child_prefill = ("", "")
        self._prefill_child_family_name()
        self.cf["given_name"].setFocus()
        self._changed()
        return True

    @staticmethod
    def _child_dict(ch: Child) -> dict:
        d = {n: getattr(ch, n) for n in CHILD_TEXT_FIELDS}
        d["birth_date"] = iso_date(ch.birth_date)
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
        return self.kf.has_text()

    def add_consent(self) -> bool:
        errs = self.kf.problems()
        k = self.kf.consent()
        bad = {e.field for e in errs}
        errs += [e for e in check_consent(k) if e.field not in bad]
        self.consent_form.show_errors(errs)
        if errs:
            return False
        self._consents.append({"scope": k.scope, "recipient": k.recipient,
                               "given_on": iso_date(k.given_on), "expires_on": iso_date(k.expires_on)})
        self._refresh_consents_list()
        self.kf.clear_for_next()
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
            given = _("given {d}").format(d=format_date(k.given_on))
            self.consents_list.addItem(
                f"{i}. {codes.CONSENT_SCOPE.label(k.scope)} → {k.recipient}  "
                f"{given} {until}".rstrip())

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
            (_("Children"), "、".join(
                [c.name + (f"（{format_date(c.birth_date)}）" if c.birth_date else "")
                 for c in a.children]
                + [_("{n} from her earlier stay").format(n=len(a.existing_child_ids))]
                * bool(a.existing_child_ids)) or "—"),
            (_("Safety"), "、".join(safety_lines(r.safety)) or _("No safety flags")),
            (_("Consents"), "、".join(
                f"{codes.CONSENT_SCOPE.label(k.scope)} → {k.recipient}"
                for k in a.consents) or "—"),
            (_("Bed"), self.beds_list.currentItem().text() if self.beds_list.currentItem()
             else _("No bed yet (assign later)")),
        ]
        if self._same_resident_id is not None:
            rows.insert(0, (_("Readmission"), _("new stay on the record of resident no. {id}")
                            .format(id=self._same_resident_id)))
        table = "".join(f"<tr><td style='padding-right:16px;color:#555'>{esc(k)}</td>"
                        f"<td>{esc(v)}</td></tr>" for k, v in rows)
        entered = _("Entered")
        self.review_entered.setText(f"<b>{esc(entered)}</b><table>{table}</table>")
        missing = missing_items(r, s, a.children, a.consents)
        if missing:
            items = "".join(f"<li>{esc(m)}</li>" for m in missing)
            heading = _("Still missing (can be completed later on her record)")
            self.review_missing.setText(f"<b>{esc(heading)}</b><ul>{items}</ul>")
        else:
            self.review_missing.setText(esc(_("Nothing is missing.")))
        errs = self._essential_errors()
        # Each problem is named here, before Save: the readmission question in
        # particular must not surface only when she is about to be saved.
        set_error(self.review_error, (_("Before saving:") + " " + " / ".join(
            e.message for e in errs)) if errs else "")

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
                s = stays.admit(self.db, a, draft_id=self._draft_id)
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
        set_combo(self.consent_lang, sheet_language(r.language))
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
        from shelterdesk.gui.dialogs.pdf_preview import open_stay_document
        open_stay_document(self, self.session, self._saved[0], doc, self.consent_lang,
                           self.print_error)

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
