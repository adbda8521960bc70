"""Unfinished work (an intake being typed) kept inside the encrypted database.

Why here and not in a file: a draft holds a frightened woman's name, her
children and where the abuser might look for her. The only place ShelterDesk
may keep that on disk is the SQLCipher database, so a crash or a power cut
mid-intake loses nothing and leaks nothing.

A draft belongs to the account that typed it (drafts reopen on that person's
next login) and is a JSON object the caller defines; this module neither reads
nor validates its content. Creating and deleting a draft is audited with the
draft's id and kind only, never its content. Saving over an existing draft is
not audited: it happens every second while someone types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from shelterdesk.i18n import _
from shelterdesk.store.errors import NotFound
from shelterdesk.store.rows import now_text

#: The wizard's kind; other screens may keep drafts of their own kinds.
INTAKE = "intake"
MAX_PAYLOAD = 1_000_000  # characters; an intake is a few kilobytes


@dataclass
class Draft:
    id: int
    account_id: int | None
    kind: str
    updated_at: datetime
    payload: dict


def save_draft(db, kind: str, payload: dict, draft_id: int | None = None) -> int:
    """Write ``payload`` as a new draft (``draft_id`` None) or over draft
    ``draft_id``; returns the draft's id. A draft deleted meanwhile (for
    example by another window) is written anew rather than lost."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_PAYLOAD:
        raise ValueError(_("The draft is too large to keep."))
    stamp = now_text()
    with db.transaction() as con:
        if draft_id is not None:
            cur = con.execute("UPDATE draft SET payload=?, updated_at=? WHERE id=? AND kind=?",
                              (text, stamp, draft_id, kind))
            if cur.rowcount == 1:
                return draft_id
        new_id = con.execute(
            "INSERT INTO draft(account_id, kind, updated_at, payload) VALUES (?,?,?,?)",
            (db.account_id, kind, stamp, text)).lastrowid
        db.audit("create", "draft", new_id, f"kind={kind}")
    return new_id


def load_draft(db, draft_id: int) -> Draft:
    row = db.query_one("SELECT id, account_id, kind, updated_at, payload FROM draft WHERE id=?",
                       (draft_id,))
    if row is None:
        raise NotFound(_("This draft no longer exists."))
    return _from_row(row)


def list_drafts(db, kind: str, account_id: int | None = -1) -> list[Draft]:
    """Drafts of ``kind``, newest first; by default only the current account's
    (an intake half-typed by one staff member is offered to her, not to all)."""
    acct = db.account_id if account_id == -1 else account_id
    rows = db.query("SELECT id, account_id, kind, updated_at, payload FROM draft "
                    "WHERE kind=? AND account_id IS ? ORDER BY updated_at DESC, id DESC",
                    (kind, acct))
    return [_from_row(r) for r in rows]


def delete_draft(db, draft_id: int) -> None:
    """Delete a draft (after the intake was saved, or discarded on purpose).
    Deleting one that is already gone is not an error."""
    with db.transaction() as con:
        cur = con.execute("DELETE FROM draft WHERE id=?", (draft_id,))
        if cur.rowcount:
            db.audit("delete", "draft", draft_id)


def _from_row(row) -> Draft:
    try:
        payload = json.loads(row[4])
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    return Draft(row[0], row[1], row[2], datetime.fromisoformat(row[3]), payload)
