"""Her companion children's support in the stay shown: what is still pending
on the school and nursery checklist (out-of-area school attendance without
moving the residence record, the school's confidentiality of her
whereabouts, priority nursery admission), the log of support by kind, and
the two forms that write them.

Intake staff see the checklist read-only (the store gives them no log and
refuses their writes); caseworkers and managers see and write everything.
Each save is one store call through run_action; the page reloads from the
change hub.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import casework, codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.features import allowed
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.record.base import RecordTab, fill_table, table
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.gui.widgets.pickers import code_combo, set_combo
from shelterdesk.i18n import _, pgettext
from shelterdesk.store import child_support as repo


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label


class ChildSupportTab(RecordTab):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        self.sheets: dict[int, repo.ChildSheet] = {}
        self.may_write = allowed(record.session.account, codes.CASEWORK)
        layout = QVBoxLayout(self)
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pendingSteps")
        self.pending_label.setWordWrap(True)
        layout.addWidget(self.pending_label)
        layout.addWidget(_section(_("School and nursery steps")))
        self.steps_table = table([_("Child"), pgettext("child support", "Step"), _("Status"), _("Date"), _("Contact"),
                                  _("Note")])
        layout.addWidget(self.steps_table)

        self.step_form = ErrorForm()
        self.step_child = QComboBox()
        self.step_code = code_combo(casework.CHILD_STEP)
        self.step_status = code_combo(casework.CHILD_STEP_STATUS)
        self.step_date = DateEdit()
        self.step_contact = QLineEdit()
        self.step_contact.setPlaceholderText(_("e.g. the board of education's contact"))
        self.step_note = QLineEdit()
        self.step_form.add_field("child_id", _("Child"), self.step_child)
        self.step_form.add_field("step", pgettext("child support", "Step"), self.step_code)
        self.step_form.add_field("status", _("Status"), self.step_status)
        self.step_form.add_field("on_date", _("Date (agreed, applied or done)"), self.step_date)
        self.step_form.add_field("contact", _("Contact"), self.step_contact)
        self.step_form.add_field("note", _("Note"), self.step_note)
        self.step_button = QPushButton(_("Save step"))
        self.step_button.clicked.connect(self.save_step)
        self.step_editor = QWidget()
        box = QVBoxLayout(self.step_editor)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(_section(_("Record a step")))
        box.addLayout(self.step_form)
        box.addWidget(self.step_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.step_editor)

        self.log_heading = _section(_("Support log"))
        layout.addWidget(self.log_heading)
        self.log_table = table([_("Date"), _("Child"), _("Kind"), _("What was done"),
                                _("Staff"), _("Note")])
        layout.addWidget(self.log_table)
        self.log_form = ErrorForm()
        self.log_child = QComboBox()
        self.log_kind = code_combo(codes.CHILD_SUPPORT_KIND)
        self.log_date = DateEdit()
        self.log_step = QLineEdit()
        self.log_note = QLineEdit()
        self.log_form.add_field("child_id", _("Child"), self.log_child)
        self.log_form.add_field("kind", _("Kind of support"), self.log_kind)
        self.log_form.add_field("on_date", _("Date"), self.log_date)
        self.log_form.add_field("step", _("What was done"), self.log_step)
        self.log_form.add_field("note", _("Note"), self.log_note)
        self.log_button = QPushButton(_("Add to the log"))
        self.log_button.clicked.connect(self.add_entry)
        self.log_editor = QWidget()
        box = QVBoxLayout(self.log_editor)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(_section(_("Add to the log")))
        box.addLayout(self.log_form)
        box.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.log_editor)
        self.general_line = error_label()
        layout.addWidget(self.general_line)
        layout.addStretch(1)
        for w in (self.step_editor, self.log_editor, self.log_heading, self.log_table):
            w.setVisible(self.may_write)
        for line in (self.step_contact, self.step_note):
            line.returnPressed.connect(self.save_step)
        for line in (self.log_step, self.log_note):
            line.returnPressed.connect(self.add_entry)

    def stay(self):
        return self.record.current_stay()

    def child_name(self, child_id: int) -> str:
        c = next((c for c in self.record.children if c.id == child_id), None)
        if c is None:
            return str(child_id)
        return (c.given_name or c.family_name or c.given_kana or str(child_id))


    # -- loading when shown: her record's open is one audited view; this
    # tab's records are another, audited when the person first looks at them.
    def fill(self) -> None:
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", True):
            self.load()

    def _first_look(self) -> bool:
        """True the first time this tab shows her (the audited view)."""
        key = (self.record.resident_id, self.record.current_stay().id
               if self.record.current_stay() else None)
        first = getattr(self, "_seen", None) != key
        self._seen = key
        return first

    def load(self) -> None:
        self._stale = False
        stay = self.stay()
        self.sheets = repo.sheets_of_stay(self.record.db, stay.id,
                                          audit=self._first_look()) if stay else {}
        for combo in (self.step_child, self.log_child):
            keep = combo.currentData()
            combo.clear()
            for cid in self.sheets:
                combo.addItem(self.child_name(cid), cid)
            set_combo(combo, keep)
        steps = [s for sheet in self.sheets.values() for s in sheet.steps]
        fill_table(self.steps_table, [
            [self.child_name(s.child_id), casework.CHILD_STEP.label(s.step),
             casework.CHILD_STEP_STATUS.label(s.status), format_date(s.on_date), s.contact,
             s.note] for s in steps], [s.child_id for s in steps])
        log = sorted((e for sheet in self.sheets.values() for e in sheet.log),
                     key=lambda e: (e.on_date, e.id or 0), reverse=True)
        fill_table(self.log_table, [
            [format_date(e.on_date), self.child_name(e.child_id),
             codes.CHILD_SUPPORT_KIND.label(e.kind), e.step, e.staff_name, e.note] for e in log],
            [e.id for e in log])
        pending = [s for s in steps if s.pending]
        if not self.sheets:
            text = _("No child is with her in this stay.")
        elif pending:
            text = _("Pending: {items}").format(items="、".join(
                f"{self.child_name(s.child_id)} — {casework.CHILD_STEP.label(s.step)}"
                for s in pending))
        else:
            text = _("No step is pending.")
        self.pending_label.setText(text)
        for w in (self.step_button, self.log_button):
            w.setEnabled(bool(self.sheets) and self.may_write)

    def _date(self, edit: DateEdit, problems: list[FieldError]) -> date | None:
        p = edit.problem()
        if p:
            problems.append(FieldError("on_date", p))
        return edit.value_or_none()

    def save_step(self) -> bool:
        stay = self.stay()
        if stay is None:
            return False
        problems: list[FieldError] = []
        step = repo.ChildStep(self.step_child.currentData(), stay.id, self.step_code.currentData(),
                              self.step_status.currentData(), self._date(self.step_date, problems),
                              self.step_contact.text(), self.step_note.text())

        def call() -> None:
            check(problems)
            repo.set_step(self.record.db, step)

        def done(_result) -> None:
            for w in (self.step_date, self.step_contact, self.step_note):
                w.clear()

        return run_action(self, call, forms=[self.step_form], general=self.general_line,
                          done=done, changed=self.her_change(changes.CHILD_SUPPORT,
                                                             stay_id=stay.id))

    def add_entry(self) -> bool:
        stay = self.stay()
        if stay is None:
            return False
        problems: list[FieldError] = []
        entry = repo.SupportEntry(self.log_child.currentData(), stay.id,
                                  self.log_kind.currentData(),
                                  self._date(self.log_date, problems), self.log_step.text(),
                                  self.log_note.text())

        def call() -> None:
            check(problems)
            repo.add_entry(self.record.db, entry)

        def done(_result) -> None:
            for w in (self.log_date, self.log_step, self.log_note):
                w.clear()

        return run_action(self, call, forms=[self.log_form], general=self.general_line,
                          done=done, changed=self.her_change(changes.CHILD_SUPPORT,
                                                             stay_id=stay.id))
