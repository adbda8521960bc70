"""Support for her companion children (同伴児童支援): a log of what was done,
by kind, and the school and nursery checklist of each child in a stay.

Who: caseworkers and managers (codes.CASEWORK) read and write both; intake
staff read the checklist (what is still pending) and not the log. Every view
and change is audited with ids and codes only. Each action is one transaction.

The checklist (core/casework.py CHILD_STEP) is shown for every child of the
stay whether or not someone touched a step: a step without a row is "not
started", so a new child's pending steps appear at once on her page and on
the Today page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shelterdesk.core import casework, codes
from shelterdesk.core.validation import LONG_TEXT, SHORT_TEXT, Checker, ValidationError
from shelterdesk.i18n import _, pgettext
from shelterdesk.store.access import NAME_SQL, require
from shelterdesk.store.rows import d2s, now_text, s2d


@dataclass
class SupportEntry:
    child_id: int | None
    stay_id: int | None
    kind: str
    on_date: date | None
    step: str = ""
    note: str = ""
    account_id: int | None = None
    id: int | None = None
    staff_name: str = ""


@dataclass
class ChildStep:
    child_id: int
    stay_id: int
    step: str
    status: str = "pending"
    on_date: date | None = None
    contact: str = ""
    note: str = ""
    account_id: int | None = None
    id: int | None = None

    @property
    def pending(self) -> bool:
        return self.status in casework.OPEN_STEP


@dataclass
class PendingStep:
    """A pending step for the Today page."""
    resident_id: int
    stay_id: int
    display_name: str
    child_id: int
    child_name: str
    step: str
    status: str
    on_date: date | None
    account_id: int | None


@dataclass
class ChildSheet:
    """One child's page: the checklist and (caseworkers only) the log."""
    child_id: int
    steps: list[ChildStep] = field(default_factory=list)
    log: list[SupportEntry] = field(default_factory=list)

    @property
    def pending(self) -> list[ChildStep]:
        return [s for s in self.steps if s.pending]


def _children_of_stay(db, stay_id: int) -> set[int]:
    return {r[0] for r in db.query("SELECT child_id FROM stay_child WHERE stay_id=?", (stay_id,))}


def _check_child(db, c: Checker, child_id: int | None, stay_id: int | None) -> None:
    if stay_id is None:
        c.add("stay_id", _("Choose her stay."))
    elif child_id is None:
        c.add("child_id", _("Choose a child."))
    elif child_id not in _children_of_stay(db, stay_id):
        c.add("child_id", _("This child is not with her in this stay."))


def add_entry(db, e: SupportEntry) -> int:
    """One line of the log (a childcare session, a school call, …)."""
    require(db, codes.CASEWORK)
    c = Checker()
    _check_child(db, c, e.child_id, e.stay_id)
    c.code("kind", _("Kind of support"), codes.CHILD_SUPPORT_KIND, e.kind)
    if e.on_date is None:
        c.add("on_date", _("Date is required."))
    elif e.on_date > date.today():
        c.add("on_date", _("The date is in the future."))
    if not e.step.strip():
        c.add("step", _("Say what was done."))
    c.length("step", _("What was done"), e.step, SHORT_TEXT)
    c.length("note", _("Note"), e.note, LONG_TEXT)
    if c.errors:
        raise ValidationError(c.errors)
    with db.transaction() as con:
        eid = con.execute(
            "INSERT INTO child_support(child_id, stay_id, kind, on_date, step, account_id, note) "
            "VALUES (?,?,?,?,?,?,?)",
            (e.child_id, e.stay_id, e.kind, d2s(e.on_date), e.step.strip(),
             e.account_id or db.account_id, e.note.strip())).lastrowid
        db.audit("create", "child_support", eid, f"child={e.child_id} stay={e.stay_id} "
                                                 f"kind={e.kind}")
    e.id = eid
    return eid


def set_step(db, s: ChildStep) -> int:
    """Record where one checklist step stands (status, date, contact)."""
    require(db, codes.CASEWORK)
    c = Checker()
    _check_child(db, c, s.child_id, s.stay_id)
    c.code("step", pgettext("child support", "Step"), casework.CHILD_STEP, s.step)
    c.code("status", _("Status"), casework.CHILD_STEP_STATUS, s.status)
    if s.status in ("in_progress", "done") and s.on_date is None:
        c.add("on_date", _("Give the date (agreed, applied or done)."))
    c.length("contact", _("Contact"), s.contact, SHORT_TEXT)
    c.length("note", _("Note"), s.note, LONG_TEXT)
    if c.errors:
        raise ValidationError(c.errors)
    with db.transaction() as con:
        con.execute(
            "INSERT INTO child_step(child_id, stay_id, step, status, on_date, contact, "
            "account_id, note, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(child_id, stay_id, step) DO UPDATE SET status=excluded.status, "
            "on_date=excluded.on_date, contact=excluded.contact, "
            "account_id=excluded.account_id, note=excluded.note, updated_at=excluded.updated_at",
            (s.child_id, s.stay_id, s.step, s.status, d2s(s.on_date), s.contact.strip(),
             s.account_id or db.account_id, s.note.strip(), now_text()))
        sid = con.execute("SELECT id FROM child_step WHERE child_id=? AND stay_id=? AND step=?",
                          (s.child_id, s.stay_id, s.step)).fetchone()[0]
        db.audit("update", "child_step", sid, f"child={s.child_id} stay={s.stay_id} "
                                              f"step={s.step} status={s.status}")
    s.id = sid
    return sid


def sheets_of_stay(db, stay_id: int, *, audit: bool = True) -> dict[int, ChildSheet]:
    """Each child of the stay: the full checklist and, for caseworkers, the log
    (newest first). Intake staff get the checklist only. Audited as a view."""
    held = require(db, codes.EVERYONE)
    children = sorted(_children_of_stay(db, stay_id))
    births = dict(db.query("SELECT id, birth_date FROM child WHERE id IN "
                           "(SELECT child_id FROM stay_child WHERE stay_id=?)", (stay_id,)))
    today = date.today()
    sheets = {cid: ChildSheet(cid) for cid in children}
    stored = {(r[0], r[1]): r for r in db.query(
        "SELECT child_id, step, status, on_date, contact, note, account_id, id "
        "FROM child_step WHERE stay_id=?", (stay_id,))}
    for cid in children:
        for code in casework.CHILD_STEP:
            r = stored.get((cid, code.code))
            if r is None and not casework.step_applies(code.code, s2d(births.get(cid)), today):
                continue
            sheets[cid].steps.append(
                ChildStep(cid, stay_id, code.code, r[2], s2d(r[3]), r[4], r[5], r[6], r[7])
                if r else ChildStep(cid, stay_id, code.code))
    if held & codes.CASEWORK:
        for r in db.query(
                "SELECT cs.id, cs.child_id, cs.kind, cs.on_date, cs.step, cs.note, "
                "cs.account_id, coalesce(a.display_name, '') FROM child_support cs "
                "LEFT JOIN account a ON a.id = cs.account_id "
                "WHERE cs.stay_id=? ORDER BY cs.on_date DESC, cs.id DESC", (stay_id,)):
            if r[1] in sheets:
                sheets[r[1]].log.append(SupportEntry(r[1], stay_id, r[2], s2d(r[3]), r[4], r[5],
                                                     r[6], r[0], r[7]))
    if audit:
        db.audit("view", "child_support", None, f"stay={stay_id}")
    return sheets


def pending_steps(db, staff_id: int | None = None,
                  today: date | None = None) -> list[PendingStep]:
    """Pending checklist steps of the children of every open stay (a step no one
    touched yet is pending). ``staff_id``: only the steps that account last
    recorded. For the Today page; every role that sees it may read this."""
    require(db, codes.EVERYONE)
    today = today or date.today()
    rows = db.query(
        f"SELECT s.resident_id, s.id, {NAME_SQL}, c.id, "
        "coalesce(nullif(c.given_name, ''), c.family_name), "
        "st.step, st.status, st.on_date, st.account_id, c.birth_date "
        "FROM stay s JOIN resident r ON r.id = s.resident_id "
        "JOIN stay_child sc ON sc.stay_id = s.id JOIN child c ON c.id = sc.child_id "
        "LEFT JOIN child_step st ON st.stay_id = s.id AND st.child_id = c.id "
        "WHERE s.discharged_on IS NULL ORDER BY s.admitted_on, s.id, c.birth_date, c.id")
    touched: dict[tuple[int, int], dict[str, tuple]] = {}
    order: list[tuple] = []
    for r in rows:
        key = (r[1], r[3])
        if key not in touched:
            touched[key] = {}
            order.append(r)
        if r[5] is not None:
            touched[key][r[5]] = r
    out = []
    for r in order:
        done = touched[(r[1], r[3])]
        for code in casework.CHILD_STEP:
            got = done.get(code.code)
            if got is None and not casework.step_applies(code.code, s2d(r[9]), today):
                continue
            status = got[6] if got else "pending"
            if status not in casework.OPEN_STEP:
                continue
            account = got[8] if got else None
            if staff_id is not None and account != staff_id:
                continue
            out.append(PendingStep(r[0], r[1], r[2], r[3], r[4], code.code, status,
                                   s2d(got[7]) if got else None, account))
    return out
