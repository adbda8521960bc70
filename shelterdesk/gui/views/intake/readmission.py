"""Readmission: an earlier resident with the same kana and date of birth is
shown, and staff must say "same person" or "a different person". Never merge
or duplicate silently; a "same person" choice makes her record the base of the
admission (``IntakeState.set_earlier``) so fields the wizard does not show are
kept, and the pages fill themselves from it.

The banner belongs to the essentials page, which tells it what was typed
(:meth:`ReadmissionBanner.look_up`). It holds no SQL (store.residents).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import FieldError
from shelterdesk.gui.views.intake.page import wizard_button
from shelterdesk.gui.views.intake.state import IntakeState
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.i18n import _
from shelterdesk.store import residents as residents_repo
from shelterdesk.store.errors import StoreError

#: The field name core.validation and this banner use for the open question.
FIELD = "resident"


class ReadmissionBanner(QFrame):
    """The match banner and the choice it asks for."""

    def __init__(self, state: IntakeState, parent=None):
        super().__init__(parent)
        self.state = state
        self.matches: list[residents_repo.LikelyMatch] = []
        self.different_from: set[int] = set()
        self._typed: tuple[str, str, date | None] = ("", "", None)
        self.setObjectName("matchBanner")
        lay = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        lay.addWidget(self.label)
        row = QHBoxLayout()
        self.same_button = wizard_button(_("Same person (new stay on her record)"))
        self.different_button = wizard_button(_("A different person"))
        self.undo_button = wizard_button(_("Undo this choice"))
        self.same_button.clicked.connect(self.choose_same_person)
        self.different_button.clicked.connect(self.choose_different_person)
        self.undo_button.clicked.connect(self.undo_choice)
        row.addWidget(self.same_button)
        row.addWidget(self.different_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.error = error_label()
        lay.addWidget(self.error)
        self.hide()

    def _undecided(self) -> list[residents_repo.LikelyMatch]:
        return [m for m in self.matches if m.resident_id not in self.different_from]

    # -- what the essentials page asks --------------------------------------------------
    def problems(self) -> list[FieldError]:
        if self._undecided() and self.state.same_resident_id is None:
            return [FieldError(FIELD, _(
                "An earlier resident has the same kana and date of birth: choose "
                "“Same person” or “A different person” first."))]
        return []

    def show_errors(self, errors: list[FieldError]) -> list[FieldError]:
        mine = [e for e in errors if e.field == FIELD]
        set_error(self.error, "\n".join(e.message for e in mine))
        if mine:
            self.show()
        return [e for e in errors if e.field != FIELD]

    def look_up(self, family_kana: str, given_kana: str, birth: date | None) -> None:
        """Earlier residents with this kana and date of birth (none once she
        is recorded as the same person)."""
        self._typed = (family_kana, given_kana, birth)
        if self.state.same_resident_id is not None:
            return
        try:
            self.matches = residents_repo.likely_matches(self.state.db, *self._typed)
        except StoreError:
            self.matches = []
        self.update_banner()

    def update_banner(self) -> None:
        set_error(self.error, "")
        rid = self.state.same_resident_id
        if rid is not None:
            self.label.setText(_(
                "Same person: this admission becomes a new stay on the record of resident "
                "no. {id}. Her record has been loaded; changes here update it.").format(id=rid))
            self._buttons(decided=True)
            self.show()
            return
        undecided = self._undecided()
        if not undecided:
            self.setVisible(bool(self.matches))
            if self.matches:
                self.label.setText(_("Recorded as a different person from the earlier "
                                     "resident with the same kana and date of birth."))
                self._buttons(decided=True)
            return
        m = undecided[0]
        stay_text = _("no earlier stay")
        if m.last_admitted and m.last_discharged:
            stay_text = _("her last stay ran from {a} to {d}").format(
                a=format_date(m.last_admitted), d=format_date(m.last_discharged))
        elif m.last_admitted:
            stay_text = _("last admitted {a}").format(a=format_date(m.last_admitted))
        self.label.setText(_(
            "She may have stayed here before: resident no. {id}, {name} ({kana}), born {birth}, "
            "{stays}. Is this the same person?").format(
                id=m.resident_id, name=m.display_name, kana=m.kana,
                birth=format_date(m.birth_date), stays=stay_text))
        self._buttons(decided=False)
        self.show()

    def _buttons(self, decided: bool) -> None:
        self.same_button.setVisible(not decided)
        self.different_button.setVisible(not decided)
        self.undo_button.setVisible(decided)

    # -- the choice ---------------------------------------------------------------------
    def choose_same_person(self) -> None:
        undecided = self._undecided()
        if undecided:
            self.load_earlier(undecided[0].resident_id, fill=True)
            self.state.touched()

    def load_earlier(self, resident_id: int, *, fill: bool) -> None:
        """Her earlier record (an audited view) becomes the base; ``fill``
        shows it in the pages (not when a draft already holds what was typed)."""
        db = self.state.db
        resident = residents_repo.get_resident(db, resident_id)
        self.state.set_earlier(resident, residents_repo.children_of(db, resident_id), fill=fill)
        self.update_banner()

    def choose_different_person(self) -> None:
        self.different_from.update(m.resident_id for m in self.matches)
        self.update_banner()
        self.state.touched()

    def undo_choice(self) -> None:
        self.state.set_earlier(None)
        self.different_from.clear()
        self.look_up(*self._typed)
        self.state.touched()

    # -- draft and reset ----------------------------------------------------------------
    def draft(self) -> dict:
        return {"same_resident_id": self.state.same_resident_id,
                "different_from": sorted(self.different_from)}

    def fill(self, draft: dict, typed: tuple[str, str, date | None]) -> None:
        self.different_from = set(draft.get("different_from", []))
        self._typed = typed
        rid = draft.get("same_resident_id")
        if rid is not None:
            try:
                self.load_earlier(rid, fill=False)
                return
            except StoreError:
                self.state.set_earlier(None)
        self.look_up(*typed)

    def clear(self) -> None:
        self.matches = []
        self.different_from = set()
        self._typed = ("", "", None)
        set_error(self.error, "")
        self.hide()
