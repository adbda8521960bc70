"""Partners (市町村の担当課, 児童相談所, …): registered once with their age
recipient, extra closure days and a note. Administrators and managers edit
them (:data:`PARTNER_ROLES`); everyone on casework reads them.

A recipient is checked by parsing it as an age X25519 recipient (``age1…``):
a typo caught here is a hand-over that would otherwise be unreadable, or
readable by someone else. A partner without one gets passphrase files.
"""

from __future__ import annotations

from datetime import date

from shelterdesk.core.aftercare import Partner
from shelterdesk.core.codes import MANAGEMENT
from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store.errors import NotFound
from shelterdesk.store.rows import d2s, s2d

#: Who may add or change partners.
PARTNER_ROLES = MANAGEMENT
NAME_MAX = 100
NOTE_MAX = 2000


def valid_recipient(text: str) -> bool:
    """True when ``text`` is an age X25519 recipient (``age1…``)."""
    import pyrage
    try:
        pyrage.x25519.Recipient.from_str(text.strip())
    except Exception:
        return False
    return text.strip().startswith("age1")


def check_partner(db, p: Partner) -> list[FieldError]:
    errors: list[FieldError] = []
    name = p.name.strip()
    if not name:
        errors.append(FieldError("name", _("Name is required.")))
    elif len(name) > NAME_MAX:
        errors.append(FieldError("name", _("Name is longer than {n} characters.").format(
            n=NAME_MAX)))
    else:
        row = db.query_one("SELECT id FROM partner WHERE name=?", (name,))
        if row and row[0] != p.id:
            errors.append(FieldError("name", _("A partner with this name is already "
                                               "registered.")))
    if p.recipient.strip() and not valid_recipient(p.recipient):
        errors.append(FieldError("recipient", _(
            "This is not an age recipient: it starts with age1 and is 62 characters long "
            "(ask the partner for the public key printed by age-keygen).")))
    if len(p.note) > NOTE_MAX:
        errors.append(FieldError("note", _("Note is longer than {n} characters.").format(
            n=NOTE_MAX)))
    return errors


def save_partner(session, p: Partner) -> int:
    """Add (``p.id`` None) or change a partner, closure days included; one
    transaction, audited with the id only."""
    session.require(*PARTNER_ROLES)
    db = session.db
    errors = check_partner(db, p)
    if errors:
        raise ValidationError(errors)
    if p.id is not None:
        get_partner(db, p.id)
    with db.transaction() as con:
        values = (p.name.strip(), p.recipient.strip(), p.note.strip())
        if p.id is None:
            p.id = con.execute("INSERT INTO partner(name, age_recipient, note) VALUES (?,?,?)",
                               values).lastrowid
            action = "create"
        else:
            con.execute("UPDATE partner SET name=?, age_recipient=?, note=? WHERE id=?",
                        (*values, p.id))
            action = "update"
        con.execute("DELETE FROM partner_closure WHERE partner_id=?", (p.id,))
        con.executemany("INSERT OR IGNORE INTO partner_closure(partner_id, day) VALUES (?,?)",
                        [(p.id, d2s(d)) for d in sorted(set(p.closures))])
        db.audit(action, "partner", p.id,
                 f"recipient={'yes' if p.recipient.strip() else 'no'} "
                 f"closures={len(set(p.closures))}")
    return p.id


def closures_of(db, partner_id: int | None) -> tuple[date, ...]:
    if partner_id is None:
        return ()
    return tuple(s2d(r[0]) for r in db.query(
        "SELECT day FROM partner_closure WHERE partner_id=? ORDER BY day", (partner_id,)))


def _partner(db, row) -> Partner:
    return Partner(row[0], row[1], row[2], row[3], closures_of(db, row[0]))


def list_partners(db) -> list[Partner]:
    return [_partner(db, r) for r in db.query(
        "SELECT id, name, age_recipient, note FROM partner ORDER BY name")]


def get_partner(db, partner_id: int) -> Partner:
    row = db.query_one("SELECT id, name, age_recipient, note FROM partner WHERE id=?",
                       (partner_id,))
    if row is None:
        raise NotFound(_("There is no partner with number {id}.").format(id=partner_id))
    return _partner(db, row)


def find_partner(db, name: str) -> Partner:
    row = db.query_one("SELECT id, name, age_recipient, note FROM partner WHERE name=?",
                       (name.strip(),))
    if row is None:
        raise NotFound(_("No partner is registered under this name."))
    return _partner(db, row)
