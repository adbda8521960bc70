"""Small pieces the aftercare screens share: assignee pickers and labels."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from shelterdesk.core import codes
from shelterdesk.i18n import _
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import partners as partners_repo

STAFF, PARTNER = "staff", "partner"


def assignee_combo(db, parent: QWidget | None = None, *, blank: str | None = None) -> QComboBox:
    """Staff who work on casework, then partners; data is "staff:ID" or
    "partner:ID" (a string: Qt's findData does not compare tuples)."""
    box = QComboBox(parent)
    if blank is not None:
        box.addItem(blank, None)
    for a in accounts_repo.list_accounts(db):
        if not a.disabled and a.roles & codes.CASEWORK:
            box.addItem(a.display_name, f"{STAFF}:{a.id}")
    for p in partners_repo.list_partners(db):
        box.addItem(_("Partner: {name}").format(name=p.name), f"{PARTNER}:{p.id}")
    return box


def assignee_ids(data) -> tuple[int | None, int | None]:
    """(account id, partner id) from an :func:`assignee_combo` entry."""
    if not data:
        return None, None
    kind, ident = split(data)
    return (ident, None) if kind == STAFF else (None, ident)


def split(data) -> tuple[str | None, int | None]:
    if not data:
        return None, None
    kind, _sep, ident = str(data).partition(":")
    return kind, int(ident)


def assignee_data(account_id: int | None, partner_id: int | None):
    if account_id is not None:
        return f"{STAFF}:{account_id}"
    if partner_id is not None:
        return f"{PARTNER}:{partner_id}"
    return None
