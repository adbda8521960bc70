"""The children who came with her: the ones from an earlier stay (ticked) and
new ones typed one at a time (Enter adds the child being typed; Enter on an
empty form goes on). Optional: the record shows what is still missing.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QListWidget, QVBoxLayout

from shelterdesk.core import codes
from shelterdesk.core.dates import age_on, format_date
from shelterdesk.core.models import Child
from shelterdesk.core.validation import FieldError, check_child
from shelterdesk.gui.views.intake.page import IntakePage, numbered_errors, wizard_button
from shelterdesk.gui.views.intake.state import date_or_none, iso_date
from shelterdesk.gui.widgets.errors import ErrorForm, error_label, set_error
from shelterdesk.gui.widgets.pickers import set_combo
from shelterdesk.gui.widgets.resident_fields import ChildFields
from shelterdesk.gui.widgets.rows import roomy
from shelterdesk.i18n import N_, _

CHILD_TEXT_FIELDS = ("family_name", "given_name", "family_kana", "given_kana", "school_before",
                     "allergies")


def child_to_draft(child: Child) -> dict:
    out = {n: getattr(child, n) for n in CHILD_TEXT_FIELDS}
    out["birth_date"] = iso_date(child.birth_date)
    out["sex"] = child.sex or ""
    return out


def child_from_draft(d: dict) -> Child:
    child = Child(**{n: d.get(n, "") for n in CHILD_TEXT_FIELDS})
    child.birth_date = date_or_none(d.get("birth_date"))
    child.sex = d.get("sex") or None
    return child


class ChildrenPage(IntakePage):
    title = N_("Children")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.children_added: list[Child] = []
        self.existing_checks: dict[int, QCheckBox] = {}
        self._prefill = ("", "")     # what the form was pre-filled with
        self._her_names = ("", "")   # her family name and kana
        self._arrival = None
        layout = QVBoxLayout(self)
        self.existing_box = QFrame()
        existing = QVBoxLayout(self.existing_box)
        existing.setContentsMargins(0, 0, 0, 0)
        existing.addWidget(QLabel(_("Her children from earlier stays "
                                    "(tick those who came with her):")))
        self.existing_checks_layout = QVBoxLayout()
        existing.addLayout(self.existing_checks_layout)
        self.existing_box.hide()
        layout.addWidget(self.existing_box)
        hint = QLabel(_("Type a child and press Enter to add her or him; "
                        "press Enter on an empty form to go on."))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.form = ErrorForm()
        self.child_fields = ChildFields(self.form)
        self.child_fields.add_names()
        self.child_fields.add_birth_and_sex()
        self.child_fields.add_text((("school_before", _("School or nursery")),
                                    ("allergies", _("Allergies"))))
        self.text_fields = self.child_fields.text
        self.birth_date, self.sex = self.child_fields.birth_date, self.child_fields.sex
        layout.addLayout(self.form)
        row = QHBoxLayout()
        self.add_button = wizard_button(_("Add child"))
        self.add_button.clicked.connect(self.add_child)
        self.remove_button = wizard_button(_("Remove selected"))
        self.remove_button.clicked.connect(self.remove_child)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.children_list = roomy(QListWidget())
        self.children_list.setMinimumHeight(90)
        self.children_list.setAccessibleName(_("Children added"))
        layout.addWidget(self.children_list)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)
        state.earlierRecordChanged.connect(lambda _fill: self._show_earlier_children(set()))

    # -- her children from earlier stays ------------------------------------------------
    def _show_earlier_children(self, ticked: set[int]) -> None:
        for cb in self.existing_checks.values():
            self.existing_checks_layout.removeWidget(cb)
            cb.deleteLater()
        self.existing_checks = {}
        today = date.today()
        for child in self.state.earlier_children:
            age = ""
            if child.birth_date:
                age = _(" ({n} years)").format(n=age_on(child.birth_date, today))
            cb = QCheckBox((child.name or _("(no name)")) + age)
            cb.setChecked(child.id in ticked)
            cb.toggled.connect(self.state.touched)
            self.existing_checks_layout.addWidget(cb)
            self.existing_checks[child.id] = cb
        self.existing_box.setVisible(bool(self.state.earlier_children))

    # -- the child being typed ---------------------------------------------------------------
    def _prefill_family_name(self) -> None:
        if not self.form_has_text():
            restoring, self.state.restoring = self.state.restoring, True
            self.text_fields["family_name"].setText(self._her_names[0])
            self.text_fields["family_kana"].setText(self._her_names[1])
            self.state.restoring = restoring
            self._prefill = (self.text_fields["family_name"].text(),
                             self.text_fields["family_kana"].text())

    def form_has_text(self) -> bool:
        """True when staff typed something for a child. Her own family name and
        kana, which the form is pre-filled with, do not count (also after a
        draft is resumed): otherwise Enter would add a child made of nothing
        but her surname."""
        for name, edit in self.text_fields.items():
            text = edit.text().strip()
            if name == "family_name" and text in (self._prefill[0], self._her_names[0]):
                continue
            if name == "family_kana" and text in (self._prefill[1], self._her_names[1]):
                continue
            if text:
                return True
        return bool(self.birth_date.text().strip() or self.sex.currentData())

    def add_child(self) -> bool:
        """Validate the child form and add the child to the list; the form is
        cleared for the next one. False (messages beside the fields) when
        something is wrong."""
        child = self.child_fields.apply(Child())
        errors = []
        if self.birth_date.problem():
            errors.append(FieldError("birth_date", self.birth_date.problem()))
        arrival = self._arrival
        errors += [e for e in check_child(child, arrival.date() if arrival else None)
                   if not (e.field == "birth_date" and errors)]
        self.form.show_errors(errors)
        if errors:
            return False
        self.children_added.append(child)
        self._refresh_list()
        self.child_fields.clear()
        self._prefill = ("", "")
        self._prefill_family_name()
        self.text_fields["given_name"].setFocus()
        self.state.touched()
        return True

    def _refresh_list(self) -> None:
        self.children_list.clear()
        for i, child in enumerate(self.children_added, 1):
            bits = [child.name or _("(no name)")]
            if child.kana:
                bits.append(f"（{child.kana}）")
            if child.birth_date:
                bits.append(format_date(child.birth_date))
            if child.sex:
                bits.append(codes.SEX.label(child.sex))
            if child.allergies:
                bits.append(_("allergies: {a}").format(a=child.allergies))
            self.children_list.addItem(f"{i}. " + "  ".join(bits))

    def remove_child(self) -> None:
        row = self.children_list.currentRow()
        if 0 <= row < len(self.children_added):
            del self.children_added[row]
            self._refresh_list()
            self.state.touched()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Delete and self.children_list.hasFocus():
            self.remove_child()
            return
        super().keyPressEvent(event)

    # -- draft ------------------------------------------------------------------------------
    def draft(self) -> dict:
        return {
            "existing_child_ids": [cid for cid, cb in self.existing_checks.items()
                                   if cb.isChecked()],
            "children": [child_to_draft(c) for c in self.children_added],
            "child_form": {n: e.text() for n, e in self.text_fields.items()}
            | {"birth_date": self.birth_date.text(), "sex": self.sex.currentData()},
        }

    def fill(self, draft: dict) -> None:
        self._show_earlier_children(set(draft.get("existing_child_ids", [])))
        self.children_added = [child_from_draft(d) for d in draft.get("children", [])]
        self._refresh_list()
        typed = draft.get("child_form", {})
        for name, edit in self.text_fields.items():
            edit.setText(typed.get(name, ""))
        self.birth_date.setText(typed.get("birth_date", ""))
        set_combo(self.sex, typed.get("sex"))
        fields = draft.get("fields", {})
        self._her_names = (fields.get("family_name", "").strip(),
                           fields.get("family_kana", "").strip())

    def clear(self) -> None:
        self.children_added = []
        self._refresh_list()
        self.child_fields.clear()
        self._show_earlier_children(set())
        self._prefill = self._her_names = ("", "")
        self.form.clear_errors()
        set_error(self.error, "")

    # -- the admission ------------------------------------------------------------------
    def read(self, data) -> None:
        data.children = [dataclasses.replace(c) for c in self.children_added]
        data.existing_child_ids = [cid for cid, cb in self.existing_checks.items()
                                   if cb.isChecked()]

    def holds(self, error: FieldError) -> bool:
        return error.field.startswith("children[")

    def show_errors(self, errors, prefix="", focus=True):
        mine = [e for e in errors if self.holds(e)]
        set_error(self.error, numbered_errors(mine, _("Child")))
        return [e for e in errors if not self.holds(e)]

    # -- navigation ---------------------------------------------------------------------
    def enter(self, data) -> None:
        self._arrival = data.arrival
        self._her_names = (data.resident.family_name.strip(),
                           data.resident.family_kana.strip())
        self._prefill_family_name()

    def leave(self, data) -> bool:
        return not self.form_has_text() or self.add_child()

    def enter_key(self) -> bool:
        if not self.form_has_text():
            return False
        self.add_child()  # a wrong child stays in the form, its messages beside it
        return True

    def first_focus(self):
        if self.existing_checks:
            return next(iter(self.existing_checks.values()))
        return self.text_fields["family_name"]
