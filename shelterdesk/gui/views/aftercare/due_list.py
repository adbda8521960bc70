"""アフターケア予定: open items by section (overdue, today, this week,
upcoming), filtered by assignee (staff or partner) and kind; a line opens her
record at the aftercare tab; Enter records its outcome. The hand-over
(export, results import) and the partners are reached from here.

One page of items is read at a time (``store.aftercare.due_page``); the
synthetic database's 200,000 items show their first page well under 100 ms."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.aftercare import DUE_SECTIONS, due_section
from shelterdesk.core.dates import format_date
from shelterdesk.gui import changes
from shelterdesk.gui.views import aftercare as aftercare_views
from shelterdesk.gui.views.aftercare.common import PARTNER, STAFF, assignee_combo, split
from shelterdesk.gui.widgets.errors import error_label
from shelterdesk.gui.widgets.pickers import code_combo
from shelterdesk.gui.widgets.rows import roomy
from shelterdesk.i18n import _
from shelterdesk.store import aftercare as aftercare_repo
from shelterdesk.store import partners as partners_repo

PAGE = 200


class DueListPage(QWidget):
    openRecord = Signal(int)

    def __init__(self, session, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        self.today = today
        layout = QVBoxLayout(self)
        title = QLabel(_("Aftercare due list"))
        title.setProperty("role", "title")
        layout.addWidget(title)
        filters = QHBoxLayout()
        self.assignee = assignee_combo(self.db, blank=_("Everyone"))
        self.kind = code_combo(codes.AFTERCARE_KIND, blank=_("All kinds"))
        for label, box in ((_("Assignee"), self.assignee), (_("Kind"), self.kind)):
            caption = QLabel(label)
            caption.setBuddy(box)
            filters.addWidget(caption)
            filters.addWidget(box)
            box.currentIndexChanged.connect(self.refresh)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.tree = roomy(QTreeWidget())
        self.tree.setHeaderLabels([_("Due date"), _("Name"), _("Kind"), _("Assignee"),
                                   _("Item no.")])
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setRootIsDecorated(False)
        self.tree.itemActivated.connect(self._activated)
        layout.addWidget(self.tree, 1)
        self.more = QLabel()
        layout.addWidget(self.more)
        actions = QHBoxLayout()
        self.open_button = QPushButton(_("Open her record"))
        self.open_button.clicked.connect(self.open_selected)
        self.outcome_button = QPushButton(_("Record the outcome…"))
        self.outcome_button.clicked.connect(self.record_outcome)
        self.export_button = QPushButton(_("Export for a partner…"))
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(_("Import results…"))
        self.import_button.clicked.connect(self.import_results)
        self.partners_button = QPushButton(_("Partners…"))
        self.partners_button.clicked.connect(self.partners)
        self.partners_button.setEnabled(session.account is not None and bool(
            session.account.roles & partners_repo.PARTNER_ROLES))
        for b in (self.open_button, self.outcome_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for b in (self.export_button, self.import_button, self.partners_button):
            actions.addWidget(b)
        layout.addLayout(actions)
        self.error = error_label()
        layout.addWidget(self.error)
        changes.hub().changed.connect(self._on_change)
        self.refresh()

    def _on_change(self, change: changes.Change) -> None:
        if self.db.is_open and change.touches(changes.AFTERCARE, changes.STAY,
                                              changes.RESIDENT, changes.ACCOUNT):
            self.refresh()

    def current_filter(self) -> aftercare_repo.DueFilter:
        kind, ident = split(self.assignee.currentData())
        return aftercare_repo.DueFilter(
            account_id=ident if kind == STAFF else None,
            partner_id=ident if kind == PARTNER else None,
            kind=self.kind.currentData())

    def refresh(self, *_a) -> None:
        today = self.today or date.today()
        f = self.current_filter()
        items = aftercare_repo.due_page(self.db, f, limit=PAGE)
        total = aftercare_repo.due_count(self.db, f) if len(items) == PAGE else len(items)
        self.tree.clear()
        sections = {}
        for key, heading in DUE_SECTIONS:
            head = QTreeWidgetItem([_(heading)])
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            sections[key] = head
        counts = dict.fromkeys(sections, 0)
        self.items = {i.id: i for i in items}
        rows = []
        for it in items:
            key = due_section(it.due_on, today)
            counts[key] += 1
            row = QTreeWidgetItem([format_date(it.due_on), it.display_name,
                                   codes.AFTERCARE_KIND.label(it.kind), it.assignee, str(it.id)])
            row.setData(0, Qt.ItemDataRole.UserRole, it.id)
            rows.append((key, row))
        for key, _heading in DUE_SECTIONS:
            head = sections[key]
            head.setText(0, f"{_(dict(DUE_SECTIONS)[key])} ({counts[key]})")
            self.tree.addTopLevelItem(head)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            for k, row in rows:
                if k == key:
                    self.tree.addTopLevelItem(row)
        for c in range(4):
            self.tree.resizeColumnToContents(c)
        self.more.setText(_("The first {n} of {total} open items are shown; filter to see "
                            "the others.").format(n=len(items), total=total)
                          if total > len(items) else "")
        first = next((r for _k, r in rows), None)
        if first is not None:
            self.tree.setCurrentItem(first)

    def selected(self):
        item = self.tree.currentItem()
        item_id = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return self.items.get(item_id) if item_id else None

    def _activated(self, item, _col) -> None:
        if item.data(0, Qt.ItemDataRole.UserRole):
            self.open_selected()

    def open_selected(self) -> None:
        it = self.selected()
        if it is not None:
            aftercare_views.request_tab(it.resident_id)
            self.openRecord.emit(it.resident_id)

    def record_outcome(self) -> None:
        it = self.selected()
        if it is None:
            return
        from shelterdesk.gui.views.aftercare.outcome import OutcomeDialog
        self.dialog = OutcomeDialog(self.session, it.id, self)
        self.dialog.open()

    def export(self) -> None:
        from shelterdesk.gui.views.aftercare.export import ExportDialog
        self.dialog = ExportDialog(self.session, self)
        self.dialog.open()

    def import_results(self) -> None:
        from shelterdesk.gui.views.aftercare.results import ResultsDialog
        self.dialog = ResultsDialog(self.session, self)
        self.dialog.open()

    def partners(self) -> None:
        from shelterdesk.gui.views.aftercare.partners import PartnersDialog
        self.dialog = PartnersDialog(self.session, self)
        self.dialog.open()
