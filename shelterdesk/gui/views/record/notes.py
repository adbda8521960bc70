"""Her case notes (支援記録): the notes this account may read (the store
filters by role in its query: intake staff never receive a note meant for
caseworkers), a search within them, and writing a note or a correction.

A note is never edited: "Correct the selected note" writes a new note that
names the old one, and both are listed. A long note being typed is kept as a
draft in the encrypted database (store/drafts.py, kind ``case_note``) a
moment after each keystroke, so a crash or a power cut loses nothing; the
draft comes back when her record is opened again and is deleted once the note
is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import casework, codes
from shelterdesk.core.dates import format_date
from shelterdesk.gui import changes
from shelterdesk.gui.features import allowed
from shelterdesk.gui.operations import run_action
from shelterdesk.gui.views.record.base import RecordTab, fill_table, selected_id, table
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.gui.widgets.pickers import code_combo, set_combo
from shelterdesk.i18n import _
from shelterdesk.store import case_notes as repo
from shelterdesk.store import drafts

DRAFT_DELAY_MS = 800
#: What a new note's "who may read it" starts at: the narrowest audience a
#: caseworker writes for, so nothing reaches intake staff unless chosen.
DEFAULT_VISIBILITY = "caseworker"


class NotesTab(RecordTab):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        self.notes: list[repo.CaseNote] = []
        self.may_write = allowed(record.session.account, codes.CASEWORK)
        self.draft_id: int | None = None
        self.corrects_id: int | None = None
        self._restoring = False
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search her notes"))
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.load)
        self.search_button = QPushButton(_("Search"))
        self.search_button.clicked.connect(self.load)
        row.addWidget(self.search, 1)
        row.addWidget(self.search_button)
        layout.addLayout(row)
        self.table = table([_("No."), _("Date"), _("Category"), _("Author"), _("Who may read it"),
                            _("Correction")])
        self.table.itemSelectionChanged.connect(self.show_selected)
        layout.addWidget(self.table)
        self.reader = QTextBrowser()
        self.reader.setObjectName("noteReader")
        self.reader.setMinimumHeight(90)
        layout.addWidget(self.reader)

        self.editor = QWidget()
        box = QVBoxLayout(self.editor)
        box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(_("Write a note"))
        heading.setProperty("role", "section")
        box.addWidget(heading)
        self.correct_button = QPushButton(_("Correct the selected note"))
        self.correct_button.clicked.connect(self.start_correction)
        box.addWidget(self.correct_button)
        self.correcting = QLabel()
        self.correcting.setObjectName("correcting")
        self.correcting.hide()
        box.addWidget(self.correcting)
        self.form = ErrorForm()
        self.category = code_combo(codes.CASE_NOTE_CATEGORY)
        self.visible_to = QComboBox()
        held = record.session.account.roles if record.session.account else ()
        for code in casework.readable_visibilities(held):
            self.visible_to.addItem(casework.NOTE_VISIBILITY.label(code), code)
        set_combo(self.visible_to, DEFAULT_VISIBILITY)
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(120)
        self.form.add_field("category", _("Category"), self.category)
        self.form.add_field("visible_to", _("Who may read it"), self.visible_to)
        self.form.add_field("body", _("Record text"), self.body)
        self.form.add_field("corrects_id", "", QWidget())
        box.addLayout(self.form)
        self.draft_label = QLabel()
        self.draft_label.setObjectName("draftState")
        box.addWidget(self.draft_label)
        self.save_button = QPushButton(_("Save note"))
        self.save_button.clicked.connect(self.save)
        box.addWidget(self.save_button)
        layout.addWidget(self.editor)
        self.editor.setVisible(self.may_write)
        self.general_line = error_label()
        layout.addWidget(self.general_line)
        layout.addStretch(1)
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.keep_draft)
        self.body.textChanged.connect(self._typed)
        self.category.currentIndexChanged.connect(self._typed)
        self.visible_to.currentIndexChanged.connect(self._typed)

    # -- reading ---------------------------------------------------------------------

    # -- loading when shown: her record's open is one audited view; this
    # tab's records are another, audited when the person first looks at them.
    def fill(self) -> None:
        self._stale = True
        if self.isVisible():
            self.load()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", True):
            self.load()

    def _first_look(self) -> bool:
        """True the first time this tab shows her (the audited view)."""
        key = (self.record.resident_id, self.record.current_stay().id
               if self.record.current_stay() else None)
        first = getattr(self, "_seen", None) != key
        self._seen = key
        return first

    def load(self) -> None:
        self._stale = False
        rid = self.record.resident_id
        if rid is None:
            return
        self.notes = repo.notes_of(self.record.db, rid, self.search.text(),
                                   audit=self._first_look())
        rows = []
        for n in self.notes:
            fix = []
            if n.corrects_id:
                fix.append(_("corrects no. {id}").format(id=n.corrects_id))
            if n.corrected_by:
                fix.append(_("corrected by no. {ids}").format(
                    ids=", ".join(str(i) for i in n.corrected_by)))
            rows.append([str(n.id), format_date(n.on_date), codes.CASE_NOTE_CATEGORY.label(
                n.category), n.author_name, casework.NOTE_VISIBILITY.label(n.visible_to),
                "; ".join(fix)])
        fill_table(self.table, rows, [n.id for n in self.notes])
        self.reader.clear()
        if self.may_write and self.draft_id is None:
            self.restore_draft()

    def show_selected(self) -> None:
        nid = selected_id(self.table)
        note = next((n for n in self.notes if n.id == nid), None)
        self.reader.setPlainText(note.body if note else "")

    # -- writing -----------------------------------------------------------------------
    def start_correction(self) -> None:
        nid = selected_id(self.table)
        note = next((n for n in self.notes if n.id == nid), None)
        if note is None:
            return
        self.corrects_id = note.id
        set_combo(self.category, note.category)
        set_combo(self.visible_to, note.visible_to)
        self.body.setPlainText(note.body)
        self._show_correcting()
        self.body.setFocus()

    def _show_correcting(self) -> None:
        self.correcting.setText(_("Correcting note no. {id}: the old note is kept.").format(
            id=self.corrects_id) if self.corrects_id else "")
        self.correcting.setVisible(bool(self.corrects_id))

    def _note(self) -> repo.CaseNote:
        stay = self.record.current_stay()
        return repo.CaseNote(self.record.resident_id, self.category.currentData(),
                             self.body.toPlainText(), self.visible_to.currentData(),
                             stay.id if stay else None, corrects_id=self.corrects_id)

    def save(self) -> bool:
        if self.record.resident_id is None:
            return False
        note = self._note()
        draft_id = self.draft_id

        def call() -> None:
            repo.add_note(self.record.db, note)

        def done(_result) -> None:
            self.draft_timer.stop()
            if draft_id is not None:
                drafts.delete_draft(self.record.db, draft_id)
            self.draft_id, self.corrects_id = None, None
            self._restoring = True
            self.body.clear()
            set_combo(self.visible_to, DEFAULT_VISIBILITY)
            self._restoring = False
            self._show_correcting()
            self.draft_label.setText("")

        return run_action(self, call, forms=[self.form], general=self.general_line, done=done,
                          changed=self.her_change(changes.CASE_NOTE))

    # -- the draft -------------------------------------------------------------------
    def _typed(self, *_args) -> None:
        if not self._restoring and self.may_write:
            self.draft_timer.start()

    def keep_draft(self) -> None:
        rid = self.record.resident_id
        if rid is None or not self.record.db.is_open:
            return
        if not self.body.toPlainText().strip() and self.draft_id is None:
            return
        payload = {"resident_id": rid, "category": self.category.currentData(),
                   "visible_to": self.visible_to.currentData(),
                   "body": self.body.toPlainText(), "corrects_id": self.corrects_id}
        self.draft_id = drafts.save_draft(self.record.db, repo.DRAFT_KIND, payload,
                                          self.draft_id)
        self.draft_label.setText(_("Draft kept."))

    def restore_draft(self) -> None:
        rid = self.record.resident_id
        mine = [d for d in drafts.list_drafts(self.record.db, repo.DRAFT_KIND)
                if d.payload.get("resident_id") == rid]
        if not mine:
            return
        d = mine[0]
        self._restoring = True
        try:
            self.draft_id = d.id
            set_combo(self.category, d.payload.get("category"))
            set_combo(self.visible_to, d.payload.get("visible_to"))
            self.body.setPlainText(str(d.payload.get("body", "")))
            cid = d.payload.get("corrects_id")
            self.corrects_id = cid if isinstance(cid, int) else None
        finally:
            self._restoring = False
        self._show_correcting()
        self.draft_label.setText(_("An unsaved note was restored from {when}.").format(
            when=d.updated_at.strftime("%Y/%m/%d %H:%M")))
