"""Partners (市町村の担当課, 児童相談所, …): name, age recipient (``age1…``,
checked), extra closure days (municipal calendars differ), note. Managers and
administrators edit them; the store refuses anyone else."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.aftercare import Partner
from shelterdesk.core.dates import DateFormatError, parse_date
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.i18n import _
from shelterdesk.store import partners as partners_repo


def parse_closures(text: str) -> tuple[list, list[FieldError]]:
    days, errors = [], []
    for part in (p for p in re.split(r"[,、\s]+", text.strip()) if p):
        try:
            days.append(parse_date(part))
        except DateFormatError as e:
            errors.append(FieldError("closures", str(e)))
    return days, errors


class PartnersDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Partners"))
        self.session = session
        self.db = session.db
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._selected)
        left.addWidget(self.list, 1)
        self.new_button = QPushButton(_("New partner"))
        self.new_button.clicked.connect(self.new)
        left.addWidget(self.new_button)
        layout.addLayout(left, 1)
        right = QVBoxLayout()
        self.form = ErrorForm()
        self.name = QLineEdit()
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("age1…")
        self.closures = QLineEdit()
        self.closures.setPlaceholderText(_("e.g. 2027-01-04, 2027-05-15"))
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.form.add_field("name", _("Name"), self.name)
        self.form.add_field("recipient", _("age recipient (public key)"), self.recipient)
        self.form.add_field("closures", _("Extra closure days"), self.closures)
        self.form.add_field("note", _("Note"), self.note)
        right.addLayout(self.form)
        self.error = error_label()
        right.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        self.save_button = QPushButton(_("Save partner"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        right.addStretch(1)
        layout.addLayout(right, 2)
        self.editing: int | None = None
        self.load()
        self.resize(820, 420)
        self.name.setFocus()

    def load(self, select: int | None = None) -> None:
        self.partners = {p.id: p for p in partners_repo.list_partners(self.db)}
        self.list.clear()
        for p in self.partners.values():
            item = QListWidgetItem(p.name + ("" if p.recipient else "  " + _("(passphrase)")))
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            self.list.addItem(item)
            if p.id == select:
                self.list.setCurrentItem(item)

    def _selected(self, item, _prev=None) -> None:
        p = self.partners.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        if p is None:
            return
        self.editing = p.id
        self.name.setText(p.name)
        self.recipient.setText(p.recipient)
        self.closures.setText(", ".join(d.isoformat() for d in p.closures))
        self.note.setPlainText(p.note)

    def new(self) -> None:
        self.editing = None
        self.list.setCurrentItem(None)
        for w in (self.name, self.recipient, self.closures):
            w.clear()
        self.note.clear()
        self.name.setFocus()

    def save(self) -> bool:
        days, errors = parse_closures(self.closures.text())
        p = Partner(self.editing, self.name.text(), self.recipient.text(),
                    self.note.toPlainText(), tuple(days))

        def call():
            check(errors)
            return partners_repo.save_partner(self.session, p)

        return run_action(self, call, forms=[self.form], general=self.error,
                          changed=changes.change(changes.AFTERCARE), done=self.load)
