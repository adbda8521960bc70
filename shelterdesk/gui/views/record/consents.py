"""Her consents: who may be told what, since when and until when; adding
one, and recording that she withdrew one (never deleted: the history of what
she agreed to stays)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.record.base import RecordTab, fill_table, selected_id, table
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.gui.widgets.resident_fields import ConsentFields
from shelterdesk.i18n import _
from shelterdesk.store import residents as residents_repo


class ConsentsTab(RecordTab):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        layout = QVBoxLayout(self)
        self.table = table([_("No."), _("Scope"), _("Recipient"), _("Given on"),
                            _("Expires on"), _("Withdrawn on"), _("Valid today")])
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.withdraw_button = QPushButton(_("Withdraw selected consent…"))
        self.withdraw_button.clicked.connect(self.withdraw)
        row.addStretch(1)
        row.addWidget(self.withdraw_button)
        layout.addLayout(row)
        heading = QLabel(_("Add a consent"))
        heading.setProperty("role", "section")
        layout.addWidget(heading)
        self.form = ErrorForm()
        self.consent_fields = ConsentFields(self.form)
        self.scope, self.recipient = self.consent_fields.scope, self.consent_fields.recipient
        layout.addLayout(self.form)
        self.add_button = QPushButton(_("Add consent"))
        self.add_button.clicked.connect(self.add)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        self.general_line = error_label()
        layout.addWidget(self.general_line)
        layout.addStretch(1)

    def fill(self) -> None:
        today = date.today()
        consents = self.record.consents
        rows = [[str(k.id), codes.CONSENT_SCOPE.label(k.scope), k.recipient,
                 format_date(k.given_on), format_date(k.expires_on), format_date(k.withdrawn_on),
                 _("yes") if k.valid_on(today) else _("no")] for k in consents]
        fill_table(self.table, rows, [k.id for k in consents])

    def add(self) -> bool:
        record = self.record
        if record.resident is None:
            return False
        consent = self.consent_fields.consent(resident_id=record.resident.id)

        def call() -> None:
            check(self.consent_fields.problems())
            residents_repo.insert_consent(record.db, consent)

        return run_action(self, call, forms=[self.form], general=self.general_line,
                          done=lambda _result: self.consent_fields.clear_for_next(),
                          changed=self.her_change(changes.RESIDENT))

    def withdraw(self) -> bool:
        consent_id = selected_id(self.table)
        consent = next((c for c in self.record.consents if c.id == consent_id), None)
        if consent is None or consent.withdrawn_on is not None:
            return False
        today = date.today()
        if not ask_yes_no(self, _("Withdraw consent"),
                          _("Record that she withdrew this consent today ({d})?").format(
                              d=format_date(today))):
            return False
        return run_action(
            self, lambda: residents_repo.withdraw_consent(self.record.db, consent.id, today),
            general=self.general_line, changed=self.her_change(changes.RESIDENT))
