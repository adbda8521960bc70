"""Aftercare (退所後支援): the schedule made at discharge, the due list,
outcomes, and what the encrypted hand-over reads and writes.

Why the pieces are as they are:
- Every change to an item raises its ``sequence``: the calendar's SEQUENCE
  (calendars replace an event only when it grows) and the measure of "changed
  here since the export" when results come back.
- Each item has a random ``uid`` (uuid4) from the moment it is created, never
  derived from ids: a calendar that syncs elsewhere learns nothing from it.
- A hand-over records which revision of which item it carried
  (``aftercare_export_item``), so a returned row is compared with what the
  partner saw, not with what is here now. A returned row for an item never
  handed over is refused with the whole file.
- The facility's own age identity lives in the encrypted database's meta
  table, created on first use; hand-overs are encrypted to it too, so the
  program can read back what it wrote and decrypt the results.
- Audit rows carry ids and codes, never names or notes.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from shelterdesk.core import codes
from shelterdesk.core.aftercare import (
    RETRY_WORKING_DAYS,
    Item,
    NewItem,
    PlannedItem,
    add_working_days,
    default_schedule,
    next_working_day,
)
from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store import partners as partners_repo
from shelterdesk.store import stays as stays_repo
from shelterdesk.store.errors import Conflict, NotFound
from shelterdesk.store.rows import d2s, now_text, s2d

#: Who works with aftercare (records outcomes, hands over, imports results).
AFTERCARE_ROLES = codes.CASEWORK
NOTE_MAX = 2000
REASON_MAX = 500

#: Her display name and the assignee's are put together here, not in SQL: a
#: string built by SQLCipher per row (``||``, trim) cost ~30 µs a row in this
#: process (its wiped allocations), a third of a 10,000-item export.
_NAME_COLUMNS = "r.alias, r.family_name, r.given_name"
_SELECT = (f"SELECT a.id, a.stay_id, s.resident_id, a.kind, a.due_on, a.assignee_account_id, "
           f"a.assignee_partner_id, a.outcome, a.done_on, a.note, a.uid, a.sequence, "
           f"{_NAME_COLUMNS}, acc.display_name, p.name FROM aftercare a "
           f"JOIN stay s ON s.id = a.stay_id "
           f"JOIN resident r ON r.id = s.resident_id "
           f"LEFT JOIN account acc ON acc.id = a.assignee_account_id "
           f"LEFT JOIN partner p ON p.id = a.assignee_partner_id")


def _display_name(alias: str | None, family: str | None, given: str | None) -> str:
    """Her alias when she has one, else her full name (what lists show)."""
    return alias or f"{family or ''} {given or ''}".strip()


def _item(row) -> Item:
    return Item(row[0], row[1], row[2], row[3], s2d(row[4]), row[5], row[6], row[7],
                s2d(row[8]), row[9], row[10] or "", row[11],
                _display_name(row[12], row[13], row[14]), row[15] or row[16] or "")


def new_uid() -> str:
    return str(uuid.uuid4())


# -- the schedule at discharge ------------------------------------------------------------------
def propose(db, discharged_on: date, *, visit: bool = False,
            partner_id: int | None = None) -> list[PlannedItem]:
    """The default schedule, with ``partner_id``'s closure days counted."""
    return default_schedule(discharged_on, visit=visit,
                            closures=partners_repo.closures_of(db, partner_id))


def _check_items(db, items: list[NewItem], discharged_on: date | None) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, it in enumerate(items):
        pre = f"items[{i}]."
        if it.kind not in codes.AFTERCARE_KIND:
            errors.append(FieldError(pre + "kind", _("Choose the kind of follow-up.")))
        if it.due_on is None:
            errors.append(FieldError(pre + "due_on", _("Due date is required.")))
        elif discharged_on and it.due_on < discharged_on:
            errors.append(FieldError(pre + "due_on",
                                     _("The due date is before the discharge.")))
        if it.assignee_account_id is not None and it.assignee_partner_id is not None:
            errors.append(FieldError(pre + "assignee",
                                     _("Choose a staff member or a partner, not both.")))
        if it.assignee_partner_id is not None and db.query_one(
                "SELECT 1 FROM partner WHERE id=?", (it.assignee_partner_id,)) is None:
            errors.append(FieldError(pre + "assignee", _("This partner does not exist.")))
        if it.assignee_account_id is not None and db.query_one(
                "SELECT 1 FROM account WHERE id=?", (it.assignee_account_id,)) is None:
            errors.append(FieldError(pre + "assignee",
                                     _("This staff member does not exist.")))
        if len(it.note) > NOTE_MAX:
            errors.append(FieldError(pre + "note", _("Note is longer than {n} characters.")
                                     .format(n=NOTE_MAX)))
    return errors


def _insert(con, stay_id: int, it: NewItem, follows: int | None = None) -> int:
    stamp = now_text()
    return con.execute(
        "INSERT INTO aftercare(stay_id, kind, due_on, assignee_account_id, assignee_partner_id, "
        "note, uid, sequence, created_at, updated_at, follows_id) VALUES (?,?,?,?,?,?,?,0,?,?,?)",
        (stay_id, it.kind, d2s(it.due_on), it.assignee_account_id, it.assignee_partner_id,
         it.note.strip(), new_uid(), stamp, stamp, follows)).lastrowid


def save_schedule(db, stay_id: int, items: list[NewItem] | None,
                  none_reason: str = "") -> list[int]:
    """Save the schedule after her discharge: ``items`` (one transaction), or
    no aftercare (``items`` None or empty), which needs ``none_reason``."""
    s = stays_repo.get_stay(db, stay_id)
    items = list(items or [])
    reason = none_reason.strip()
    if not items and not reason:
        raise ValidationError([FieldError("none_reason",
                                          _("Say why there is no aftercare."))])
    if len(reason) > REASON_MAX:
        raise ValidationError([FieldError("none_reason", _(
            "Reason is longer than {n} characters.").format(n=REASON_MAX))])
    errors = _check_items(db, items, s.discharged_on)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        ids = [_insert(con, stay_id, it) for it in items]
        if not items:
            con.execute("UPDATE stay SET aftercare_none_reason=?, updated_at=? WHERE id=?",
                        (reason, now_text(), stay_id))
            db.audit("aftercare_none", "stay", stay_id)
        else:
            db.audit("schedule", "stay", stay_id, f"items={len(ids)}")
    return ids


def discharge_with_schedule(db, stay_id: int, on: date, destination: str, note: str = "", *,
                            items: list[NewItem] | None = None,
                            none_reason: str = "") -> list[int]:
    """The discharge and its schedule as one user action (the command line's
    ``discharge``): both, or neither."""
    with db.transaction():
        stays_repo.discharge(db, stay_id, on, destination, note)
        return save_schedule(db, stay_id, items, none_reason)


def add_item(db, stay_id: int, it: NewItem) -> int:
    """One more item on her schedule (e.g. a handover to the municipality)."""
    s = stays_repo.get_stay(db, stay_id)
    errors = _check_items(db, [it], s.discharged_on)
    if errors:
        raise ValidationError([FieldError(e.field.split(".", 1)[1], e.message)
                               for e in errors])
    with db.transaction() as con:
        item_id = _insert(con, stay_id, it)
        db.audit("create", "aftercare", item_id, f"stay={stay_id} kind={it.kind}")
    return item_id


def none_reason(db, stay_id: int) -> str:
    row = db.query_one("SELECT aftercare_none_reason FROM stay WHERE id=?", (stay_id,))
    return (row[0] or "") if row else ""


# -- reading ---------------------------------------------------------------------------------
def get_item(db, item_id: int) -> Item:
    row = db.query_one(_SELECT + " WHERE a.id=?", (item_id,))
    if row is None:
        raise NotFound(_("There is no aftercare item with number {id}.").format(id=item_id))
    return _item(row)


def items_of_stay(db, stay_id: int) -> list[Item]:
    return [_item(r) for r in db.query(_SELECT + " WHERE a.stay_id=? ORDER BY a.due_on, a.id",
                                       (stay_id,))]


def items_of_resident(db, resident_id: int) -> list[Item]:
    return [_item(r) for r in db.query(
        _SELECT + " WHERE s.resident_id=? ORDER BY a.due_on, a.id", (resident_id,))]


def list_items(db, *, stay_id: int | None = None, due_before: date | None = None,
               limit: int = 1_000_000) -> list[Item]:
    """Every item (the command line's ``aftercare list``), by due date."""
    where, params = [], []
    if stay_id is not None:
        where.append("a.stay_id=?")
        params.append(stay_id)
    if due_before is not None:
        where.append("a.due_on < ?")
        params.append(d2s(due_before))
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + \
        " ORDER BY a.due_on, a.id LIMIT ?"
    return [_item(r) for r in db.query(sql, (*params, limit))]


@dataclass(frozen=True)
class DueFilter:
    """The due list's filters: None is "any". ``until`` bounds the due date."""
    account_id: int | None = None
    partner_id: int | None = None
    kind: str | None = None
    until: date | None = None
    since: date | None = None


def _due_where(f: DueFilter) -> tuple[str, list]:
    where, params = ["a.outcome IS NULL"], []
    if f.account_id is not None:
        where.append("a.assignee_account_id=?")
        params.append(f.account_id)
    if f.partner_id is not None:
        where.append("a.assignee_partner_id=?")
        params.append(f.partner_id)
    if f.kind is not None:
        where.append("a.kind=?")
        params.append(f.kind)
    if f.until is not None:
        where.append("a.due_on <= ?")
        params.append(d2s(f.until))
    if f.since is not None:
        where.append("a.due_on >= ?")
        params.append(d2s(f.since))
    return " WHERE " + " AND ".join(where), params


def due_page(db, f: DueFilter = DueFilter(), *, limit: int = 200, offset: int = 0) -> list[Item]:
    """Open items by due date (overdue first), one page. The partial index on
    open items' due dates serves it."""
    where, params = _due_where(f)
    ids = [r[0] for r in db.query(
        f"SELECT a.id FROM aftercare a{where} "
        "ORDER BY a.due_on, a.id LIMIT ? OFFSET ?", (*params, limit, offset))]
    if not ids:
        return []
    rows = {r[0]: r for r in db.query(
        _SELECT + f" WHERE a.id IN ({', '.join('?' * len(ids))})", ids)}
    return [_item(rows[i]) for i in ids]


def due_count(db, f: DueFilter = DueFilter()) -> int:
    where, params = _due_where(f)
    return db.query_one(f"SELECT count(*) FROM aftercare a{where}",
                        params)[0]


@dataclass(frozen=True)
class DueRow:
    """One line for another page's list (the Today page's aftercare section)."""
    item_id: int
    stay_id: int
    resident_id: int
    display_name: str
    kind: str
    due_on: date
    overdue: bool


def due(db, until: date, staff_id: int | None = None, *, today: date | None = None,
        limit: int = 500) -> list[DueRow]:
    """Open items due on or before ``until`` (assigned to ``staff_id`` when
    given), overdue ones flagged: the query the Today page lists."""
    today = today or date.today()
    return [DueRow(i.id, i.stay_id, i.resident_id, i.display_name, i.kind, i.due_on,
                   i.due_on < today)
            for i in due_page(db, DueFilter(account_id=staff_id, until=until), limit=limit)]


# -- outcomes --------------------------------------------------------------------------------
@dataclass
class OutcomeResult:
    follow_on_id: int | None = None
    closed: list[int] = field(default_factory=list)


def record_outcome(db, item_id: int, outcome: str, on: date | None, note: str = "", *,
                   new_date: date | None = None, retry: bool = False,
                   close_rest: bool = False) -> OutcomeResult:
    """Record what happened. 日程変更 (``rescheduled``) needs ``new_date`` and
    creates the follow-on item; 不通 (``not_reached``) with ``retry`` creates
    one three working days later; 終結 (``closed``) with ``close_rest`` closes
    the rest of her schedule (the caller asked her worker to confirm)."""
    it = get_item(db, item_id)
    errors: list[FieldError] = []
    if outcome not in codes.AFTERCARE_OUTCOME:
        errors.append(FieldError("outcome", _("Choose the outcome.")))
    if on is None:
        errors.append(FieldError("done_on", _("Date is required.")))
    elif on > date.today() + timedelta(days=1):
        errors.append(FieldError("done_on", _("The date is in the future.")))
    if outcome == "rescheduled":
        if new_date is None:
            errors.append(FieldError("new_date", _("Give the new date.")))
        elif on and new_date < on:
            errors.append(FieldError("new_date", _("The new date is before this one.")))
    if len(note) > NOTE_MAX:
        errors.append(FieldError("note", _("Note is longer than {n} characters.").format(
            n=NOTE_MAX)))
    if errors:
        raise ValidationError(errors)
    if it.outcome is not None:
        raise Conflict(_("An outcome was already recorded for this item."))
    result = OutcomeResult()
    with db.transaction() as con:
        con.execute("UPDATE aftercare SET outcome=?, done_on=?, note=?, sequence=sequence+1, "
                    "updated_at=? WHERE id=?", (outcome, d2s(on), note.strip(), now_text(),
                                                item_id))
        db.audit("outcome", "aftercare", item_id, f"outcome={outcome}")
        follow = None
        if outcome == "rescheduled":
            follow = new_date
        elif outcome == "not_reached" and retry:
            closed = partners_repo.closures_of(db, it.assignee_partner_id)
            follow = add_working_days(on, RETRY_WORKING_DAYS, closed)
        if follow is not None:
            result.follow_on_id = _insert(con, it.stay_id, NewItem(
                it.kind, follow, it.assignee_account_id, it.assignee_partner_id), follows=item_id)
            db.audit("create", "aftercare", result.follow_on_id,
                     f"stay={it.stay_id} kind={it.kind} follows={item_id}")
        if outcome == "closed" and close_rest:
            result.closed = [r[0] for r in con.execute(
                "SELECT id FROM aftercare WHERE stay_id=? AND outcome IS NULL AND id<>?",
                (it.stay_id, item_id)).fetchall()]
            con.executemany("UPDATE aftercare SET outcome='closed', done_on=?, sequence="
                            "sequence+1, updated_at=? WHERE id=?",
                            [(d2s(on), now_text(), i) for i in result.closed])
            db.audit("close_rest", "stay", it.stay_id, f"items={len(result.closed)}")
    return result


def open_items_after(db, item_id: int) -> int:
    """How many other open items her schedule has (asked before 終結 closes them)."""
    it = get_item(db, item_id)
    return db.query_one("SELECT count(*) FROM aftercare WHERE stay_id=? AND outcome IS NULL "
                        "AND id<>?", (it.stay_id, item_id))[0]


def next_retry_date(db, item_id: int, on: date) -> date:
    it = get_item(db, item_id)
    return add_working_days(on, RETRY_WORKING_DAYS,
                            partners_repo.closures_of(db, it.assignee_partner_id))


def working_day_on_or_after(db, d: date, partner_id: int | None = None) -> date:
    return next_working_day(d, partners_repo.closures_of(db, partner_id))


# -- the facility's own age identity ----------------------------------------------------------
IDENTITY_KEY = "transfer_identity"


def facility_identity(db) -> str:
    """The facility's age identity (``AGE-SECRET-KEY-1…``), created on first
    use inside the encrypted database. It never leaves the database."""
    secret = db.get_meta(IDENTITY_KEY)
    if secret:
        return secret
    import pyrage
    secret = str(pyrage.x25519.Identity.generate())
    with db.transaction() as con:
        existing = con.execute("SELECT value FROM meta WHERE key=?", (IDENTITY_KEY,)).fetchone()
        if existing:
            return existing[0]
        con.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (IDENTITY_KEY, secret))
        db.audit("create", "transfer_identity")
    return secret


def facility_recipient(db) -> str:
    """The public half of :func:`facility_identity` (the manifest's ``reply_to``)."""
    import pyrage
    return str(pyrage.x25519.Identity.from_str(facility_identity(db)).to_public())


# -- the hand-over --------------------------------------------------------------------------------
@dataclass
class Person:
    """What a partner receives about her (minimum necessary, DOMAIN.md)."""
    resident_id: int
    name: str
    kana: str
    birth_date: date | None
    phone: str
    municipality: str
    danger_level: str | None


@dataclass
class Excluded:
    resident_id: int
    display_name: str
    reason: str  # "expired" or "withdrawn"
    on: date | None


@dataclass
class Handover:
    """Everything an export to one partner may carry, read in one go."""
    partner: partners_repo.Partner
    on: date
    people: list[Person]
    items: list[Item]
    excluded: list[Excluded]


def _consent_key(text: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFKC", text).strip()


def handover(db, partner_id: int, on: date | None = None) -> Handover:
    """The residents whose consent of scope ``municipality_aftercare`` for this
    partner is valid on ``on`` (given, not expired, not withdrawn), with their
    items; residents whose consent for this partner expired or was withdrawn
    are listed in ``excluded`` and carry nothing."""
    on = on or date.today()
    partner = partners_repo.get_partner(db, partner_id)
    key = _consent_key(partner.name)
    by_resident: dict[int, list[tuple]] = {}
    for row in db.query("SELECT resident_id, recipient, given_on, expires_on, withdrawn_on "
                        "FROM consent WHERE scope='municipality_aftercare'"):
        if _consent_key(row[1]) == key:
            by_resident.setdefault(row[0], []).append(row)
    valid, excluded = [], []
    for rid, consents in sorted(by_resident.items()):
        ok = False
        why: tuple[str, date | None] | None = None
        for _r, _rec, given, expires, withdrawn in consents:
            g, e, w = s2d(given), s2d(expires), s2d(withdrawn)
            if g is None or g > on:
                continue
            if w is not None and w <= on:
                why = ("withdrawn", w)
            elif e is not None and e < on:
                why = why or ("expired", e)
            else:
                ok = True
        if ok:
            valid.append(rid)
        elif why is not None:
            excluded.append((rid, why))
    names = {}
    people = []
    if valid or excluded:
        ids = valid + [rid for rid, _w in excluded]
        for r in db.query(
                f"SELECT r.id, r.alias, r.family_name, r.given_name, r.family_kana, r.given_kana,"
                f" r.birth_date, r.safe_phone, r.registered_municipality, r.danger_level "
                f"FROM resident r WHERE r.id IN ({', '.join('?' * len(ids))})", ids):
            names[r[0]] = _display_name(r[1], r[2], r[3])
            if r[0] in valid:
                people.append(Person(r[0], f"{r[2]} {r[3]}".strip(), f"{r[4]} {r[5]}".strip(),
                                     s2d(r[6]), r[7], r[8], r[9]))
    items: list[Item] = []
    if valid:
        items = [_item(r) for r in db.query(
            _SELECT + f" WHERE s.resident_id IN ({', '.join('?' * len(valid))}) "
            "ORDER BY s.resident_id, a.due_on, a.id", valid)]
        with_items = {i.resident_id for i in items}
        people = [p for p in people if p.resident_id in with_items]
    people.sort(key=lambda p: p.resident_id)
    return Handover(partner, on, people, items,
                    [Excluded(rid, names.get(rid, ""), w[0], w[1]) for rid, w in excluded])


def record_export(db, partner_id: int, items: list[Item], sha256: str) -> int:
    """Remember what a written (and verified) hand-over carried."""
    with db.transaction() as con:
        export_id = con.execute(
            "INSERT INTO aftercare_export(partner_id, created_at, items, sha256) "
            "VALUES (?,?,?,?)", (partner_id, now_text(), len(items), sha256)).lastrowid
        # One INSERT … SELECT, not 10,000 executemany rows (~0.5 s of a 10,000-item
        # export); then the rare item changed since it was read gets the
        # revision the file carries, which is what a returned row is compared with.
        ids = json.dumps([i.id for i in items])
        con.execute("INSERT INTO aftercare_export_item(export_id, item_id, sequence) "
                    "SELECT ?, a.id, a.sequence FROM aftercare a "
                    "WHERE a.id IN (SELECT value FROM json_each(?))", (export_id, ids))
        carried = {i.id: i.sequence for i in items}
        moved = [(carried[item_id], export_id, item_id) for item_id, seq in con.execute(
            "SELECT id, sequence FROM aftercare WHERE id IN (SELECT value FROM json_each(?))",
            (ids,)) if carried[item_id] != seq]
        con.executemany("UPDATE aftercare_export_item SET sequence=? "
                        "WHERE export_id=? AND item_id=?", moved)
        db.audit("export", "partner", partner_id, f"export={export_id} items={len(items)}")
    return export_id


def audit_export_attempt(db, partner_id: int, reason: str) -> None:
    db.audit("export_refused", "partner", partner_id, reason)


# -- results coming back --------------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnedRow:
    """One row of a partner's results (already parsed by the transfer layer)."""
    row_no: int
    item_id: int
    outcome: str | None
    done_on: date | None
    note: str | None  # None: keep the note here
    sequence: int | None = None  # the revision the partner saw, when the file says


@dataclass
class Change:
    item_id: int
    resident_id: int
    display_name: str
    local: tuple[str | None, date | None, str]    # outcome, done_on, note here
    partner: tuple[str | None, date | None, str]  # what the partner returned


@dataclass
class ResultsPlan:
    """What an import would do; nothing is written until :func:`apply_results`."""
    updates: list[Change] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    conflicts: list[Change] = field(default_factory=list)
    sequences: dict[int, int] = field(default_factory=dict)  # item -> sequence when planned


class UnknownItems(Conflict):
    """Rows naming items that were never handed over: the file is refused."""


def plan_results(db, rows: list[ReturnedRow]) -> ResultsPlan:
    """Match returned rows by item id and sort them into updates, unchanged
    rows and conflicts (an item changed here since the partner's copy was
    exported). A row for an unknown item, or an item never handed over,
    refuses the whole file."""
    plan = ResultsPlan()
    if not rows:
        return plan
    ids = sorted({r.item_id for r in rows})
    found: dict[int, Item] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for r in db.query(_SELECT + f" WHERE a.id IN ({', '.join('?' * len(part))})", part):
            found[r[0]] = _item(r)
    exported: dict[int, int] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for item_id, seq in db.query(
                "SELECT item_id, max(sequence) FROM aftercare_export_item "
                f"WHERE item_id IN ({', '.join('?' * len(part))}) GROUP BY item_id", part):
            exported[item_id] = seq
    unknown = [r for r in rows if r.item_id not in found or r.item_id not in exported]
    if unknown:
        raise UnknownItems(_("The file names items that were never handed over "
                             "(項目ID {ids}); nothing was imported.").format(
            ids=", ".join(str(r.item_id) for r in unknown[:10])))
    seen: set[int] = set()
    for r in rows:
        if r.item_id in seen:
            raise Conflict(_("項目ID {id} appears twice in the file; nothing was imported.")
                           .format(id=r.item_id))
        seen.add(r.item_id)
        it = found[r.item_id]
        local = (it.outcome, it.done_on, it.note)
        # A cell left empty keeps what is here: an empty 結果 is "nothing to report".
        theirs = (r.outcome if r.outcome is not None else it.outcome,
                  r.done_on if r.done_on is not None else it.done_on,
                  r.note if r.note is not None else it.note)
        plan.sequences[it.id] = it.sequence
        if theirs == local:
            plan.unchanged.append(it.id)
            continue
        seen_seq = r.sequence if r.sequence is not None else exported[it.id]
        change = Change(it.id, it.resident_id, it.display_name, local, theirs)
        if it.sequence > seen_seq:
            plan.conflicts.append(change)
        else:
            plan.updates.append(change)
    return plan


def apply_results(db, plan: ResultsPlan, take_theirs: set[int] = frozenset()) -> int:
    """Write the plan's updates, and the conflicts listed in ``take_theirs``
    (the user chose the partner's values); every other conflict keeps the
    local values. One transaction; an item changed since the plan was made
    refuses the whole import. Returns the number of items written."""
    chosen = plan.updates + [c for c in plan.conflicts if c.item_id in take_theirs]
    with db.transaction() as con:
        for c in chosen:
            row = con.execute("SELECT sequence FROM aftercare WHERE id=?",
                              (c.item_id,)).fetchone()
            if row is None or row[0] != plan.sequences[c.item_id]:
                raise Conflict(_("An item changed while the results were being imported; "
                                 "nothing was imported. Open the file again."))
            outcome, done_on, note = c.partner
            con.execute("UPDATE aftercare SET outcome=?, done_on=?, note=?, sequence=sequence+1, "
                        "updated_at=? WHERE id=?",
                        (outcome, d2s(done_on), note, now_text(), c.item_id))
        db.audit("import_results", "aftercare", None,
                 f"updated={len(chosen)} unchanged={len(plan.unchanged)} "
                 f"conflicts={len(plan.conflicts)} taken={len(chosen) - len(plan.updates)}")
    return len(chosen)
