"""The admission wizard of the intake desk: the pages in order, the keyboard,
the save.

Why it looks like this: a frightened woman arrives, often at night, often with
children and a police officer beside her. Registering her must be fast, usable
with the keyboard alone, forgiving of what is not yet known, and must never
lose what was typed:

- Tab walks the fields in reading order; Enter advances (on the children and
  consent sub-forms Enter first adds the child/consent being typed); Esc asks
  before discarding; Ctrl+S saves.
- Only the essentials are required. Children, safety, consents and the bed may
  be completed later on the record screen, which shows what is still missing.
- Everything typed is kept as a draft inside the encrypted database
  (intake/drafts.py), about a second after typing stops and on every page
  change, so a crash or a power cut loses nothing.
- Readmission (intake/readmission.py): an earlier resident with the same kana
  and birth date is shown and staff must say "same person" or "a different
  person"; the wizard never merges or duplicates silently.

Each page (intake/page.py and one module per page) owns its widgets, fills
them from a draft, reads them into the admission and says whether it may be
left; the pages share only intake/state.py. This class only walks the pages in
the order of ``self.pages`` and saves: never test which page is shown by its
number or reach into a page's widgets from here. It holds no SQL.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.intake.children import ChildrenPage
from shelterdesk.gui.views.intake.done import DonePage
from shelterdesk.gui.views.intake.drafts import DraftKeeper, DraftsBar
from shelterdesk.gui.views.intake.essentials import EssentialsPage
from shelterdesk.gui.views.intake.page import IntakePage, wizard_button
from shelterdesk.gui.views.intake.review import ReviewPage
from shelterdesk.gui.views.intake.room import RoomPage
from shelterdesk.gui.views.intake.safety import SafetyPage
from shelterdesk.gui.views.intake.state import IntakeData, IntakeState
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.i18n import _
from shelterdesk.store import stays
from shelterdesk.store.errors import StoreError

#: The version of the draft payload (the pages' ``draft()`` parts).
DRAFT_VERSION = 1


def page_area(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


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
        self.state = IntakeState(session, self)
        self.essentials_page = EssentialsPage(self.state)
        self.children_page = ChildrenPage(self.state)
        self.safety_page = SafetyPage(self.state)
        self.room_page = RoomPage(self.state)
        self.review_page = ReviewPage(self.state)
        #: The steps, in order (Next and Back walk this list).
        self.pages: list[IntakePage] = [self.essentials_page, self.children_page,
                                        self.safety_page, self.room_page, self.review_page]
        self.done_page = DonePage(self.state)
        self.done_page.openRecord.connect(self.openRecord)
        self.done_page.startAnother.connect(self.reset)
        self.drafts = DraftKeeper(self.state, self.draft_payload, self)
        self.drafts.failed.connect(lambda message: set_error(self.general_error, message))

        outer = QVBoxLayout(self)
        self.title = QLabel(_("New admission"))
        self.title.setProperty("role", "title")
        outer.addWidget(self.title)
        self.steps = QLabel()
        self.steps.setProperty("role", "hint")
        outer.addWidget(self.steps)
        self.drafts_bar = DraftsBar(self.drafts)
        self.drafts_bar.resumeRequested.connect(self.resume_draft)
        outer.addWidget(self.drafts_bar)

        self.stack = QStackedWidget()
        self._areas: dict[QWidget, QScrollArea] = {}
        for page in [*self.pages, self.done_page]:
            self._areas[page] = page_area(page)
            self.stack.addWidget(self._areas[page])
        outer.addWidget(self.stack, 1)
        self._current: QWidget = self.essentials_page

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

        for page in self.pages:
            page.watch_edits()
        self.drafts.start_afresh()
        self.go_to(self.essentials_page, save=False)
        self.drafts_bar.offer()

    # ======================================================================
    # what the pages hold
    # ======================================================================
    def collect(self) -> IntakeData:
        """The admission as the pages hold it now, with every open problem."""
        data = self.state.new_data()
        for page in self.pages:
            page.read(data)
        data.problems = [e for page in self.pages for e in page.problems(data)]
        return data

    def draft_payload(self) -> dict:
        """Everything typed, as JSON-able data (the draft's payload)."""
        payload = {"version": DRAFT_VERSION, "page": self._page_index()}
        for page in self.pages:
            payload |= page.draft()
        return payload

    def restore(self, payload: dict) -> None:
        """Fill the pages from a draft's payload and show the page it was on."""
        self.state.restoring = True
        try:
            for page in self.pages:
                page.fill(payload)
        finally:
            self.state.restoring = False
        index = min(max(int(payload.get("page", 0)), 0), len(self.pages) - 1)
        self.go_to(self.pages[index], save=False)

    # ======================================================================
    # navigation and keyboard
    # ======================================================================
    def current_page(self) -> QWidget:
        """The page shown (one of ``pages``, or ``done_page`` once saved)."""
        return self._current

    def _page_index(self) -> int:
        current = self._current
        return self.pages.index(current) if current in self.pages else len(self.pages) - 1

    def next_page(self) -> IntakePage | None:
        """The page Next leads to (None on the last step and once saved)."""
        if self._current not in self.pages:
            return None
        index = self.pages.index(self._current) + 1
        return self.pages[index] if index < len(self.pages) else None

    def previous_page(self) -> IntakePage | None:
        if self._current not in self.pages:
            return None
        index = self.pages.index(self._current) - 1
        return self.pages[index] if index >= 0 else None

    def go_to(self, page: QWidget, save: bool = True,
              errors: list[FieldError] | None = None) -> None:
        """Show ``page`` (the draft is kept first); with ``errors`` the first
        field in error gets the cursor instead of the page's first field."""
        if save and self.state.saved is None:
            self.drafts.save_now()
        if isinstance(page, IntakePage):
            page.enter(self.collect())
        self._current = page
        self.stack.setCurrentWidget(self._areas[page])
        step = page in self.pages
        self.back_button.setVisible(step)
        self.next_button.setVisible(step and self.next_page() is not None)
        self.save_button.setVisible(step)
        self.discard_button.setVisible(step)
        self.back_button.setEnabled(self.previous_page() is not None)
        parts = []
        for i, each in enumerate(self.pages):
            label = html.escape(f"{i + 1}. {_(each.title)}")
            parts.append(f"<b>[{label}]</b>" if each is page else label)
        self.steps.setText(" › ".join(parts) if step else "")
        QTimer.singleShot(0, lambda: self._focus(page, errors))

    def _focus(self, page: QWidget, errors: list[FieldError] | None) -> None:
        if page is not self._current:
            return
        if page is self.pages[0] and not self.drafts_bar.isHidden():
            target = self.drafts_bar.resume_button
        elif page is self.review_page:
            target = self.save_button
        else:
            target = page.first_focus()
        if target is not None:
            target.setFocus()
        if errors and isinstance(page, IntakePage):
            page.show_errors(errors, focus=True)  # the first field in error

    def advance(self) -> None:
        """Next: the page finishes what is half-typed and may refuse."""
        page, following = self._current, self.next_page()
        if following is None:
            return
        if not page.leave(self.collect()):
            return
        self.go_to(following)

    def back(self) -> None:
        previous = self.previous_page()
        if previous is not None:
            self.go_to(previous)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            page = self._current
            if isinstance(focus, QAbstractButton) and not isinstance(focus, QCheckBox):
                focus.click()
            elif page in self.pages and not page.enter_key():
                if self.next_page() is None:
                    self.save()
                else:
                    self.advance()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            event.accept()
            if self._current in self.pages:
                self.ask_discard()
            return
        super().keyPressEvent(event)

    # ======================================================================
    # saving
    # ======================================================================
    def save(self) -> bool:
        """Save the admission: one store call (store.stays.admit: all of it,
        or nothing). A problem goes beside its field, on its page; what no page
        holds goes to the general line. On success the draft is deleted and the
        printing page is shown."""
        if self.state.saved is not None:
            return False
        data = self.collect()

        def admit() -> stays.Stay:
            check(self.essentials_page.local_problems())
            return stays.admit(self.db, data.admission(), draft_id=self.drafts.draft_id)

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                self._show_page_of(error.errors)

        return run_action(self, admit, forms=self.pages, general=self.general_error,
                          done=lambda stay: self._admitted(stay, data), failed=failed)

    def _show_page_of(self, errors: list[FieldError]) -> None:
        """Go to the first page holding one of ``errors``, its field focused."""
        page = next((p for p in self.pages if any(p.holds(e) for e in errors)), None)
        if page is not None:
            self.go_to(page, save=False, errors=[e for e in errors if page.holds(e)])

    def _admitted(self, stay: stays.Stay, data: IntakeData) -> None:
        self.drafts.forget(deleted_by_save=True)
        self.state.saved = (stay.id, stay.resident_id)
        # Announced here rather than by run_action: the ids exist only now.
        changes.announce(changes.change(changes.RESIDENT, changes.STAY, changes.BED,
                                        resident_id=stay.resident_id, stay_id=stay.id))
        self.done_page.show_saved(data.resident)
        self.go_to(self.done_page, save=False)
        self.admitted.emit(stay.id, stay.resident_id)

    @property
    def saved_stay_id(self) -> int | None:
        return self.state.saved[0] if self.state.saved else None

    # ======================================================================
    # drafts, discard and reset
    # ======================================================================
    def save_draft_now(self) -> None:
        self.drafts.save_now()

    def resume_draft(self, draft_id: int) -> None:
        try:
            draft = self.drafts.load(draft_id)
        except StoreError as e:
            set_error(self.general_error, str(e))
            self.drafts_bar.offer()
            return
        if self.drafts.draft_id not in (None, draft.id):
            # What was typed before resuming stays as its own draft.
            self.drafts.save_now()
        self.reset(offer_drafts=False)
        self.drafts.draft_id = draft.id
        self.restore(draft.payload)
        self.drafts_bar.offer()

    def ask_discard(self) -> bool:
        """Esc or Discard: ask first, then delete the draft and start over."""
        if not ask_yes_no(self, _("Discard this admission?"), _(
                "Discard this admission? Everything typed for it, including its saved draft, "
                "is deleted.")):
            return False
        self.drafts.forget()
        self.reset()
        self.discarded.emit()
        return True

    def reset(self, offer_drafts: bool = True) -> None:
        """An empty wizard for the next arrival (the same widget, no rebuild)."""
        self.drafts.timer.stop()
        self.state.restoring = True
        try:
            self.state.reset()
            for page in self.pages:
                page.clear()
        finally:
            self.state.restoring = False
        for page in self.pages:
            page.clear_errors()
        set_error(self.general_error, "")
        self.drafts.start_afresh()
        if offer_drafts:
            self.drafts_bar.offer()
        self.go_to(self.essentials_page, save=False)

    def hideEvent(self, event) -> None:
        # Leaving the page (or locking) must not lose the last second of typing.
        self.drafts.save_if_pending()
        super().hideEvent(event)
