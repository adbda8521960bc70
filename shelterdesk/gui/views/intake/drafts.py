"""Drafts of the admission: everything typed is kept *inside the encrypted
database* (store.drafts), about a second after typing stops and on every page
change, so a crash or a power cut loses nothing. Never write a draft anywhere
else (no file, no log, no clipboard).

:class:`DraftKeeper` keeps the current intake's draft; :class:`DraftsBar`
offers the unfinished ones on the next visit. The payload is the pages'
``draft()`` parts plus ``version`` and ``page``; it must stay readable by older
and newer versions.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel

from shelterdesk.core.dates import format_date
from shelterdesk.gui.views.intake.page import wizard_button
from shelterdesk.gui.views.intake.state import IntakeState
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.i18n import _
from shelterdesk.store import drafts
from shelterdesk.store.errors import StoreError

#: Keep the draft this long after typing stops.
AUTOSAVE_MS = 1000


def _content(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != "page"}


class DraftKeeper(QObject):
    """The draft of the intake being typed. ``payload`` (a bound method of
    the wizard) returns what is typed."""

    #: The draft could not be kept (a sentence for the general line).
    failed = Signal(str)

    def __init__(self, state: IntakeState, payload: Callable[[], dict],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        # Weakly: the wizard owns this keeper, and a strong reference back
        # would keep a destroyed wizard's Python object alive until the next
        # garbage collection.
        self._payload = weakref.WeakMethod(payload)
        self.draft_id: int | None = None
        self._pristine: dict = {}
        self.timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_now)
        state.edited.connect(self.timer.start)

    def payload(self) -> dict:
        return self._payload()()

    def start_afresh(self) -> None:
        """A new intake: nothing is kept until something differs from now."""
        self.timer.stop()
        self.draft_id = None
        self._pristine = _content(self.payload())

    def save_now(self) -> None:
        """Keep what is typed (only once something was typed)."""
        self.timer.stop()
        if self.state.saved is not None or not self.state.db.is_open:
            return
        payload = self.payload()
        if self.draft_id is None and _content(payload) == self._pristine:
            return
        try:
            self.draft_id = drafts.save_draft(self.state.db, drafts.INTAKE, payload,
                                              self.draft_id)
        except (StoreError, ValueError) as e:
            self.failed.emit(_("The draft could not be kept: {reason}").format(reason=e))

    def save_if_pending(self) -> None:
        if self.timer.isActive():
            self.save_now()

    def forget(self, deleted_by_save: bool = False) -> None:
        """The intake was saved (the admission deleted its draft in the same
        transaction) or discarded: its draft goes."""
        self.timer.stop()
        if self.draft_id is not None and not deleted_by_save:
            drafts.delete_draft(self.state.db, self.draft_id)
            self.draft_id = None

    def others(self) -> list[drafts.Draft]:
        return [d for d in drafts.list_drafts(self.state.db, drafts.INTAKE)
                if d.id != self.draft_id]

    def load(self, draft_id: int) -> drafts.Draft:
        return drafts.load_draft(self.state.db, draft_id)

    def delete(self, draft_id: int) -> None:
        drafts.delete_draft(self.state.db, draft_id)


def draft_time(at: datetime) -> str:
    if at.date() == date.today():
        return at.strftime("%H:%M")
    return f"{format_date(at.date())} {at.strftime('%H:%M')}"


class DraftsBar(QFrame):
    """"Resume the unfinished intake from 23:40?" above the pages."""

    #: Resume this draft (its id).
    resumeRequested = Signal(int)

    def __init__(self, keeper: DraftKeeper, parent=None):
        super().__init__(parent)
        self.keeper = keeper
        self.setObjectName("draftsBar")
        layout = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.combo = QComboBox()
        self.resume_button = wizard_button(_("Resume"))
        self.delete_button = wizard_button(_("Delete draft…"))
        self.resume_button.clicked.connect(self._resume)
        self.delete_button.clicked.connect(self.delete_selected)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.combo)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.delete_button)
        self.hide()

    def offer(self) -> None:
        """Show the unfinished intakes other than the one being typed."""
        found = self.keeper.others()
        self.combo.clear()
        for d in found:
            self.combo.addItem(draft_time(d.updated_at), d.id)
        if not found:
            self.hide()
            return
        if len(found) == 1:
            self.label.setText(_("Resume the unfinished intake from {time}?").format(
                time=draft_time(found[0].updated_at)))
        else:
            self.label.setText(_("There are {n} unfinished intakes. Resume one?").format(
                n=len(found)))
        self.combo.setVisible(len(found) > 1)
        self.show()

    def _resume(self) -> None:
        draft_id = self.combo.currentData()
        if draft_id is not None:
            self.resumeRequested.emit(draft_id)

    def delete_selected(self) -> None:
        draft_id = self.combo.currentData()
        if draft_id is None:
            return
        if not ask_yes_no(self, _("Delete draft"), _(
                "Delete the unfinished intake from {time}? What was typed in it is lost.")
                .format(time=self.combo.currentText())):
            return
        self.keeper.delete(draft_id)
        self.offer()
