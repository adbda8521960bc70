"""Her companion children: the list, and one child's details to edit or add.

A child added here comes with her on her open stay (one store call adds and
links: store.residents.add_child); a companion child must be under 18 at
that admission, which the store checks against the stay she is linked to."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from shelterdesk.core import codes
from shelterdesk.core.dates import age_on, format_date
from shelterdesk.core.models import Child
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.record.base import RecordTab, fill_table, selected_id, table
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.gui.widgets.resident_fields import ChildFields
from shelterdesk.i18n import _
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import stays as stays_repo


class ChildrenTab(RecordTab):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        #: The child shown in the form (None: a new one is being typed).
        self.editing_child_id: int | None = None
        layout = QVBoxLayout(self)
        self.table = table([_("No."), _("Name"), _("Kana"), _("Date of birth"), _("Age"),
                            _("Sex"), _("School or nursery"), _("Allergies")])
        self.table.currentCellChanged.connect(lambda *a: self.load_selected())
        layout.addWidget(self.table)
        self.form = ErrorForm()
        self.child_fields = fields = ChildFields(self.form)
        fields.add_names()
        fields.add_birth_and_sex()
        fields.add_text((("relationship", _("Relationship")),
                         ("school_before", _("School or nursery before")),
                         ("school_after", _("School or nursery after")),
                         ("grade", _("Grade")), ("allergies", _("Allergies")),
                         ("health_notes", _("Health notes")),
                         ("special_needs", _("Special needs"))))
        fields.add_guidance()
        self.child_text, self.birth_date = fields.text, fields.birth_date
        layout.addLayout(self.form)
        row = QHBoxLayout()
        self.new_button = QPushButton(_("New child"))
        self.save_button = QPushButton(_("Save child"))
        self.new_button.clicked.connect(self.new_child)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.new_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.general_line = error_label()
        layout.addWidget(self.general_line)
        layout.addStretch(1)

    def fill(self) -> None:
        today = date.today()
        children = self.record.children
        rows = [[str(c.id), c.name, c.kana, format_date(c.birth_date),
                 str(age_on(c.birth_date, today)) if c.birth_date else "",
                 codes.SEX.label(c.sex), c.school_after or c.school_before, c.allergies]
                for c in children]
        keep = self.editing_child_id
        fill_table(self.table, rows, [c.id for c in children])
        if keep is not None:
            for i, c in enumerate(children):
                if c.id == keep:
                    self.table.selectRow(i)
        if self.editing_child_id is None:
            self.new_child()

    def load_selected(self) -> None:
        child_id = selected_id(self.table)
        child = next((c for c in self.record.children if c.id == child_id), None)
        if child is None:
            return
        self.editing_child_id = child.id
        self.child_fields.fill(child)
        self.form.clear_errors()
        self.save_button.setText(_("Save child"))

    def new_child(self) -> None:
        self.editing_child_id = None
        self.table.clearSelection()
        self.child_fields.clear()
        resident = self.record.resident
        if resident is not None:
            self.child_text["family_name"].setText(resident.family_name)
            self.child_text["family_kana"].setText(resident.family_kana)
        self.form.clear_errors()
        self.save_button.setText(_("Add child"))

    def save(self) -> bool:
        """Update the selected child, or add a new one linked to her open stay."""
        record = self.record
        if record.resident is None:
            return False
        existing = next((c for c in record.children if c.id == self.editing_child_id), None)
        child = self.child_fields.apply(replace(existing) if existing
                                        else Child(resident_id=record.resident.id))
        stay = record.open_stay()
        if existing is not None:
            linked = [s for s in record.stays if existing.id in s.child_ids]
            stay = linked[0] if linked else stay
        admitted_on = stay.admitted_on if stay else None
        open_stay_id = stay.id if stay is not None and stay.discharged_on is None else None

        def call() -> None:
            if self.birth_date.problem():
                check([FieldError("birth_date", self.birth_date.problem())])
            if existing is not None:
                residents_repo.update_child(record.db, child, admitted_on)
                return
            # Set before the change is announced: the reload that follows keeps her selected.
            self.editing_child_id = stays_repo.add_child(record.db, child, stay)

        if existing is None and open_stay_id is not None:  # her stay now counts the child
            changed = self.her_change(changes.RESIDENT, changes.STAY, stay_id=open_stay_id)
        else:
            changed = self.her_change(changes.RESIDENT)
        return run_action(self, call, forms=[self.form], general=self.general_line,
                          changed=changed)
