"""Drafts of the admission wizard: everything typed is kept *inside the
encrypted database* (store.drafts), about a second after typing stops and on
every page change, so a crash or a power cut loses nothing. Never write a
draft anywhere else (no file, no log, no clipboard).

A mixin of IntakeWizard (intake/wizard.py): ``state`` and ``restore`` are the
draft's payload and must stay readable by older and newer versions ("version").
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
)

from shelterdesk.core.dates import format_date
from shelterdesk.gui.views.intake.pages import (
    RESIDENT_TEXT_FIELDS,
    REVIEW,
)
from shelterdesk.gui.widgets.errors import set_error
from shelterdesk.gui.widgets.pickers import set_combo
from shelterdesk.i18n import _
from shelterdesk.store import drafts
from shelterdesk.store.errors import StoreError


class Drafts:
    """Keep, offer, resume and delete intake drafts."""

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
