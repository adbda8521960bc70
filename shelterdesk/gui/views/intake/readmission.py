"""Readmission in the admission wizard: an earlier resident with the same kana
and date of birth is shown, and staff must say "same person" or "a different
person". Never merge or duplicate silently; a "same person" choice loads her
record as the base so fields the wizard does not show are kept.

A mixin of IntakeWizard (intake/wizard.py); it holds no SQL (store.residents).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox

from shelterdesk.core.dates import format_date
from shelterdesk.core.models import Resident
from shelterdesk.core.validation import FieldError
from shelterdesk.gui.widgets.errors import set_error
from shelterdesk.i18n import _
from shelterdesk.store import residents as residents_repo
from shelterdesk.store.errors import StoreError


class Readmission:
    """The match banner and the choice it asks for."""

    def _match_errors(self) -> list[FieldError]:
        undecided = [m for m in self._matches if m.resident_id not in self._different_from]
        if undecided and self._same_resident_id is None:
            return [FieldError("resident", _(
                "An earlier resident has the same kana and date of birth: choose "
                "“Same person” or “A different person” first."))]
        return []

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
                self.rf.fill(r, clear_other=False)
                self.sf.fill(r.safety)
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
