"""Stays: admission (a resident, her children, consents and a bed in one
transaction), discharge, moving beds, and reading a resident's stays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from shelterdesk.core import occupancy
from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.core.validation import (
    FieldError,
    ValidationError,
    check_child,
    check_consent,
    check_resident,
    check_stay,
)
from shelterdesk.i18n import _
from shelterdesk.store import drafts as drafts_repo
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import rooms
from shelterdesk.store.errors import Conflict, NotFound
from shelterdesk.store.rows import d2s, now_text, s2d

STAY_COLS = ("id", "resident_id", "admitted_on", "admitted_time", "admission_type",
             "main_complaint", "referral_source", "bed_id", "review_on", "discharged_on",
             "discharge_destination", "discharge_note", "ledger_id")


@dataclass
class Admission:
    """Everything the intake desk enters for one arrival. ``resident.id`` set
    means a readmission of that resident (staff chose "same person")."""
    resident: Resident
    stay: Stay
    children: list[Child] = field(default_factory=list)
    existing_child_ids: list[int] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)


def _stay_from_row(db, row) -> Stay:
    v = dict(zip(STAY_COLS, row, strict=True))
    t = v.pop("admitted_time") or "00:00"
    admitted = datetime.fromisoformat(f"{v.pop('admitted_on')}T{t}")
    tags = tuple(r[0] for r in db.query("SELECT tag FROM stay_issue WHERE stay_id=? ORDER BY tag",
                                        (v["id"],)))
    kids = tuple(r[0] for r in db.query("SELECT child_id FROM stay_child WHERE stay_id=? "
                                        "ORDER BY child_id", (v["id"],)))
    return Stay(admitted_at=admitted, issue_tags=tags, child_ids=kids,
                review_on=s2d(v.pop("review_on")), discharged_on=s2d(v.pop("discharged_on")),
                **v)


def get_stay(db, stay_id: int) -> Stay:
    row = db.query_one(f"SELECT {', '.join(STAY_COLS)} FROM stay WHERE id=?", (stay_id,))
    if row is None:
        raise NotFound(_("There is no stay with number {id}.").format(id=stay_id))
    return _stay_from_row(db, row)


def stays_of(db, resident_id: int) -> list[Stay]:
    return [_stay_from_row(db, r) for r in db.query(
        f"SELECT {', '.join(STAY_COLS)} FROM stay WHERE resident_id=? "
        "ORDER BY admitted_on DESC, id DESC", (resident_id,))]


def open_stay_of(db, resident_id: int) -> Stay | None:
    row = db.query_one(f"SELECT {', '.join(STAY_COLS)} FROM stay WHERE resident_id=? AND "
                       "discharged_on IS NULL", (resident_id,))
    return _stay_from_row(db, row) if row else None


def check_admission(db, a: Admission, now: datetime | None = None) -> list[FieldError]:
    now = now or datetime.now()
    errors = check_resident(a.resident, now.date()) + check_stay(a.stay, now)
    admitted_on = a.stay.admitted_on
    for i, ch in enumerate(a.children):
        errors += check_child(ch, admitted_on, now.date(), prefix=f"children[{i}].")
    for i, k in enumerate(a.consents):
        errors += check_consent(k, prefix=f"consents[{i}].")
    if a.resident.id is not None and open_stay_of(db, a.resident.id) is not None:
        errors.append(FieldError("resident", _("She is already in residence (an open stay).")))
    if a.stay.bed_id is not None:
        errors += _bed_errors(db, a.stay.bed_id)
    return errors


def _bed_errors(db, bed_id: int, moving_stay: int | None = None) -> list[FieldError]:
    """The bed must exist and be free under core.occupancy's rule (a family
    room is one family's) for a new admission or for ``moving_stay``."""
    if db.query_one("SELECT 1 FROM bed WHERE id=?", (bed_id,)) is None:
        return [FieldError("bed_id", _("This bed does not exist."))]
    refusal = rooms.bed_refusal(db, bed_id, moving_stay)
    if refusal == occupancy.OUT_OF_SERVICE:
        return [FieldError("bed_id", _("This room is out of service."))]
    if refusal == occupancy.OCCUPIED:
        return [FieldError("bed_id", _("This bed is taken."))]
    if refusal == occupancy.FAMILY:
        return [FieldError("bed_id", _("This family room is taken by another family."))]
    return []


def admit(db, a: Admission, now: datetime | None = None, *,
          draft_id: int | None = None) -> Stay:
    """Register an arrival: all of it in one transaction, or nothing. The
    intake draft ``draft_id`` it was typed into is deleted in the same
    transaction, so a saved admission never leaves a draft to save twice."""
    errors = check_admission(db, a, now)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        if a.resident.id is None:
            residents_repo.insert_resident(db, a.resident, (now or datetime.now()).date())
        else:
            residents_repo.update_resident(db, a.resident, (now or datetime.now()).date())
        rid = a.resident.id
        s = a.stay
        s.resident_id = rid
        stamp = now_text()
        s.id = con.execute(
            "INSERT INTO stay(resident_id, admitted_on, admitted_time, admission_type, "
            "main_complaint, referral_source, bed_id, review_on, ledger_id, created_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (rid, d2s(s.admitted_on), s.admitted_at.strftime("%H:%M"), s.admission_type,
             s.main_complaint, s.referral_source, s.bed_id, d2s(s.review_on), s.ledger_id,
             stamp, stamp)).lastrowid
        con.executemany("INSERT INTO stay_issue(stay_id, tag) VALUES (?,?)",
                        [(s.id, t) for t in sorted(set(s.issue_tags))])
        child_ids = list(a.existing_child_ids)
        for ch in a.children:
            ch.resident_id = rid
            child_ids.append(residents_repo.insert_child(db, ch, s.admitted_on))
        con.executemany("INSERT INTO stay_child(stay_id, child_id) VALUES (?,?)",
                        [(s.id, c) for c in child_ids])
        s.child_ids = tuple(child_ids)
        for k in a.consents:
            k.resident_id = rid
            residents_repo.insert_consent(db, k)
        db.audit("admit", "stay", s.id, f"resident={rid} bed={s.bed_id} "
                                        f"children={len(child_ids)}")
        if draft_id is not None:
            drafts_repo.delete_draft(db, draft_id)
    return s


def update_stay(db, s: Stay) -> None:
    errors = check_stay(s)
    if s.bed_id is not None:
        errors += _bed_errors(db, s.bed_id, moving_stay=s.id)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        con.execute(
            "UPDATE stay SET admitted_on=?, admitted_time=?, admission_type=?, "
            "main_complaint=?, referral_source=?, review_on=?, updated_at=? WHERE id=?",
            (d2s(s.admitted_on), s.admitted_at.strftime("%H:%M"), s.admission_type,
             s.main_complaint, s.referral_source, d2s(s.review_on), now_text(), s.id))
        con.execute("DELETE FROM stay_issue WHERE stay_id=?", (s.id,))
        con.executemany("INSERT INTO stay_issue(stay_id, tag) VALUES (?,?)",
                        [(s.id, t) for t in sorted(set(s.issue_tags))])
        db.audit("update", "stay", s.id)


def discharge(db, stay_id: int, on: date, destination: str, note: str = "") -> Stay:
    """Close a stay; the bed becomes free."""
    s = get_stay(db, stay_id)
    if s.discharged_on is not None:
        raise Conflict(_("This stay was already closed on {d}.").format(d=s.discharged_on))
    s.discharged_on, s.discharge_destination, s.discharge_note = on, destination, note
    errors = check_stay(s)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        con.execute("UPDATE stay SET discharged_on=?, discharge_destination=?, discharge_note=?, "
                    "updated_at=? WHERE id=?", (d2s(on), destination, note, now_text(), stay_id))
        db.audit("discharge", "stay", stay_id, f"destination={destination} bed={s.bed_id}")
    return s


def link_child(db, stay_id: int, child_id: int) -> None:
    """Record that her child ``child_id`` is with her on stay ``stay_id`` (a
    child added on the record after intake). The child must be hers."""
    s = get_stay(db, stay_id)
    row = db.query_one("SELECT resident_id FROM child WHERE id=?", (child_id,))
    if row is None or row[0] != s.resident_id:
        raise NotFound(_("This child is not recorded for her."))
    with db.transaction() as con:
        con.execute("INSERT OR IGNORE INTO stay_child(stay_id, child_id) VALUES (?,?)",
                    (stay_id, child_id))
        db.audit("update", "stay", stay_id, f"child={child_id}")


def add_child(db, ch: Child, stay: Stay | None) -> int:
    """Add her child on the record (one user action, one transaction): the
    child is checked against ``stay``'s admission (a companion child must be
    under 18 then) and, when ``stay`` is still open, is recorded as with her
    on it. ``stay`` must be hers. Audited as the two steps are: the child
    created, the stay updated."""
    if stay is not None and stay.resident_id != ch.resident_id:
        raise NotFound(_("There is no stay with number {id}.").format(id=stay.id))
    with db.transaction():
        cid = residents_repo.insert_child(db, ch, stay.admitted_on if stay else None)
        if stay is not None and stay.discharged_on is None:
            link_child(db, stay.id, cid)
    return cid


def move_bed(db, stay_id: int, bed_id: int | None) -> None:
    """Move her (and so her children, who stay with her) to another bed."""
    s = get_stay(db, stay_id)
    if s.discharged_on is not None:
        raise Conflict(_("This stay is closed; she has no bed."))
    if bed_id is not None:
        errors = _bed_errors(db, bed_id, moving_stay=stay_id)
        if errors:
            raise ValidationError(errors)
    with db.transaction() as con:
        con.execute("UPDATE stay SET bed_id=?, updated_at=? WHERE id=?",
                    (bed_id, now_text(), stay_id))
        db.audit("move_bed", "stay", stay_id, f"from={s.bed_id} to={bed_id}")


def undo_discharge(s, stay_id: int, bed_id: int | None = None) -> Stay:
    """Reopen a stay whose discharge was entered by mistake (a manager's or an
    administrator's action, audited). Only her most recent stay, only while
    she has no other open stay, and only into a bed the occupancy rule leaves
    free: her old bed by default (``bed_id`` None), or the bed chosen instead,
    or ``-1`` for no bed yet. The discharge date, destination and note are
    cleared; the audit line keeps what they were."""
    s.require("manager", "admin")
    db = s.db
    stay = get_stay(db, stay_id)
    if stay.discharged_on is None:
        raise Conflict(_("This stay is not closed."))
    latest = stays_of(db, stay.resident_id)[0]
    if latest.id != stay_id:
        raise Conflict(_("Only her most recent stay can be reopened."))
    bed = stay.bed_id if bed_id is None else (None if bed_id == -1 else bed_id)
    if bed is not None:
        errors = _bed_errors(db, bed, moving_stay=stay_id)
        if errors:
            raise ValidationError(errors)
    with db.transaction() as con:
        con.execute("UPDATE stay SET discharged_on=NULL, discharge_destination=NULL, "
                    "discharge_note='', bed_id=?, updated_at=? WHERE id=?",
                    (bed, now_text(), stay_id))
        db.audit("undo_discharge", "stay", stay_id,
                 f"was={d2s(stay.discharged_on)} destination={stay.discharge_destination} "
                 f"bed={bed}")
    return get_stay(db, stay_id)
