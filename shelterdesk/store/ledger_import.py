"""Writing the Excel ledger into the database: all of it, or nothing.

API (for the command line and the GUI's import dialog)::

    from shelterdesk.core import ledger
    from shelterdesk.store import ledger_import

    plan = ledger.read_ledger(stays_bytes, children_bytes_or_None)   # no database
    plan.errors            # [LedgerError(file, row, column, reason)]; str(e) is
                           # "row N, column C: reason" ("children.csv: row …" for
                           # children.csv); row = the row Excel shows, header = 1
    plan.stay_count, plan.child_row_count, plan.resident_count, plan.ignored_columns

    summary = ledger_import.preview(session, plan)   # reads only, writes nothing
    summary.errors         # the checks that need the database (same LedgerError)
    summary.stays_new, summary.stays_present, summary.children_new, ...

    summary = ledger_import.apply(session, plan, progress=None)
    # raises LedgerRejected (.errors: every LedgerError) and writes nothing when
    # the plan or the database checks find any problem; raises Forbidden unless
    # the account is admin or manager (IMPORT_ROLES).
    summary.line()         # "stays: N new, K already present; children: M new, J already present"
    summary.stays          # [ImportedStay(row, ledger_id, stay_id, resident_id, new)]
    summary.without_bed    # ids of new open stays that got no bed

``progress(done, total)`` counts stays and is called from the thread running
``apply`` (the GUI's worker): forward it to the UI thread, never touch a widget
in it. Everything is one ``db.transaction()`` (BEGIN IMMEDIATE … COMMIT), so a
kill or a power cut at any moment leaves the database as it was before.

Why these rules:

- Who: an import writes hundreds of records at once and can merge ledger rows
  into existing residents, so it is a manager's or administrator's job
  (IMPORT_ROLES), like backups; intake staff register one arrival at a time.
- Idempotent: ``stay.ledger_id`` is unique; a stay whose ledger_id is already
  in the database is "already present" and is not changed (after the import,
  the record is kept in ShelterDesk, not in Excel). Its children are still
  matched, so a second import that adds children.csv links them.
- A ledger person (same names, kana and birth date: ``ledger.resident_key``)
  who is already in the database gets the new stays on her record; one who
  matches two residents is an error to resolve by hand, never a guess. Her
  profile is not overwritten by the ledger.
- A child is the same child when the mother, the names and the birth date
  agree; one child in several stays is one child record linked to each.
- Open stays get the first free bed of their room when the room exists and is
  in service, else no bed (counted in ``without_bed``; assign it on the board).
- One audit row for the whole import, with counts only: no names, and no
  ten thousand "create" rows that would bury the real history.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from shelterdesk.core.ledger import STAYS_FILE, LedgerError, LedgerPlan, LedgerResident
from shelterdesk.core.models import Child
from shelterdesk.core.text import fold
from shelterdesk.i18n import _, ngettext
from shelterdesk.store import residents as residents_repo
from shelterdesk.store.errors import StoreError
from shelterdesk.store.rows import d2s, now_text, s2d

IMPORT_ROLES = ("admin", "manager")

Progress = Callable[[int, int], None]


class LedgerRejected(StoreError):
    """The ledger has errors; nothing was written. The message only counts
    them (it may reach a log); ``errors`` holds each one for the user."""

    def __init__(self, errors: list[LedgerError]):
        self.errors = errors
        super().__init__(ngettext("The ledger has {n} error; nothing was imported.",
                                  "The ledger has {n} errors; nothing was imported.",
                                  len(errors)).format(n=len(errors)))


@dataclass(frozen=True)
class ImportedStay:
    row: int  # stays.csv row
    ledger_id: str
    stay_id: int | None  # None in a preview for a stay not yet written
    resident_id: int | None
    new: bool


@dataclass
class ImportSummary:
    stays_new: int = 0
    stays_present: int = 0
    children_new: int = 0
    children_present: int = 0
    residents_new: int = 0
    residents_existing: int = 0  # residents already in the database given new stays
    stays: list[ImportedStay] = field(default_factory=list)
    without_bed: list[int] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)  # preview only

    def line(self) -> str:
        """The command line's success line: a contract for scripts, not translated."""
        return (f"stays: {self.stays_new} new, {self.stays_present} already present; "
                f"children: {self.children_new} new, {self.children_present} already present")


# -- working out what to write --------------------------------------------------

class _NewChild:
    """A child to insert once, then link to each of her stays."""
    __slots__ = ("child", "id")

    def __init__(self, child: Child):
        self.child = child
        self.id: int | None = None


@dataclass
class _StayWork:
    row: int
    ledger_id: str
    stay: object  # core Stay for a new stay; None for a present one
    stay_id: int | None  # the present stay's id
    owner: int | None = None  # her resident id for a present stay (children go there)
    bed_id: int | None = None
    links: list = field(default_factory=list)  # child ids (int) or _NewChild


@dataclass
class _ResidentWork:
    lr: LedgerResident
    resident_id: int | None  # None: insert her
    stays: list[_StayWork] = field(default_factory=list)

    @property
    def has_new(self) -> bool:
        return any(s.stay is not None for s in self.stays)


@dataclass
class _Work:
    residents: list[_ResidentWork]
    errors: list[LedgerError]
    children_new: int
    children_present: int
    stays_present: int


def _room_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _error(row: int, column: str, reason: str) -> LedgerError:
    return LedgerError(STAYS_FILE, row, column, reason)


def _resolve(db, plan: LedgerPlan) -> _Work:
    """Match the plan against the database. Reads only; run it inside the
    import's transaction so nothing changes between the checks and the writes."""
    present = {lid: (sid, rid) for lid, sid, rid in db.query(
        "SELECT ledger_id, id, resident_id FROM stay WHERE ledger_id IS NOT NULL")}
    rooms: dict[str, tuple[bool, list[int]]] = {}
    for name, oos, bed_id in db.query(
            "SELECT rm.name, rm.out_of_service, b.id FROM room rm JOIN bed b ON b.room_id=rm.id "
            "ORDER BY rm.sort, rm.name, b.label"):
        rooms.setdefault(_room_key(name), (bool(oos), []))[1].append(bed_id)
    occupied = {r[0] for r in db.query(
        "SELECT bed_id FROM stay WHERE discharged_on IS NULL AND bed_id IS NOT NULL")}

    errors: list[LedgerError] = []
    known_children: dict[int, dict[tuple, int]] = {}  # resident id -> child key -> child id
    new_children: dict[tuple, _NewChild] = {}  # (resident ref, child key) -> child
    present_children: set[int] = set()
    stays_present = 0
    work: list[_ResidentWork] = []

    def children_of(rid: int) -> dict[tuple, int]:
        if rid not in known_children:
            known_children[rid] = {
                (fold(fn), fold(gn), s2d(bd)): cid for cid, fn, gn, bd in db.query(
                    "SELECT id, family_name, given_name, birth_date FROM child "
                    "WHERE resident_id=? ORDER BY id", (rid,))}
        return known_children[rid]

    for lr in plan.residents:
        rw = _ResidentWork(lr, None)
        work.append(rw)
        present_rids = [present[s.ledger_id][1] for s in lr.stays if s.ledger_id in present]
        new_stays = [s for s in lr.stays if s.ledger_id not in present]
        if present_rids:
            rw.resident_id = present_rids[0]
        elif new_stays and lr.key is not None:
            r = lr.resident
            matches = [rid for rid, fn, gn, fk, gk in db.query(
                "SELECT id, family_name, given_name, family_kana, given_kana FROM resident "
                "WHERE match_key=? AND birth_date=? ORDER BY id",
                (residents_repo.match_key(r.family_kana, r.given_kana), d2s(r.birth_date)))
                if (fold(fn), fold(gn), fold(fk), fold(gk)) == lr.key[:4]]
            if len(matches) > 1:
                errors.append(_error(new_stays[0].row, "family_name", _(
                    "She matches {n} residents already in ShelterDesk (numbers {ids}); decide "
                    "on the record which one is her before importing.").format(
                        n=len(matches), ids=", ".join(str(m) for m in matches))))
            elif matches:
                rw.resident_id = matches[0]
        if rw.resident_id is not None and new_stays:
            existing = db.query("SELECT id, admitted_on, discharged_on FROM stay "
                                "WHERE resident_id=? ORDER BY admitted_on", (rw.resident_id,))
            for ls in new_stays:
                a0, a1 = ls.stay.admitted_on, ls.stay.discharged_on or date.max
                for sid, b0, b1 in existing:
                    b0, b1 = s2d(b0), s2d(b1) or date.max
                    if a0 < b1 and b0 < a1:
                        if ls.is_open and b1 == date.max:
                            errors.append(_error(ls.row, "discharged_on", _(
                                "She is already in residence in ShelterDesk (stay {id}); only "
                                "one stay can be open.").format(id=sid)))
                        else:
                            errors.append(_error(ls.row, "admitted_on", _(
                                "This stay overlaps her stay {id} already in ShelterDesk.")
                                .format(id=sid)))
                        break

        resident_ref = ("db", rw.resident_id) if rw.resident_id is not None else ("new", id(rw))
        for ls in lr.stays:
            if ls.ledger_id in present:
                stays_present += 1
                sid, rid = present[ls.ledger_id]
                sw = _StayWork(ls.row, ls.ledger_id, None, sid, owner=rid)
                ref = ("db", rid)
                linked = {r[0] for r in db.query(
                    "SELECT child_id FROM stay_child WHERE stay_id=?", (sid,))} \
                    if ls.children else set()
            else:
                sw = _StayWork(ls.row, ls.ledger_id, ls.stay, None)
                ref, linked = resident_ref, set()
                if ls.is_open and ls.room:
                    room = rooms.get(_room_key(ls.room))
                    if room and not room[0]:
                        sw.bed_id = next((b for b in room[1] if b not in occupied), None)
                        if sw.bed_id is not None:
                            occupied.add(sw.bed_id)
            rw.stays.append(sw)
            for lc in ls.children:
                cid = children_of(ref[1]).get(lc.key) if ref[0] == "db" else None
                if cid is not None:
                    present_children.add(cid)
                    if cid not in linked:
                        sw.links.append(cid)
                    continue
                nc = new_children.get((ref, lc.key))
                if nc is None:
                    nc = new_children[(ref, lc.key)] = _NewChild(lc.child)
                if nc not in sw.links:
                    sw.links.append(nc)
    errors.sort(key=lambda e: (e.row or 0, e.column))
    return _Work(work, errors, len(new_children), len(present_children), stays_present)


def _summary(w: _Work) -> ImportSummary:
    s = ImportSummary(children_new=w.children_new, children_present=w.children_present,
                      stays_present=w.stays_present, errors=w.errors)
    for rw in w.residents:
        if rw.has_new:
            if rw.resident_id is None:
                s.residents_new += 1
            else:
                s.residents_existing += 1
        s.stays_new += sum(1 for st in rw.stays if st.stay is not None)
    return s


# -- public ----------------------------------------------------------------------

def preview(session, plan: LedgerPlan) -> ImportSummary:
    """What :func:`apply` would do, and the errors that need the database to
    be found, without writing anything (not even an audit row)."""
    session.require(*IMPORT_ROLES)
    if plan.errors:
        return ImportSummary(errors=list(plan.errors))
    w = _resolve(session.db, plan)
    summary = _summary(w)
    for rw in w.residents:
        for st in rw.stays:
            summary.stays.append(ImportedStay(st.row, st.ledger_id, st.stay_id,
                                              st.owner or rw.resident_id, st.stay is not None))
    summary.stays.sort(key=lambda x: x.row)
    return summary


def apply(session, plan: LedgerPlan, progress: Progress | None = None) -> ImportSummary:
    """Write the whole plan in one transaction, or nothing (LedgerRejected)."""
    session.require(*IMPORT_ROLES)
    if plan.errors:
        raise LedgerRejected(list(plan.errors))
    db = session.db
    total = plan.stay_count
    step = max(1, total // 100)
    with db.transaction() as con:
        w = _resolve(db, plan)
        if w.errors:
            raise LedgerRejected(w.errors)
        summary = _summary(w)
        summary.errors = []
        stamp = now_text()
        done = 0
        stay_sql = (
            "INSERT INTO stay(resident_id, admitted_on, admitted_time, admission_type, "
            "main_complaint, referral_source, bed_id, discharged_on, discharge_destination, "
            "ledger_id, created_at, updated_at) VALUES (?,?,NULL,?,?,?,?,?,?,?,?,?)")
        for rw in w.residents:
            if rw.has_new and rw.resident_id is None:
                rw.resident_id = residents_repo.write_resident_row(con, rw.lr.resident, stamp)
            for st in rw.stays:
                if st.stay is not None:
                    s = st.stay
                    st.stay_id = con.execute(stay_sql, (
                        rw.resident_id, d2s(s.admitted_on), s.admission_type, s.main_complaint,
                        s.referral_source, st.bed_id, d2s(s.discharged_on),
                        s.discharge_destination, st.ledger_id, stamp, stamp)).lastrowid
                    if s.discharged_on is None and st.bed_id is None:
                        summary.without_bed.append(st.stay_id)
                    owner = rw.resident_id
                else:
                    owner = st.owner
                ids = []
                for link in st.links:
                    if isinstance(link, _NewChild):
                        if link.id is None:
                            link.id = residents_repo.write_child_row(
                                con, replace(link.child, resident_id=owner), stamp)
                        ids.append(link.id)
                    else:
                        ids.append(link)
                con.executemany("INSERT INTO stay_child(stay_id, child_id) VALUES (?,?)",
                                [(st.stay_id, c) for c in ids])
                summary.stays.append(ImportedStay(st.row, st.ledger_id, st.stay_id,
                                                  owner, st.stay is not None))
                done += 1
                if progress and (done % step == 0 or done == total):
                    progress(done, total)
        summary.stays.sort(key=lambda x: x.row)
        db.audit("import_ledger", "stay", None,
                 f"stays_new={summary.stays_new} stays_present={summary.stays_present} "
                 f"children_new={summary.children_new} "
                 f"children_present={summary.children_present} "
                 f"residents_new={summary.residents_new} "
                 f"residents_existing={summary.residents_existing} "
                 f"without_bed={len(summary.without_bed)}")
    return summary
