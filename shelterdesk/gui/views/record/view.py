"""Her record as a page: header, actions, and the tabs listed in .tabs.

Why each part is here:
- Opening the record is a view of her personal data and is audited
  (store.residents.get_resident); reloading after an edit is not a new view.
- The red safety band stays at the top whatever tab is open.
- Resident and stay numbers are shown because the command line
  (``shelterdesk print … --stay ID``) and paper forms refer to them.
- What is still missing after intake (no bed, no consent, no kana…) is listed
  at the top (core.completeness), so a stay saved in a hurry at night is
  completed the next morning.
- Every edit is validated by the store; messages appear next to the field
  and nothing is written when any field is wrong (each tab, see base.py).
- The page reloads itself when the change hub (gui/changes.py) reports a
  change of hers: a tab's own save, a discharge, a bed move, a save on
  another page. It never reloads by hand after a save, so it reloads once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.dates import format_date
from shelterdesk.gui import changes
from shelterdesk.gui.operations import run_action
from shelterdesk.gui.views.record import tabs as tab_list
from shelterdesk.gui.views.record.base import RecordTab
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.buttons import enter_presses_buttons
from shelterdesk.gui.widgets.errors import error_label
from shelterdesk.gui.widgets.pickers import language_combo, set_combo, sheet_language
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.gui.widgets.safety_banner import SafetyBanner
from shelterdesk.i18n import _
from shelterdesk.store import rooms
from shelterdesk.store import stays as stays_repo


def _scroll(inner: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(inner)
    return area


class RecordView(QWidget):
    #: A stay of hers was closed (stay_id): the aftercare step hooks in here.
    discharged = Signal(int)
    #: "Back to the list" (the main window removes the page: no record stays open).
    closed = Signal()

    def __init__(self, session, parent: QWidget | None = None, resident_id: int | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        self.record = RecordState(session)

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back_button = QPushButton(_("← Back to the list"))
        self.back_button.clicked.connect(self.closed)
        top.addWidget(self.back_button)
        top.addStretch(1)
        outer.addLayout(top)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.title)
        self.ids_label = QLabel()
        self.ids_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.ids_label)
        self.banner = SafetyBanner()
        outer.addWidget(self.banner)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setObjectName("missing")
        outer.addWidget(self.missing_label)
        actions = QHBoxLayout()
        self.discharge_button = QPushButton(_("Discharge…"))
        self.move_button = QPushButton(_("Move to another bed…"))
        self.print_intake_button = QPushButton(_("Print intake sheet…"))
        self.consent_language = language_combo(with_other=False)
        self.print_consent_button = QPushButton(_("Print consent sheet…"))
        self.undo_discharge_button = QPushButton(_("Undo discharge…"))
        self.undo_discharge_button.setToolTip(_("For a discharge entered by mistake "
                                                "(managers and administrators)."))
        self.discharge_button.clicked.connect(self.discharge_open_stay)
        self.undo_discharge_button.clicked.connect(self.undo_discharge)
        self.move_button.clicked.connect(self.move_bed)
        self.print_intake_button.clicked.connect(lambda: self.print_document("intake"))
        self.print_consent_button.clicked.connect(lambda: self.print_document("consent"))
        for button in (self.discharge_button, self.undo_discharge_button, self.move_button,
                       self.print_intake_button):
            actions.addWidget(button)
        actions.addWidget(self.consent_language)
        actions.addWidget(self.print_consent_button)
        actions.addStretch(1)
        outer.addLayout(actions)
        self.action_error = error_label()
        outer.addWidget(self.action_error)

        self.tabs = QTabWidget()
        self.record_tabs: list[RecordTab] = []
        for entry in tab_list.tabs_for(session):
            tab = entry.tab(self.record)
            area = _scroll(tab)
            tab.reveal.connect(lambda area=area: self.tabs.setCurrentWidget(area))
            self.tabs.addTab(area, _(entry.title))
            self.record_tabs.append(tab)
            if hasattr(tab, "after_discharge"):  # e.g. the aftercare schedule step
                self.discharged.connect(tab.after_discharge)
        outer.addWidget(self.tabs, 1)
        enter_presses_buttons(self)  # Enter on a focused button, as Space
        changes.hub().changed.connect(self.on_change)
        if resident_id is not None:
            self.open_resident(resident_id)

    def tab(self, kind: type[RecordTab]) -> RecordTab | None:
        """The tab of that class (None when this staff member does not see it)."""
        return next((t for t in self.record_tabs if isinstance(t, kind)), None)

    def show_tab(self, name: str) -> bool:
        """Bring the tab whose class is named ``name`` to the front (the Today
        page opens "the right tab of the right record"); False if not shown."""
        for i, tab in enumerate(self.record_tabs):
            if type(tab).__name__ == name:
                self.tabs.setCurrentIndex(i)
                return True
        return False

    def focus_tab(self, target: int | None = None) -> None:
        """The focus on the current tab's first useful widget (``target``: what
        to select in it, e.g. a milestone's id), not on "back to the list"."""
        index = self.tabs.currentIndex()
        if 0 <= index < len(self.record_tabs):
            self.record_tabs[index].focus_first(target)

    # -- loading ---------------------------------------------------------------------
    def open_resident(self, resident_id: int) -> None:
        """Show her record; this is the audited view."""
        self.record.load(resident_id, audit=True)
        self.show_record()
        self.tabs.setCurrentIndex(0)

    def reload(self) -> None:
        """Read her record again (not a new view: not audited)."""
        self.record.load(self.record.resident_id, audit=False)
        self.show_record()

    def concerns_her(self, change: changes.Change) -> bool:
        record = self.record
        if record.resident is None or not self.db.is_open:  # a page left over after a lock
            return False
        if change.resident_id == record.resident_id or changes.IMPORT in change.kinds:
            return True
        return change.touches(changes.STAY, changes.BED) and \
            change.stay_id in {s.id for s in record.stays}

    def on_change(self, change: changes.Change) -> None:
        if self.concerns_her(change):
            self.reload()

    def show_record(self) -> None:
        record = self.record
        r = record.resident
        title = r.display_name or "—"
        if r.alias and r.legal_name:
            title = f"{r.alias}（{r.legal_name}）"
        if r.kana:
            title += f"  {r.kana}"
        self.title.setText(title)
        stay_bits = []
        for s in record.stays:
            state = _("open") if s.discharged_on is None else _("closed")
            stay_bits.append(f"{s.id} ({state})")
        self.ids_label.setText(_("Resident no. {id}").format(id=r.id) + " · " +
                               _("Stays: {list}").format(list=", ".join(stay_bits) or "—"))
        self.banner.set_flags(r.safety)
        for tab in self.record_tabs:
            tab.fill()
        items = record.missing()
        self.missing_label.setText(_("Still missing: {items}").format(items="、".join(items))
                                   if items else "")
        self.missing_label.setVisible(bool(items))
        open_stay = record.open_stay()
        self.discharge_button.setEnabled(open_stay is not None)
        self.undo_discharge_button.setVisible(self._may_undo_discharge())
        self.move_button.setEnabled(open_stay is not None)
        has_stay = bool(record.stays)
        self.print_intake_button.setEnabled(has_stay)
        self.print_consent_button.setEnabled(has_stay)
        set_combo(self.consent_language, sheet_language(r.language))

    # -- actions on her open stay ------------------------------------------------------
    def discharge_open_stay(self) -> None:
        s = self.record.open_stay()
        if s is None:
            return
        from shelterdesk.gui.dialogs.discharge import DischargeDialog
        dialog = DischargeDialog(self.session, s.id, self)
        dialog.discharged.connect(self._after_discharge)
        self.discharge_dialog = dialog
        dialog.open()

    def _after_discharge(self, stay_id: int) -> None:
        """The dialog announced the change (the record reloads from the hub);
        the stay's end is passed on for the features that follow a discharge."""
        self.discharged.emit(stay_id)

    def _may_undo_discharge(self) -> bool:
        account = self.session.account
        stays = self.record.stays
        return (account is not None and bool(account.roles & {"manager", "admin"})
                and bool(stays) and stays[0].discharged_on is not None)

    def undo_discharge(self) -> bool:
        """Reopen her most recent stay (a manager's action, audited by the
        store): into her old bed when the occupancy rule still leaves it free,
        otherwise without a bed, and the bed is then chosen at once."""
        if not self._may_undo_discharge():
            return False
        stay = self.record.stays[0]
        who = self.record.resident.display_name or "—"
        if not ask_yes_no(self, _("Undo discharge"),
                          _("Undo the discharge of {name} on {date} and reopen stay no. {id}?")
                          .format(name=who, date=format_date(stay.discharged_on), id=stay.id)):
            return False
        bed = None
        if stay.bed_id is not None and rooms.bed_refusal(self.db, stay.bed_id, stay.id):
            if not ask_yes_no(self, _("Undo discharge"),
                              _("Her bed is no longer free. Reopen the stay without a bed and "
                                "choose another bed now?"), default_yes=True):
                return False
            bed = -1
        change = changes.change(changes.STAY, changes.BED, resident_id=stay.resident_id,
                                stay_id=stay.id)
        done = (lambda _r: self.move_bed()) if bed == -1 else None
        return run_action(self, lambda: stays_repo.undo_discharge(self.session, stay.id, bed),
                          general=self.action_error, changed=change, done=done)

    def move_bed(self) -> None:
        s = self.record.open_stay()
        if s is None:
            return
        from shelterdesk.gui.views.bed_board import MoveBedDialog
        dialog = MoveBedDialog(self.session, s.id, self)
        self.move_dialog = dialog
        dialog.open()

    def print_document(self, doc: str) -> None:
        s = self.record.selected_stay() or self.record.current_stay()
        if s is None:
            return
        from shelterdesk.gui.dialogs.pdf_preview import open_stay_document
        open_stay_document(self, self.session, s.id, doc, self.consent_language,
                           self.action_error)
