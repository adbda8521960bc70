"""Export the aftercare schedule for a partner, as an encrypted age file.

The dialog shows exactly what will leave before anything is written: the
people (those with a valid consent for that partner today), how many items
each, the fields, and who is excluded and why (an expired or withdrawn
consent). The file goes where the user chooses (a USB stick), is read back
and decrypted, and only then is "done" shown. A partner without an age key
gets a passphrase file: the passphrase is shown here once, to be told by
phone, and never stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.dates import format_date
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.i18n import _
from shelterdesk.store import partners as partners_repo
from shelterdesk.transfer import handover


class ExportDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Export aftercare for a partner"))
        self.session = session
        self.db = session.db
        layout = QVBoxLayout(self)
        self.form = ErrorForm()
        self.partner = QComboBox()
        for p in partners_repo.list_partners(self.db):
            self.partner.addItem(p.name, p.id)
        self.partner.currentIndexChanged.connect(self.show_preview)
        self.form.add_field("partner", _("Partner"), self.partner)
        layout.addLayout(self.form)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setTabChangesFocus(True)
        self.preview.setMinimumHeight(240)
        layout.addWidget(self.preview, 1)
        self.passphrase = QCheckBox(_("Encrypt with a passphrase instead of the partner's key"))
        self.passphrase.toggled.connect(self.show_preview)
        layout.addWidget(self.passphrase)
        self.file_form = ErrorForm()
        self.path = QLineEdit()
        self.choose_button = QPushButton(_("Choose…"))
        self.choose_button.clicked.connect(self.choose)
        self.file_form.add_field("path", _("File"), self.path, extra=self.choose_button)
        layout.addLayout(self.file_form)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setObjectName("exportResult")
        layout.addWidget(self.result)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        self.export_button = QPushButton(_("Export"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.submit)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        self.resize(820, 620)
        self.show_preview()
        self.partner.setFocus()

    def show_preview(self, *_a) -> None:
        pid = self.partner.currentData()
        self.handover = None
        if pid is None:
            self.preview.setPlainText(_("No partner is registered yet (Partners…)."))
            self.export_button.setEnabled(False)
            return
        h = handover.preview(self.db, pid)
        self.handover = h
        counts: dict[int, int] = {}
        for it in h.items:
            counts[it.resident_id] = counts.get(it.resident_id, 0) + 1
        lines = [_("What will leave: {people} people, {items} items.").format(
            people=len(h.people), items=len(h.items)), ""]
        lines += [_("{name} (resident no. {id}): {n} items").format(
            name=p.name, id=p.resident_id, n=counts.get(p.resident_id, 0)) for p in h.people]
        lines += ["", _("Fields: {list}").format(list="、".join(handover.FIELDS)),
                  _("Never: the facility's name or address, room or bed, health notes, "
                    "complaint, case notes.")]
        if h.excluded:
            lines += ["", _("Excluded (no valid consent today):")]
            for e in h.excluded:
                why = (_("consent expired on {d}") if e.reason == "expired"
                       else _("consent withdrawn on {d}")).format(d=format_date(e.on))
                lines.append(f"  {e.display_name} ({e.resident_id}): {why}")
        secret = handover.uses_passphrase(h.partner, self.passphrase.isChecked())
        lines += ["", _("Encrypted with a generated passphrase (shown once after the export).")
                  if secret else _("Encrypted to the partner's key and the facility's own key.")]
        self.preview.setPlainText("\n".join(lines))
        self.export_button.setEnabled(bool(h.people))

    def choose(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the encrypted file"), "aftercare.age", _("age files (*.age)"))
        if name:
            self.path.setText(name)

    def submit(self) -> bool:
        pid = self.partner.currentData()
        text = self.path.text().strip()
        errors = [] if text else [FieldError("path", _("Choose where to write the file."))]
        protect = [self.db.path]

        def call():
            check(errors)
            return handover.export(self.db, pid, Path(text),
                                   passphrase=self.passphrase.isChecked(), protect=protect)

        self.result.setText("")
        return run_action(self, call, forms=[self.file_form, self.form], general=self.error,
                          changed=changes.change(changes.AFTERCARE), done=self._done)

    def _done(self, res: handover.Exported) -> None:
        text = _("Done: {path} was written, read back and decrypted ({people} people, "
                 "{items} items).").format(path=res.path, people=res.people, items=res.items)
        if res.passphrase:
            text += "\n" + _("Passphrase — tell it to the partner by phone; it is shown only "
                             "now and never stored:") + f"\n{res.passphrase}"
        self.result.setText(text)
        self.export_button.setEnabled(False)
        self.close_button.setFocus()
