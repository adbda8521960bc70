"""Case notes (支援記録): dated, categorised, written by a staff member, read by
the roles the note is meant for.

What must not be done:
- Filter a note's visibility in the screen only. :func:`notes_of` and
  :func:`get_note` filter in their SQL by the roles of the account at work
  (store/access.py), so a note for caseworkers never reaches an intake
  account's screen, memory or search results.
- Edit a note in place. There is no update: a correction is a new note that
  names the one it corrects (``corrects_id``); both are kept and both show.

Search is within her notes only (a LIKE over her rows, which the
``case_note_resident`` index narrows to her first). Every view, search and
note written is audited with ids and codes only, never the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shelterdesk.core import casework, codes
from shelterdesk.core.validation import Checker, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store.access import require
from shelterdesk.store.errors import NotFound
from shelterdesk.store.rows import d2s, like_pattern, now_text

NOTE_TEXT = 20_000  # characters: a long interview record, not a book
#: The drafts kind of a note being typed (store/drafts.py).
DRAFT_KIND = "case_note"


@dataclass
class CaseNote:
    resident_id: int
    category: str
    body: str
    visible_to: str = "caseworker"
    stay_id: int | None = None
    on_date: date | None = None        # the day it is about (default: today)
    corrects_id: int | None = None
    id: int | None = None
    written_at: datetime | None = None
    author_id: int | None = None
    author_name: str = ""
    corrected_by: tuple[int, ...] = ()


def check_note(n: CaseNote) -> list:
    c = Checker()
    c.code("category", _("Category"), codes.CASE_NOTE_CATEGORY, n.category)
    c.code("visible_to", _("Who may read it"), casework.NOTE_VISIBILITY, n.visible_to)
    if not n.body.strip():
        c.add("body", _("The note is empty."))
    c.length("body", _("Note"), n.body, NOTE_TEXT)
    if n.on_date is not None and n.on_date > date.today():
        c.add("on_date", _("The date is in the future."))
    return c.errors


def add_note(db, n: CaseNote) -> int:
    """Write a note (or a correction of ``n.corrects_id``): one transaction."""
    held = require(db, codes.CASEWORK)
    errors = check_note(n)
    if n.corrects_id is not None:
        old = db.query_one("SELECT resident_id, visible_to_role FROM case_note WHERE id=?",
                           (n.corrects_id,))
        if old is None or old[0] != n.resident_id or \
                old[1] not in casework.readable_visibilities(held):
            errors.append(casework_error("corrects_id", _("The note to correct is not hers or "
                                                          "no longer exists.")))
    if n.visible_to and n.visible_to not in casework.readable_visibilities(held):
        errors.append(casework_error("visible_to", _("You could not read a note with this "
                                                     "visibility yourself.")))
    if errors:
        raise ValidationError(errors)
    stamp = now_text()
    if n.on_date is not None and n.on_date != date.today():
        stamp = f"{d2s(n.on_date)}T{stamp[11:]}"
    with db.transaction() as con:
        if con.execute("SELECT 1 FROM resident WHERE id=?", (n.resident_id,)).fetchone() is None:
            raise NotFound(_("This resident no longer exists."))
        nid = con.execute(
            "INSERT INTO case_note(resident_id, stay_id, written_at, category, author_account_id, "
            "visible_to_role, body, corrects_id) VALUES (?,?,?,?,?,?,?,?)",
            (n.resident_id, n.stay_id, stamp, n.category, db.account_id, n.visible_to,
             n.body.strip(), n.corrects_id)).lastrowid
        detail = f"resident={n.resident_id} category={n.category} visible={n.visible_to}"
        if n.corrects_id is not None:
            detail += f" corrects={n.corrects_id}"
        db.audit("create", "case_note", nid, detail)
    n.id = nid
    return nid


def casework_error(field: str, message: str):
    from shelterdesk.core.validation import FieldError
    return FieldError(field, message)


_COLS = ("n.id, n.resident_id, n.stay_id, n.written_at, n.category, n.author_account_id, "
         "coalesce(a.display_name, ''), n.visible_to_role, n.body, n.corrects_id")


def _note(r, corrected: dict[int, list[int]]) -> CaseNote:
    written = datetime.fromisoformat(r[3])
    return CaseNote(resident_id=r[1], category=r[4], body=r[8], visible_to=r[7], stay_id=r[2],
                    on_date=written.date(), corrects_id=r[9], id=r[0], written_at=written,
                    author_id=r[5], author_name=r[6],
                    corrected_by=tuple(corrected.get(r[0], ())))


def notes_of(db, resident_id: int, search: str = "", category: str | None = None,
             limit: int = 500, *, audit: bool = True) -> list[CaseNote]:
    """Her notes this account may read, newest first; ``search`` within them.
    ``audit`` False only for a re-read of what this person is already looking
    at (a reload after a save); a search is always audited."""
    held = require(db, codes.EVERYONE)
    allowed = casework.readable_visibilities(held)
    marks = ",".join("?" * len(allowed))
    sql = (f"SELECT {_COLS} FROM case_note n LEFT JOIN account a ON a.id = n.author_account_id "
           f"WHERE n.resident_id=? AND n.visible_to_role IN ({marks})")
    params: list = [resident_id, *allowed]
    if search.strip():
        sql += " AND n.body LIKE ? ESCAPE '\\'"
        params.append(like_pattern(search.strip()))
    if category:
        sql += " AND n.category=?"
        params.append(category)
    sql += " ORDER BY n.written_at DESC, n.id DESC LIMIT ?"
    params.append(limit)
    rows = db.query(sql, params)
    corrected: dict[int, list[int]] = {}
    for new_id, old_id in db.query(
            f"SELECT id, corrects_id FROM case_note WHERE resident_id=? AND corrects_id IS NOT "
            f"NULL AND visible_to_role IN ({marks})", (resident_id, *allowed)):
        corrected.setdefault(old_id, []).append(new_id)
    # The id is in the detail: entity_id names a note, and "view of resident N"
    # stays the record's own audit row (store.residents.get_resident).
    if audit or search.strip():
        db.audit("search" if search.strip() else "view", "case_note", None,
                 f"resident={resident_id} shown={len(rows)}")
    return [_note(r, corrected) for r in rows]


def get_note(db, note_id: int) -> CaseNote:
    held = require(db, codes.EVERYONE)
    allowed = casework.readable_visibilities(held)
    row = db.query_one(
        f"SELECT {_COLS} FROM case_note n LEFT JOIN account a ON a.id = n.author_account_id "
        f"WHERE n.id=? AND n.visible_to_role IN ({','.join('?' * len(allowed))})",
        (note_id, *allowed))
    if row is None:
        raise NotFound(_("This note does not exist or is not for your role."))
    db.audit("view", "case_note", note_id)
    return _note(row, {})
