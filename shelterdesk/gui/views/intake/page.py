"""What every page of the admission wizard answers to (Calibre's
``gui2/wizard`` QWizardPage is the model: each page builds its widgets, fills
them, reads them and says whether it may be left).

A page talks to the wizard only through this interface and the shared
:class:`~shelterdesk.gui.views.intake.state.IntakeState`; it never reads
another page's widgets. What it needs from earlier pages (her surname for the
child form, the number of children for the room) comes as the
:class:`~shelterdesk.gui.views.intake.state.IntakeData` handed to
:meth:`IntakePage.enter`.

The order of each page's rows and buttons is the keyboard order staff rely on
at night; do not reorder them, and add new rows where Tab should reach them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPushButton, QWidget

from shelterdesk.core.validation import FieldError
from shelterdesk.gui.views.intake.state import IntakeData, IntakeState


def wizard_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(True)  # Enter on a focused button presses it, as in a dialog
    return button


def numbered_errors(errors: list[FieldError], word: str) -> str:
    """``children[0].birth_date`` → "Child 1: …", one line each."""
    lines = []
    for e in errors:
        n = int(e.field[e.field.index("[") + 1:e.field.index("]")]) + 1
        lines.append(f"{word} {n}: {e.message}")
    return "\n".join(lines)


class IntakePage(QWidget):
    """One step of the wizard. Subclasses override what applies to them."""

    #: The step's name in the steps line (an ``N_()`` msgid).
    title = ""

    def __init__(self, state: IntakeState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state

    def watch_edits(self) -> None:
        """Every line, list and tick on the page tells the state it was edited
        (so the draft is kept); call once the page is built. Widgets added
        later (her earlier children) connect themselves."""
        for edit in self.findChildren(QLineEdit):
            edit.textChanged.connect(self.state.touched)
        for box in self.findChildren(QComboBox):
            box.currentIndexChanged.connect(self.state.touched)
        for tick in self.findChildren(QCheckBox):
            tick.toggled.connect(self.state.touched)

    # -- the draft ---------------------------------------------------------------
    def draft(self) -> dict:
        """This page's part of the draft payload (JSON-able; the keys are the
        payload's version 1 keys and must stay readable)."""
        return {}

    def fill(self, draft: dict) -> None:
        """Show what ``draft`` (a whole payload) holds for this page. Called
        with ``state.restoring`` set, in page order."""

    def clear(self) -> None:
        """Empty for the next arrival (``state.restoring`` is set)."""

    # -- the admission ---------------------------------------------------------------
    def read(self, data: IntakeData) -> None:
        """Write this page's part of the admission onto ``data``."""

    def problems(self, data: IntakeData) -> list[FieldError]:
        """What must be put right before this page may be left (not shown)."""
        return []

    # -- errors (the targets of gui.operations.run_action) -------------------------------
    def show_errors(self, errors: list[FieldError], prefix: str = "",
                    focus: bool = True) -> list[FieldError]:
        """Show the errors whose field is on this page; return the others."""
        return list(errors)

    def clear_errors(self) -> None:
        self.show_errors([], focus=False)

    def holds(self, error: FieldError) -> bool:
        """True when ``error`` names a field on this page."""
        return False

    # -- navigation ---------------------------------------------------------------------
    def enter(self, data: IntakeData) -> None:
        """About to be shown; ``data`` is what the pages hold now."""

    def leave(self, data: IntakeData) -> bool:
        """Asked before going on: finish what is half-typed, show what is
        wrong beside its field. False keeps the wizard on this page."""
        errors = self.problems(data)
        self.show_errors(errors)
        return not errors

    def enter_key(self) -> bool:
        """Enter pressed on this page outside a button: True when the page
        used it (e.g. to add the child being typed); otherwise the wizard goes
        on."""
        return False

    def first_focus(self) -> QWidget | None:
        """Where the cursor goes when the page is shown."""
        return None
