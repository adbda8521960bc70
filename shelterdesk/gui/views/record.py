"""A resident's record, editable: profile, safety, children, stays, consents.

Why each part is here:
- Opening the record is a view of her personal data and is audited
  (store.residents.get_resident); reloading after an edit is not a new view.
- The red safety band stays at the top whatever tab is open.
- Resident and stay numbers are shown because the command line
  (``shelterdesk print … --stay ID``) and paper forms refer to them.
- What is still missing after intake (no bed, no consent, no kana…) is listed
  at the top (core.completeness), so a stay saved in a hurry at night is
  completed the next morning.
- Every edit is validated by the store; messages appear next to the field
  and nothing is written when any field is wrong.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.completeness import missing_items
from shelterdesk.core.dates import age_on, format_date
from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm, error_label, set_error
from shelterdesk.gui.widgets.pickers import (
    language_combo,
    set_combo,
    sheet_language,
)
from shelterdesk.gui.widgets.resident_fields import (
    ChildFields,
    ConsentFields,
    ResidentFields,
    SafetyFields,
    StayFields,
)
from shelterdesk.gui.widgets.safety_banner import SafetyBanner
from shelterdesk.i18n import _
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import rooms, stays
from shelterdesk.store.errors import StoreError

TIME_FORMAT = "%H:%M"


def _scroll(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().hide()
    t.horizontalHeader().setStretchLastSection(True)
    t.setMinimumHeight(110)
    return t


def _fill(table: QTableWidget, rows: list[list[str]], ids: list[int]) -> None:
    table.setRowCount(0)
    for r, (row, rid) in enumerate(zip(rows, ids, strict=True)):
        table.insertRow(r)
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, rid)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def _selected_id(table: QTableWidget) -> int | None:
    item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item else None


class RecordView(QWidget):
    #: Something on her record was saved (resident_id).
    changed = Signal(int)
    #: A stay of hers was closed (stay_id): the aftercare step hooks in here.
    discharged = Signal(int)
    #: "Back to the list" (the main window removes the page: no record stays open).
    closed = Signal()

    def __init__(self, session, parent: QWidget | None = None, resident_id: int | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        self.resident: Resident | None = None
        self.stays: list[Stay] = []
        self.children: list[Child] = []
        self.consents: list[Consent] = []
        self._editing_child: int | None = None

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton(_("← Back to the list"))
        self.back_button.clicked.connect(self.closed)
        top.addWidget(self.back_button)
        top.addStretch(1)
        outer.addLayout(top)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.title)
        self.ids_label = QLabel()
        self.ids_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.ids_label)
        self.banner = SafetyBanner()
        outer.addWidget(self.banner)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setObjectName("missing")
        outer.addWidget(self.missing_label)
        actions = QHBoxLayout()
        self.discharge_button = QPushButton(_("Discharge…"))
        self.move_button = QPushButton(_("Move to another bed…"))
        self.print_intake_button = QPushButton(_("Print intake sheet…"))
        self.consent_lang = language_combo(with_other=False)
        self.print_consent_button = QPushButton(_("Print consent sheet…"))
        self.discharge_button.clicked.connect(self.discharge_open_stay)
        self.move_button.clicked.connect(self.move_bed)
        self.print_intake_button.clicked.connect(lambda: self.print_document("intake"))
        self.print_consent_button.clicked.connect(lambda: self.print_document("consent"))
        for w in (self.discharge_button, self.move_button, self.print_intake_button):
            actions.addWidget(w)
        actions.addWidget(self.consent_lang)
        actions.addWidget(self.print_consent_button)
        actions.addStretch(1)
        outer.addLayout(actions)
        self.action_error = error_label()
        outer.addWidget(self.action_error)

        self.tabs = QTabWidget()
        self.tabs.addTab(_scroll(self._build_profile()), _("Profile"))
        self.tabs.addTab(_scroll(self._build_safety()), _("Safety"))
        self.tabs.addTab(_scroll(self._build_children()), _("Children"))
        self.tabs.addTab(_scroll(self._build_stays()), _("Stays"))
        self.tabs.addTab(_scroll(self._build_consents()), _("Consents"))
        outer.addWidget(self.tabs, 1)
        if resident_id is not None:
            self.open_resident(resident_id)

    # ======================================================================
    # building
    # ======================================================================
    def _build_profile(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.profile = ErrorForm()
        self.rf = rf = ResidentFields(self.profile)
        rf.add_names()
        self.age_label = QLabel()  # her age today, from the date or the estimate
        rf.add_birth(extra=self.age_label)
        rf.add_language()
        rf.add_text((("nationality", _("Nationality")), ("safe_phone", _("Safe phone")),
                     ("registered_municipality",
                      _("Municipality of residence registration (municipality only)")),
                     ("disability_certificate", _("Disability certificate")),
                     ("allergies", _("Allergies")), ("medications", _("Medications"))))
        rf.add_health()
        self.pf, self.birth_date = rf.text, rf.birth_date
        v.addLayout(self.profile)
        self.save_profile_button = QPushButton(_("Save profile"))
        self.save_profile_button.clicked.connect(self.save_resident)
        v.addWidget(self.save_profile_button, 0, Qt.AlignmentFlag.AlignRight)
        self.profile_error = error_label()
        v.addWidget(self.profile_error)
        v.addStretch(1)
        return w

    def _build_safety(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.safety_form = ErrorForm()
        self.sf = SafetyFields(self.safety_form)
        self.whereabouts_secret = self.sf.whereabouts_secret
        v.addLayout(self.safety_form)
        self.save_safety_button = QPushButton(_("Save safety"))
        self.save_safety_button.clicked.connect(self.save_resident)
        v.addWidget(self.save_safety_button, 0, Qt.AlignmentFlag.AlignRight)
        v.addStretch(1)
        return w

    def _build_children(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.children_table = _table([_("No."), _("Name"), _("Kana"), _("Date of birth"),
                                      _("Age"), _("Sex"), _("School or nursery"),
                                      _("Allergies")])
        self.children_table.currentCellChanged.connect(lambda *a: self._load_child())
        v.addWidget(self.children_table)
        self.child_form = ErrorForm()
        self.chf = chf = ChildFields(self.child_form)
        chf.add_names()
        chf.add_birth_and_sex()
        chf.add_text((("relationship", _("Relationship")),
                      ("school_before", _("School or nursery before")),
                      ("school_after", _("School or nursery after")),
                      ("grade", _("Grade")), ("allergies", _("Allergies")),
                      ("health_notes", _("Health notes")),
                      ("special_needs", _("Special needs"))))
        chf.add_guidance()
        self.cf, self.child_birth = chf.text, chf.birth_date
        v.addLayout(self.child_form)
        row = QHBoxLayout()
        self.new_child_button = QPushButton(_("New child"))
        self.save_child_button = QPushButton(_("Save child"))
        self.new_child_button.clicked.connect(self.new_child)
        self.save_child_button.clicked.connect(self.save_child)
        row.addWidget(self.new_child_button)
        row.addStretch(1)
        row.addWidget(self.save_child_button)
        v.addLayout(row)
        self.child_error = error_label()
        v.addWidget(self.child_error)
        v.addStretch(1)
        return w

    def _build_stays(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.stays_table = _table([_("Stay no."), _("Admitted"), _("Room / bed"),
                                   _("Admission type"), _("Primary complaint"), _("Children"),
                                   _("Discharged"), _("Destination"), _("Days")])
        self.stays_table.currentCellChanged.connect(lambda *a: self._load_stay())
        v.addWidget(self.stays_table)
        self.stay_form = ErrorForm()
        f = self.stay_form
        self.stf = stf = StayFields(f)
        stf.add_arrival()
        stf.add_codes()
        self.arrival_date, self.arrival_time = stf.arrival_date, stf.arrival_time
        self.referral, self.admission_type = stf.referral, stf.admission_type
        self.complaint, self.tags = stf.complaint, stf.tags
        self.review_on = DateEdit()
        f.add_field("review_on", _("Planned review"), self.review_on)
        self.discharge_info = QLabel()
        f.add_field(None, _("Discharge"), self.discharge_info)
        v.addLayout(f)
        self.save_stay_button = QPushButton(_("Save stay"))
        self.save_stay_button.clicked.connect(self.save_stay)
        v.addWidget(self.save_stay_button, 0, Qt.AlignmentFlag.AlignRight)
        self.stay_error = error_label()
        v.addWidget(self.stay_error)
        v.addStretch(1)
        return w

    def _build_consents(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.consents_table = _table([_("No."), _("Scope"), _("Recipient"), _("Given on"),
                                      _("Expires on"), _("Withdrawn on"), _("Valid today")])
        v.addWidget(self.consents_table)
        row = QHBoxLayout()
        self.withdraw_button = QPushButton(_("Withdraw selected consent…"))
        self.withdraw_button.clicked.connect(self.withdraw_consent)
        row.addStretch(1)
        row.addWidget(self.withdraw_button)
        v.addLayout(row)
        title = QLabel(_("Add a consent"))
        title.setProperty("role", "section")
        v.addWidget(title)
        self.consent_form = ErrorForm()
        self.kf = ConsentFields(self.consent_form)
        self.consent_scope, self.consent_recipient = self.kf.scope, self.kf.recipient
        v.addLayout(self.consent_form)
        self.add_consent_button = QPushButton(_("Add consent"))
        self.add_consent_button.clicked.connect(self.add_consent)
        v.addWidget(self.add_consent_button, 0, Qt.AlignmentFlag.AlignRight)
        self.consent_error = error_label()
        v.addWidget(self.consent_error)
        v.addStretch(1)
        return w

    # ======================================================================
    # loading
    # ======================================================================
    def open_resident(self, resident_id: int) -> None:
        """Show her record; this is the audited view."""
        self.resident = residents_repo.get_resident(self.db, resident_id)
        self._reload(audit=False)
        self.tabs.setCurrentIndex(0)

    def _reload(self, audit: bool = False) -> None:
        rid = self.resident.id
        self.resident = residents_repo.get_resident(self.db, rid, audit_view=audit)
        self.stays = stays.stays_of(self.db, rid)
        self.children = residents_repo.children_of(self.db, rid)
        self.consents = residents_repo.consents_of(self.db, rid)
        r = self.resident
        title = r.display_name or "—"
        if r.alias and r.legal_name:
            title = f"{r.alias}（{r.legal_name}）"
        if r.kana:
            title += f"  {r.kana}"
        self.title.setText(title)
        stay_bits = []
        for s in self.stays:
            state = _("open") if s.discharged_on is None else _("closed")
            stay_bits.append(f"{s.id} ({state})")
        self.ids_label.setText(_("Resident no. {id}").format(id=r.id) + " · " +
                               _("Stays: {list}").format(list=", ".join(stay_bits) or "—"))
        self.banner.set_flags(r.safety)
        self._fill_profile(r)
        self._fill_children()
        self._fill_stays()
        self._fill_consents()
        self._update_missing()
        open_ = self.open_stay()
        self.discharge_button.setEnabled(open_ is not None)
        self.move_button.setEnabled(open_ is not None)
        has_stay = bool(self.stays)
        self.print_intake_button.setEnabled(has_stay)
        self.print_consent_button.setEnabled(has_stay)
        set_combo(self.consent_lang, sheet_language(r.language))

    def open_stay(self) -> Stay | None:
        return next((s for s in self.stays if s.discharged_on is None), None)

    def current_stay(self) -> Stay | None:
        return self.open_stay() or (self.stays[0] if self.stays else None)

    def missing(self) -> list[str]:
        s = self.current_stay()
        kids = [c for c in self.children if s and c.id in s.child_ids] if s else self.children
        return missing_items(self.resident, s, kids, self.consents)

    def _update_missing(self) -> None:
        items = self.missing()
        self.missing_label.setText(_("Still missing: {items}").format(items="、".join(items))
                                   if items else "")
        self.missing_label.setVisible(bool(items))

    def _fill_profile(self, r: Resident) -> None:
        self.rf.fill(r)
        age = r.age_on(date.today())
        self.age_label.setText("" if age is None else _("Age {n}").format(n=age))
        self.sf.fill(r.safety)
        self.profile.clear_errors()
        self.safety_form.clear_errors()

    def _fill_children(self) -> None:
        today = date.today()
        rows = [[str(c.id), c.name, c.kana, format_date(c.birth_date),
                 str(age_on(c.birth_date, today)) if c.birth_date else "",
                 codes.SEX.label(c.sex), c.school_after or c.school_before, c.allergies]
                for c in self.children]
        keep = self._editing_child
        _fill(self.children_table, rows, [c.id for c in self.children])
        if keep is not None:
            for i, c in enumerate(self.children):
                if c.id == keep:
                    self.children_table.selectRow(i)
        if self._editing_child is None:
            self.new_child()

    def _fill_stays(self) -> None:
        today = date.today()
        rows = []
        for s in self.stays:
            room, bed = rooms.bed_label(self.db, s.bed_id) if s.discharged_on is None \
                else ("", "")
            rows.append([str(s.id), s.admitted_at.strftime("%Y/%m/%d %H:%M"),
                         f"{room}-{bed}" if room else "",
                         codes.ADMISSION_TYPE.label(s.admission_type),
                         codes.MAIN_COMPLAINT.label(s.main_complaint), str(len(s.child_ids)),
                         format_date(s.discharged_on),
                         codes.DISCHARGE_DESTINATION.label(s.discharge_destination),
                         str(s.days_in_residence(today))])
        _fill(self.stays_table, rows, [s.id for s in self.stays])
        if self.stays:
            self.stays_table.selectRow(0)
        self._load_stay()

    def _fill_consents(self) -> None:
        today = date.today()
        rows = [[str(k.id), codes.CONSENT_SCOPE.label(k.scope), k.recipient,
                 format_date(k.given_on), format_date(k.expires_on), format_date(k.withdrawn_on),
                 _("yes") if k.valid_on(today) else _("no")] for k in self.consents]
        _fill(self.consents_table, rows, [k.id for k in self.consents])

    # ======================================================================
    # resident
    # ======================================================================
    def _resident_from_form(self) -> tuple[Resident, list[FieldError]]:
        r = self.rf.apply(Resident(**{k: v for k, v in vars(self.resident).items()
                                      if k != "safety"}))
        r.safety = self.sf.flags()
        return r, self.rf.problems()

    def save_resident(self) -> bool:
        if self.resident is None:
            return False
        r, errs = self._resident_from_form()
        if not errs:
            try:
                residents_repo.update_resident(self.db, r)
            except ValidationError as e:
                errs = e.errors
            except StoreError as e:
                set_error(self.profile_error, str(e))
                return False
        if errs:
            rest = self.profile.show_errors(errs)
            rest = self.safety_form.show_errors(rest)
            set_error(self.profile_error, "\n".join(e.message for e in rest))
            if any(e.field in self.profile.fields for e in errs):
                self.tabs.setCurrentIndex(0)
            else:
                self.tabs.setCurrentIndex(1)
            return False
        set_error(self.profile_error, "")
        self._reload()
        self.changed.emit(r.id)
        return True

    # ======================================================================
    # children
    # ======================================================================
    def _load_child(self) -> None:
        cid = _selected_id(self.children_table)
        ch = next((c for c in self.children if c.id == cid), None)
        if ch is None:
            return
        self._editing_child = ch.id
        self.chf.fill(ch)
        self.child_form.clear_errors()
        self.save_child_button.setText(_("Save child"))

    def new_child(self) -> None:
        self._editing_child = None
        self.children_table.clearSelection()
        self.chf.clear()
        if self.resident is not None:
            self.cf["family_name"].setText(self.resident.family_name)
            self.cf["family_kana"].setText(self.resident.family_kana)
        self.child_form.clear_errors()
        self.save_child_button.setText(_("Add child"))

    def save_child(self) -> bool:
        """Update the selected child, or add a new one (linked to her open
        stay: a companion child must be under 18 at that admission)."""
        if self.resident is None:
            return False
        base = next((c for c in self.children if c.id == self._editing_child), None)
        ch = self.chf.apply(Child(**vars(base)) if base else Child(resident_id=self.resident.id))
        if self.child_birth.problem():
            self.child_form.show_errors([FieldError("birth_date", self.child_birth.problem())])
            return False
        stay = self.open_stay()
        if base is not None:
            linked = [s for s in self.stays if base.id in s.child_ids]
            stay = linked[0] if linked else stay
        admitted_on = stay.admitted_on if stay else None
        try:
            if base is None:
                cid = stays.add_child(self.db, ch, stay)
                self._editing_child = cid
            else:
                residents_repo.update_child(self.db, ch, admitted_on)
        except ValidationError as e:
            rest = self.child_form.show_errors(e.errors)
            set_error(self.child_error, "\n".join(x.message for x in rest))
            return False
        except StoreError as e:
            set_error(self.child_error, str(e))
            return False
        set_error(self.child_error, "")
        self._reload()
        self.changed.emit(self.resident.id)
        return True

    # ======================================================================
    # stays
    # ======================================================================
    def selected_stay(self) -> Stay | None:
        sid = _selected_id(self.stays_table)
        return next((s for s in self.stays if s.id == sid), None)

    def _load_stay(self) -> None:
        s = self.selected_stay()
        self.save_stay_button.setEnabled(s is not None)
        if s is None:
            return
        self.arrival_date.set_value(s.admitted_on)
        self.arrival_time.setText(s.admitted_at.strftime(TIME_FORMAT))
        self.stf.fill_codes(s)
        self.review_on.set_value(s.review_on)
        if s.discharged_on:
            self.discharge_info.setText(_("{d}: {dest}").format(
                d=format_date(s.discharged_on),
                dest=codes.DISCHARGE_DESTINATION.label(s.discharge_destination))
                + (f" — {s.discharge_note}" if s.discharge_note else ""))
        else:
            self.discharge_info.setText(_("in residence"))
        self.stay_form.clear_errors()

    def save_stay(self) -> bool:
        s = self.selected_stay()
        if s is None:
            return False
        errs = []
        for name, edit in (("admitted_at", self.arrival_date), ("review_on", self.review_on)):
            if edit.problem():
                errs.append(FieldError(name, edit.problem()))
        try:
            t = datetime.strptime(self.arrival_time.text().strip(), TIME_FORMAT).time()
        except ValueError:
            errs.append(FieldError("admitted_at", _("Type the arrival time as 23:40.")))
            t = None
        d = self.arrival_date.value_or_none()
        if d is None and not any(e.field == "admitted_at" for e in errs):
            errs.append(FieldError("admitted_at", _("Arrival date is required.")))
        if not errs:
            s.admitted_at = datetime.combine(d, t)
            self.stf.apply_codes(s)
            s.review_on = self.review_on.value_or_none()
            try:
                stays.update_stay(self.db, s)
            except ValidationError as e:
                errs = e.errors
            except StoreError as e:
                set_error(self.stay_error, str(e))
                return False
        if errs:
            rest = self.stay_form.show_errors(errs)
            set_error(self.stay_error, "\n".join(x.message for x in rest))
            self.stays = stays.stays_of(self.db, self.resident.id)  # undo local changes
            return False
        set_error(self.stay_error, "")
        self._reload()
        self.changed.emit(self.resident.id)
        return True

    def discharge_open_stay(self) -> None:
        s = self.open_stay()
        if s is None:
            return
        from shelterdesk.gui.dialogs.discharge import DischargeDialog
        dlg = DischargeDialog(self.session, s.id, self)
        dlg.discharged.connect(self._after_discharge)
        self.discharge_dialog = dlg
        dlg.open()

    def _after_discharge(self, stay_id: int) -> None:
        self._reload()
        self.discharged.emit(stay_id)
        self.changed.emit(self.resident.id)

    def move_bed(self) -> None:
        s = self.open_stay()
        if s is None:
            return
        from shelterdesk.gui.views.bed_board import MoveBedDialog
        dlg = MoveBedDialog(self.session, s.id, self)
        dlg.moved.connect(lambda *_a: (self._reload(), self.changed.emit(self.resident.id)))
        self.move_dialog = dlg
        dlg.open()

    def print_document(self, doc: str) -> None:
        s = self.selected_stay() or self.current_stay()
        if s is None:
            return
        from shelterdesk.gui.dialogs.pdf_preview import open_stay_document
        open_stay_document(self, self.session, s.id, doc, self.consent_lang, self.action_error)

    # ======================================================================
    # consents
    # ======================================================================
    def add_consent(self) -> bool:
        if self.resident is None:
            return False
        errs = self.kf.problems()
        k = self.kf.consent(resident_id=self.resident.id)
        if not errs:
            try:
                residents_repo.insert_consent(self.db, k)
            except ValidationError as e:
                errs = e.errors
            except StoreError as e:
                set_error(self.consent_error, str(e))
                return False
        if errs:
            rest = self.consent_form.show_errors(errs)
            set_error(self.consent_error, "\n".join(x.message for x in rest))
            return False
        self.consent_form.clear_errors()
        set_error(self.consent_error, "")
        self.kf.clear_for_next()
        self._reload()
        self.changed.emit(self.resident.id)
        return True

    def withdraw_consent(self) -> bool:
        kid = _selected_id(self.consents_table)
        k = next((c for c in self.consents if c.id == kid), None)
        if k is None or k.withdrawn_on is not None:
            return False
        answer = QMessageBox.question(
            self, _("Withdraw consent"),
            _("Record that she withdrew this consent today ({d})?").format(
                d=format_date(date.today())),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        residents_repo.withdraw_consent(self.db, k.id, date.today())
        self._reload()
        self.changed.emit(self.resident.id)
        return True
