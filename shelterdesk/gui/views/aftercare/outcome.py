"""Record what happened with one item: 実施, 不通, 日程変更, 要支援, 本人辞退 or 終結,
with its date and a note. 日程変更 asks for the new date (the follow-on item
is made with it); 不通 offers a retry three working days later; 終結 closes
the rest of her schedule after a confirmation. One store call, audited."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.gui.widgets.pickers import code_combo
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.i18n import _
from shelterdesk.store import aftercare as aftercare_repo


class OutcomeDialog(QDialog):
    def __init__(self, session, item_id: int, parent=None, *, ask=ask_yes_no):
        super().__init__(parent)
        self.setWindowTitle(_("Record the outcome"))
        self.db = session.db
        self.ask = ask
        self.item = aftercare_repo.get_item(self.db, item_id)
        it = self.item
        layout = QVBoxLayout(self)
        head = QLabel(_("Item no. {id}: {kind}, due {d}").format(
            id=it.id, kind=codes.AFTERCARE_KIND.label(it.kind), d=format_date(it.due_on)))
        head.setProperty("role", "section")
        layout.addWidget(head)
        self.form = ErrorForm()
        self.outcome = code_combo(codes.AFTERCARE_OUTCOME, blank=_("— choose —"))
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.done_on = DateEdit(value=date.today())
        self.new_date = DateEdit()
        self.retry = QCheckBox()
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        self.form.add_field("outcome", _("Outcome"), self.outcome)
        self.form.add_field("done_on", _("Date"), self.done_on)
        self.form.add_field("new_date", _("New date"), self.new_date)
        self.form.add_field(None, _("Retry"), self.retry)
        self.form.add_field("note", _("Note"), self.note)
        layout.addLayout(self.form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        self.ok_button = QPushButton(_("Save the outcome"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)
        self._outcome_changed()
        self.outcome.setFocus()

    def _outcome_changed(self, *_a) -> None:
        code = self.outcome.currentData()
        self.new_date.setEnabled(code == "rescheduled")
        self.retry.setEnabled(code == "not_reached")
        on = self.done_on.value_or_none() or date.today()
        self.retry.setText(_("Try again on {d}").format(
            d=format_date(aftercare_repo.next_retry_date(self.db, self.item.id, on))))
        self.retry.setChecked(code == "not_reached")

    def submit(self) -> bool:
        code = self.outcome.currentData()
        errors: list[FieldError] = []
        if self.done_on.problem():
            errors.append(FieldError("done_on", self.done_on.problem()))
        if code == "rescheduled" and self.new_date.problem():
            errors.append(FieldError("new_date", self.new_date.problem()))
        close_rest = False
        if code == "closed" and not errors:
            n = aftercare_repo.open_items_after(self.db, self.item.id)
            if n:
                close_rest = self.ask(self, _("Close her aftercare"), _(
                    "“Closed” ends her aftercare. Close the other {n} open items of her "
                    "schedule too?").format(n=n))
                if not close_rest:
                    return False
        on = None if errors else self.done_on.value_or_none()
        new = None if errors or code != "rescheduled" else self.new_date.value_or_none()
        note = self.note.toPlainText()

        def call():
            check(errors)
            return aftercare_repo.record_outcome(
                self.db, self.item.id, code, on, note, new_date=new,
                retry=code == "not_reached" and self.retry.isChecked(), close_rest=close_rest)

        return run_action(self, call, forms=[self.form], general=self.error,
                          changed=changes.change(changes.AFTERCARE,
                                                 resident_id=self.item.resident_id,
                                                 stay_id=self.item.stay_id),
                          done=lambda _r: self.accept())
