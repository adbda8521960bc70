"""Residents, their companion children and consents; the residents list.

Every write validates first (core.validation), runs in one transaction and
appends an audit row in that same transaction. Every read of one resident's
record is audited as a view. Audit details carry ids and codes, never names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shelterdesk.core.models import Child, Consent, Resident, ResidentRow, SafetyFlags
from shelterdesk.core.text import fold, search_fold, search_key
from shelterdesk.core.validation import ValidationError, check_child, check_consent, check_resident
from shelterdesk.i18n import _
from shelterdesk.store.errors import NotFound
from shelterdesk.store.rows import d2s, like_pattern, now_text, s2d

RESIDENT_COLS = (
    "family_name", "given_name", "family_kana", "given_kana", "alias", "birth_date",
    "estimated_age", "nationality", "language", "interpreter_needed", "safe_phone",
    "registered_municipality", "health_notes", "disability_certificate", "pregnant",
    "allergies", "medications", "support_measure", "protection_order", "danger_level",
    "danger_warning", "whereabouts_secret",
)
CHILD_COLS = (
    "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex",
    "relationship", "school_before", "school_after", "grade", "health_notes", "allergies",
    "child_guidance", "special_needs",
)


def match_key(family_kana: str, given_kana: str) -> str:
    """Readmission matching: the same kana (folded) and birth date is a likely
    match to *show*, never to merge."""
    return fold(family_kana + given_kana)


def _resident_values(r: Resident) -> tuple:
    s = r.safety
    return (r.family_name.strip(), r.given_name.strip(), r.family_kana.strip(),
            r.given_kana.strip(), r.alias.strip(), d2s(r.birth_date), r.estimated_age,
            r.nationality, r.language, int(r.interpreter_needed), r.safe_phone,
            r.registered_municipality, r.health_notes, r.disability_certificate,
            int(r.pregnant), r.allergies, r.medications, int(s.support_measure),
            s.protection_order or "none", s.danger_level or None, s.danger_warning,
            int(s.whereabouts_secret))


def resident_search_key(r: Resident) -> str:
    """What she is found by in the list: names, alias, kana, each folded by
    :func:`~shelterdesk.core.text.search_key`. Migration step 2 recomputes it
    with this very function."""
    return search_key(r.family_name, r.given_name, r.family_name + r.given_name, r.alias,
                       r.family_kana, r.given_kana, r.family_kana + r.given_kana)


def _resident_keys(r: Resident) -> tuple[str, str]:
    return resident_search_key(r), match_key(r.family_kana, r.given_kana)


def _resident_from_row(row) -> Resident:
    v = dict(zip(("id", *RESIDENT_COLS), row, strict=True))
    safety = SafetyFlags(bool(v.pop("support_measure")), v.pop("protection_order"),
                         v.pop("danger_level"), v.pop("danger_warning"),
                         bool(v.pop("whereabouts_secret")))
    v["birth_date"] = s2d(v["birth_date"])
    for b in ("interpreter_needed", "pregnant"):
        v[b] = bool(v[b])
    return Resident(**v, safety=safety)


_INSERT_RESIDENT = (
    f"INSERT INTO resident({', '.join(RESIDENT_COLS)}, search_key, match_key, created_at, "
    f"updated_at) VALUES ({', '.join('?' * (len(RESIDENT_COLS) + 4))})")
_INSERT_CHILD = (
    f"INSERT INTO child(resident_id, {', '.join(CHILD_COLS)}, created_at, updated_at) "
    f"VALUES ({', '.join('?' * (len(CHILD_COLS) + 3))})")


def write_resident_row(con, r: Resident, stamp: str) -> int:
    """Insert her row and return its id: the one place a resident row is
    written (with its search and match keys), for :func:`insert_resident`
    (the intake and the record) and the ledger import alike.

    Neither validates nor audits: call it inside a transaction, after
    checking ``r``, and audit as the caller's action requires (one row per
    resident at intake, one row for a whole ledger import)."""
    return con.execute(_INSERT_RESIDENT,
                       (*_resident_values(r), *_resident_keys(r), stamp, stamp)).lastrowid


def write_child_row(con, ch: Child, stamp: str) -> int:
    """Insert a child's row (``ch.resident_id`` is her mother) and return its
    id; like :func:`write_resident_row`, no validation and no audit."""
    return con.execute(_INSERT_CHILD,
                       (ch.resident_id, *_child_values(ch), stamp, stamp)).lastrowid


def insert_resident(db, r: Resident, today: date | None = None) -> int:
    errors = check_resident(r, today)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        rid = write_resident_row(con, r, now_text())
        db.audit("create", "resident", rid)
    r.id = rid
    return rid


def update_resident(db, r: Resident, today: date | None = None) -> None:
    errors = check_resident(r, today)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        cur = con.execute(
            f"UPDATE resident SET {', '.join(c + '=?' for c in RESIDENT_COLS)}, search_key=?, "
            "match_key=?, updated_at=? WHERE id=?",
            (*_resident_values(r), *_resident_keys(r), now_text(), r.id))
        if cur.rowcount != 1:
            raise NotFound(_("This resident no longer exists."))
        db.audit("update", "resident", r.id)


def get_resident(db, resident_id: int, *, audit_view: bool = True) -> Resident:
    """One resident's record. Viewing it is audited (pass audit_view=False only
    for documents and internal lookups that audit their own action)."""
    row = db.query_one(f"SELECT id, {', '.join(RESIDENT_COLS)} FROM resident WHERE id=?",
                       (resident_id,))
    if row is None:
        raise NotFound(_("This resident no longer exists."))
    if audit_view:
        db.audit("view", "resident", resident_id)
    return _resident_from_row(row)


@dataclass
class LikelyMatch:
    resident_id: int
    display_name: str
    kana: str
    birth_date: date | None
    last_admitted: date | None
    last_discharged: date | None


def likely_matches(db, family_kana: str, given_kana: str,
                   birth_date: date | None) -> list[LikelyMatch]:
    """Earlier residents with the same kana and birth date (readmission)."""
    key = match_key(family_kana, given_kana)
    if not key or birth_date is None:
        return []
    rows = db.query(
        "SELECT r.id, r.alias, trim(r.family_name || ' ' || r.given_name), "
        "       trim(r.family_kana || ' ' || r.given_kana), r.birth_date, "
        "       max(s.admitted_on), max(s.discharged_on) "
        "FROM resident r LEFT JOIN stay s ON s.resident_id = r.id "
        "WHERE r.match_key=? AND r.birth_date=? GROUP BY r.id ORDER BY r.id",
        (key, d2s(birth_date)))
    return [LikelyMatch(r[0], r[1] or r[2], r[3], s2d(r[4]), s2d(r[5]), s2d(r[6]))
            for r in rows]


# -- children ---------------------------------------------------------------

def _child_values(ch: Child) -> tuple:
    return (ch.family_name.strip(), ch.given_name.strip(), ch.family_kana.strip(),
            ch.given_kana.strip(), d2s(ch.birth_date), ch.sex or None, ch.relationship,
            ch.school_before, ch.school_after, ch.grade, ch.health_notes, ch.allergies,
            int(ch.child_guidance), ch.special_needs)


def insert_child(db, ch: Child, admitted_on: date | None = None) -> int:
    errors = check_child(ch, admitted_on)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        cid = write_child_row(con, ch, now_text())
        db.audit("create", "child", cid, f"resident={ch.resident_id}")
    ch.id = cid
    return cid


def update_child(db, ch: Child, admitted_on: date | None = None) -> None:
    errors = check_child(ch, admitted_on)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        con.execute(f"UPDATE child SET {', '.join(c + '=?' for c in CHILD_COLS)}, updated_at=? "
                    "WHERE id=?", (*_child_values(ch), now_text(), ch.id))
        db.audit("update", "child", ch.id)


def children_of(db, resident_id: int) -> list[Child]:
    rows = db.query(f"SELECT id, resident_id, {', '.join(CHILD_COLS)} FROM child "
                    "WHERE resident_id=? ORDER BY birth_date, id", (resident_id,))
    out = []
    for row in rows:
        v = dict(zip(("id", "resident_id", *CHILD_COLS), row, strict=True))
        v["birth_date"] = s2d(v["birth_date"])
        v["child_guidance"] = bool(v["child_guidance"])
        out.append(Child(**v))
    return out


# -- consents ---------------------------------------------------------------

def insert_consent(db, k: Consent) -> int:
    errors = check_consent(k)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        kid = con.execute(
            "INSERT INTO consent(resident_id, scope, recipient, given_on, expires_on, "
            "withdrawn_on, created_at) VALUES (?,?,?,?,?,?,?)",
            (k.resident_id, k.scope, k.recipient.strip(), d2s(k.given_on), d2s(k.expires_on),
             d2s(k.withdrawn_on), now_text())).lastrowid
        db.audit("create", "consent", kid, f"resident={k.resident_id} scope={k.scope}")
    k.id = kid
    return kid


def withdraw_consent(db, consent_id: int, on: date) -> None:
    with db.transaction() as con:
        con.execute("UPDATE consent SET withdrawn_on=? WHERE id=?", (d2s(on), consent_id))
        db.audit("update", "consent", consent_id, "withdrawn")


def consents_of(db, resident_id: int) -> list[Consent]:
    return [Consent(r[0], r[1], r[2], r[3], s2d(r[4]), s2d(r[5]), s2d(r[6]))
            for r in db.query("SELECT id, resident_id, scope, recipient, given_on, expires_on, "
                              "withdrawn_on FROM consent WHERE resident_id=? ORDER BY given_on",
                              (resident_id,))]


# -- the residents list -------------------------------------------------------

VIEW_IN_RESIDENCE = "in_residence"
VIEW_DISCHARGED = "discharged"
VIEW_ALL = "all"

#: Sort key -> ORDER BY terms (ascending). Terms that read ``s`` (her latest
#: stay), ``b`` or ``rm`` need the stay join; the others sort residents alone.
SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("coalesce(nullif(r.alias, ''), r.family_name || r.given_name)",),
    # match_key is the folded kana (katakana = hiragana, widths alike) and is
    # indexed, so the default view's first page needs no sort of every row.
    "kana": ("r.match_key",),
    "age": ("r.birth_date DESC",),
    "room": ("rm.name", "b.label"),
    "admitted": ("s.admitted_on",),
    # As ResidentRow.days counts them: a closed stay ends at its discharge.
    "days": ("max(1, julianday(coalesce(s.discharged_on, '{today}')) - julianday(s.admitted_on)"
             " + (s.discharged_on IS NULL))",),
    "children": ("(SELECT count(*) FROM stay_child sc WHERE sc.stay_id = s.id)",),
    "discharged": ("s.discharged_on",),
    "destination": ("s.discharge_destination",),
    "safety": ("(r.support_measure + (r.protection_order IN ('applied', 'issued')) "
               "+ (r.danger_level IS NOT NULL) + r.whereabouts_secret)",),
}

_STAY_JOIN = (
    "LEFT JOIN stay s ON s.id = (SELECT id FROM stay WHERE resident_id = r.id "
    "                            ORDER BY admitted_on DESC, id DESC LIMIT 1) "
    "LEFT JOIN bed b ON b.id = s.bed_id AND s.discharged_on IS NULL "
    "LEFT JOIN room rm ON rm.id = b.room_id "
)

_LIST_SELECT = (
    "SELECT r.id, s.id, r.alias, trim(r.family_name || ' ' || r.given_name), "
    "       trim(r.family_kana || ' ' || r.given_kana), r.birth_date, r.estimated_age, "
    "       rm.name, b.label, s.admitted_on, s.discharged_on, "
    "       (SELECT count(*) FROM stay_child sc WHERE sc.stay_id = s.id) AS children, "
    "       r.support_measure, r.protection_order, r.danger_level, r.danger_warning, "
    "       r.whereabouts_secret, s.discharge_destination "
    "FROM resident r " + _STAY_JOIN
)

# Residents whose latest stay is open, found from the (few) open stays through
# the stay_open index instead of from every resident's latest stay.
_IN_RESIDENCE_IDS = (
    "SELECT o.resident_id FROM stay o WHERE o.discharged_on IS NULL AND NOT EXISTS ("
    "  SELECT 1 FROM stay n WHERE n.resident_id = o.resident_id AND (n.admitted_on > "
    "  o.admitted_on OR (n.admitted_on = o.admitted_on AND n.id > o.id)))"
)


def _where(view: str, search: str) -> tuple[str, list]:
    """Conditions on ``r`` alone (no stay join needed)."""
    clauses, params = [], []
    if view == VIEW_IN_RESIDENCE:
        clauses.append(f"r.id IN ({_IN_RESIDENCE_IDS})")
    elif view == VIEW_DISCHARGED:
        clauses.append("EXISTS (SELECT 1 FROM stay d WHERE d.resident_id = r.id) "
                       f"AND r.id NOT IN ({_IN_RESIDENCE_IDS})")
    q = search_fold(search)
    if q:
        clauses.append("r.search_key LIKE ? ESCAPE '\\'")
        params.append(like_pattern(q))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def list_residents(db, view: str = VIEW_IN_RESIDENCE, search: str = "", sort: str = "kana",
                   descending: bool = False, limit: int = 200, offset: int = 0,
                   today: date | None = None) -> list[ResidentRow]:
    """One page of the residents list: each resident once, with her latest
    stay. Not audited: the list shows no more than the board on the wall.

    Two steps, so that a page costs the same on 20,000 residents as on 20: the
    page's ids in order (joining her latest stay only when the sort needs it),
    then the full rows of those ids only."""
    today = today or date.today()
    where, params = _where(view, search)
    terms = [t.replace("{today}", today.isoformat())
             for t in SORT_COLUMNS.get(sort, SORT_COLUMNS["kana"])]
    terms.append("r.id")
    if search_fold(search):
        # Searching: scan and sort the matches. Walking the match_key index in
        # order and testing each row is slower when few rows match (a search).
        terms = ["+" + t if t == "r.match_key" else t for t in terms]
    if descending:
        terms = [_flip(t) for t in terms]
    needs_stay = any(x in t for t in terms for x in ("s.", "b.", "rm."))
    ids = [r[0] for r in db.query(
        f"SELECT r.id FROM resident r {_STAY_JOIN if needs_stay else ''}{where} "
        f"ORDER BY {', '.join(terms)} LIMIT ? OFFSET ?", (*params, limit, offset))]
    if not ids:
        return []
    rows = {r[0]: r for r in db.query(
        f"{_LIST_SELECT} WHERE r.id IN ({', '.join('?' * len(ids))})", ids)}
    out = []
    for r in (rows[i] for i in ids):
        birth = s2d(r[5])
        admitted, discharged = s2d(r[9]), s2d(r[10])
        if birth:
            age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        else:
            age = r[6]
        if admitted:
            end = discharged or today
            days = max(1, (end - admitted).days + (0 if discharged else 1))
        else:
            days = 0
        out.append(ResidentRow(
            resident_id=r[0], stay_id=r[1], display_name=r[2] or r[3], legal_name=r[3],
            alias=r[2], kana=r[4], age=age, room=r[7] or "", bed=r[8] or "",
            admitted_on=admitted, discharged_on=discharged, days=days, children=r[11] or 0,
            safety=SafetyFlags(bool(r[12]), r[13], r[14], r[15], bool(r[16])),
            discharge_destination=r[17]))
    return out


def _flip(term: str) -> str:
    return term[:-5] if term.endswith(" DESC") else term + " DESC"


def count_residents(db, view: str = VIEW_IN_RESIDENCE, search: str = "") -> int:
    where, params = _where(view, search)
    return db.query_one(f"SELECT count(*) FROM resident r{where}", params)[0]
