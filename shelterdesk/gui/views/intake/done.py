"""After the save: the numbers she was saved under, her safety flags, the
intake and consent sheets to print, her record, the next admission. Not a
step of the wizard (no title, no Back)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from shelterdesk.core.models import Resident
from shelterdesk.gui.views.intake.page import wizard_button
from shelterdesk.gui.widgets.errors import error_label
from shelterdesk.gui.widgets.pickers import language_combo, set_combo, sheet_language
from shelterdesk.gui.widgets.safety_banner import SafetyBanner
from shelterdesk.i18n import _


class DonePage(QWidget):
    """Shown once the admission is saved (``state.saved``)."""

    #: "Open her record" (resident id).
    openRecord = Signal(int)
    #: "Start another admission".
    startAnother = Signal()

    def __init__(self, state, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        #: The last preview opened (kept by gui.dialogs.pdf_preview).
        self.preview = None
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setProperty("role", "lead")
        layout.addWidget(self.label)
        self.banner = SafetyBanner()
        layout.addWidget(self.banner)
        row = QHBoxLayout()
        self.print_intake_button = wizard_button(_("Print intake sheet…"))
        self.print_intake_button.clicked.connect(lambda: self.print_document("intake"))
        self.consent_language = language_combo(with_other=False)
        self.print_consent_button = wizard_button(_("Print consent sheet…"))
        self.print_consent_button.clicked.connect(lambda: self.print_document("consent"))
        row.addWidget(self.print_intake_button)
        row.addSpacing(20)
        row.addWidget(QLabel(_("Language of the consent sheet:")))
        row.addWidget(self.consent_language)
        row.addWidget(self.print_consent_button)
        row.addStretch(1)
        layout.addLayout(row)
        row2 = QHBoxLayout()
        self.open_record_button = wizard_button(_("Open her record"))
        self.open_record_button.clicked.connect(
            lambda: self.state.saved and self.openRecord.emit(self.state.saved[1]))
        self.new_intake_button = wizard_button(_("Start another admission"))
        self.new_intake_button.clicked.connect(self.startAnother)
        row2.addWidget(self.open_record_button)
        row2.addWidget(self.new_intake_button)
        row2.addStretch(1)
        layout.addLayout(row2)
        self.print_error = error_label()
        layout.addWidget(self.print_error)
        layout.addStretch(1)

    def show_saved(self, resident: Resident) -> None:
        stay_id, resident_id = self.state.saved
        self.label.setText(_("Saved. Resident no. {rid}, stay no. {sid}.").format(
            rid=resident_id, sid=stay_id))
        self.banner.set_flags(resident.safety)
        set_combo(self.consent_language, sheet_language(resident.language))

    def print_document(self, doc: str) -> None:
        """Build the intake or consent sheet in memory and open the preview
        (which prints or saves where the user chooses, audited there)."""
        if self.state.saved is None:
            return
        from shelterdesk.gui.dialogs.pdf_preview import open_stay_document
        open_stay_document(self, self.state.session, self.state.saved[0], doc,
                           self.consent_language, self.print_error)

    def first_focus(self):
        return self.print_intake_button
