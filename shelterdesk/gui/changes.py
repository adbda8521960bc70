"""One signal after every write, so pages refresh themselves.

Why: the main window used to know which page to refresh after which save
(``refresh_pages`` named the list and the board). With plans, aftercare and
reports coming, that list would grow with every feature. Instead, every user
action that writes announces a :class:`Change` (``gui.operations.run_action``
does it for the caller), and each page that shows such records listens to
:func:`hub` and refreshes itself (Anki's ``operation_did_execute`` hook).

A change names *what kind* of record changed and, where there is one, its id;
never anything personal. Pages are destroyed at the lock, and Qt drops their
connections with them.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal

#: Kinds of change. A page refreshes on the kinds whose records it shows.
RESIDENT = "resident"    # her profile, safety flags, children, consents
STAY = "stay"            # an admission, its codes, a discharge
BED = "bed"              # a bed assigned or moved (the board, free-bed counts)
ACCOUNT = "account"      # staff accounts
SETTINGS = "settings"    # facility settings
IMPORT = "import"        # many records at once (the ledger import)
PLAN = "plan"            # an independence plan, its goals, milestones, reviews
CHILD_SUPPORT = "child_support"  # a child's support log or school/nursery step
CASE_NOTE = "case_note"  # a case note written (or a correction)
PROGRAMME = "programme"  # a programme session or its attendance
AFTERCARE = "aftercare"  # aftercare items, partners, hand-overs
BACKUP = "backup"        # a backup made and verified (the reminder, the safekeeping page)


@dataclass(frozen=True)
class Change:
    kinds: frozenset[str]
    resident_id: int | None = None
    stay_id: int | None = None

    def touches(self, *kinds: str) -> bool:
        """True when any of ``kinds`` changed (an import touches everything)."""
        return IMPORT in self.kinds or any(k in self.kinds for k in kinds)


def change(*kinds: str, resident_id: int | None = None, stay_id: int | None = None) -> Change:
    return Change(frozenset(kinds), resident_id, stay_id)


class ChangeHub(QObject):
    """Lives on the UI thread for the whole application."""

    changed = Signal(object)  # a Change


_hub: ChangeHub | None = None


def hub() -> ChangeHub:
    global _hub
    if _hub is None or not shiboken6.isValid(_hub):
        _hub = ChangeHub(QCoreApplication.instance())
    return _hub


def announce(what: Change) -> None:
    """Tell every listening page; call on the UI thread, after the write."""
    hub().changed.emit(what)
