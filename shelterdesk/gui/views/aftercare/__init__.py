"""Aftercare (退所後支援) screens: the schedule after a discharge, the due list
(a page of the main window), outcomes, partners, the export dialog and the
results import. Each calls the store or ``shelterdesk.transfer`` through
``gui.operations.run_action`` and announces ``changes.AFTERCARE``.

Opening her record "at the aftercare tab" from the due list: the main window
opens records by resident id only, so the due list leaves a request here
(:func:`request_tab`) that her record's aftercare tab takes when it is filled.
"""

from __future__ import annotations

_requested: int | None = None


def request_tab(resident_id: int) -> None:
    global _requested
    _requested = resident_id


def take_request(resident_id: int) -> bool:
    global _requested
    if _requested == resident_id:
        _requested = None
        return True
    return False
