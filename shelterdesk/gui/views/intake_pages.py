"""Plugs the intake desk (issue 3) into the main window: the admission wizard,
the rooms and beds board and the ledger import. (Her record, the editable
RecordView, is opened by ``MainWindow.open_resident``.)

Why a separate module: the main window stays the one place that lists pages
(``build_pages`` calls :func:`install`), while everything that ties the intake
pages to each other (a saved admission refreshes the list and the board,
"open her record" from the board or the wizard) lives with those pages.
"""

from __future__ import annotations

from PySide6.QtGui import QAction

from shelterdesk.gui.views.bed_board import BedBoard
from shelterdesk.gui.views.intake.wizard import IntakeWizard
from shelterdesk.i18n import _
from shelterdesk.store.ledger_import import IMPORT_ROLES


def install(win, session) -> None:
    """Add the intake pages for ``session`` to ``win`` (a MainWindow)."""
    account = session.account
    wizard = IntakeWizard(session, win.stack)
    wizard.admitted.connect(lambda _sid, _rid: win.refresh_pages())
    wizard.openRecord.connect(win.open_resident)
    win.add_page("intake", _("New admission"), wizard)

    board = BedBoard(session, win.stack)
    board.openResident.connect(win.open_resident)
    board.moved.connect(lambda _sid: win.refresh_pages())
    win.add_page("beds", _("Rooms and beds"), board)

    action = getattr(win, "ledger_action", None)
    if action is None:  # once per window; it follows whoever is logged in
        action = QAction(_("Import the Excel ledger…"), win)
        action.triggered.connect(lambda: _open_ledger_import(win))
        win.menuBar().actions()[0].menu().addAction(action)
        win.ledger_action = action
    action.setEnabled(account is not None and any(account.has(r) for r in IMPORT_ROLES))


def _open_ledger_import(win) -> None:
    if win.session is None:  # locked
        return
    from shelterdesk.gui.dialogs.ledger_import import LedgerImportDialog
    dlg = LedgerImportDialog(win.session, win)
    dlg.imported.connect(lambda _s: win.refresh_pages())
    dlg.open()
