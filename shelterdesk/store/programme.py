"""Programme sessions (自立支援講座 etc.): title, date, facilitator and who
attended, the fiscal year's running count against the seed's KPI of 50, and
per resident the sessions attended in the last four weeks.

Attendance is of residents in residence on the session's day (an open stay on
that day); a session in the future can be planned but has no attendance yet.
Caseworkers and managers write; every change is audited with ids only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shelterdesk.core import casework, codes
from shelterdesk.core.validation import SHORT_TEXT, Checker, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store.access import NAME_SQL, require
from shelterdesk.store.rows import d2s, s2d


@dataclass
class ProgrammeSession:
    title: str
    held_on: date | None
    facilitator: str = ""
    attendees: list[int] = field(default_factory=list)  # resident ids
    id: int | None = None


@dataclass
class SessionRow:
    id: int
    title: str
    held_on: date
    facilitator: str
    attending: int


@dataclass
class Attender:
    """A resident in residence, with her sessions in the last four weeks."""
    resident_id: int
    stay_id: int
    display_name: str
    recent: int = 0


def in_residence_on(db, on: date) -> list[Attender]:
    """Residents with a stay open on ``on``, by kana."""
    day = d2s(on)
    rows = db.query(
        f"SELECT r.id, s.id, {NAME_SQL} FROM stay s JOIN resident r ON r.id = s.resident_id "
        "WHERE s.admitted_on <= ? AND (s.discharged_on IS NULL OR s.discharged_on > ?) "
        "ORDER BY r.family_kana, r.given_kana, r.id", (day, day))
    return [Attender(r[0], r[1], r[2]) for r in rows]


def check_session(db, s: ProgrammeSession, today: date | None = None) -> list:
    today = today or date.today()
    c = Checker()
    if not s.title.strip():
        c.add("title", _("Title is required."))
    c.length("title", _("Title"), s.title, SHORT_TEXT)
    c.length("facilitator", _("Facilitator"), s.facilitator, SHORT_TEXT)
    if s.held_on is None:
        c.add("held_on", _("Date is required."))
    elif s.attendees and s.held_on > today:
        c.add("attendees", _("Attendance can be recorded only on or after the session's day."))
    elif s.attendees:
        present = {a.resident_id for a in in_residence_on(db, s.held_on)}
        if not set(s.attendees) <= present:
            c.add("attendees", _("Only residents in residence on the session's day can "
                                 "attend."))
    return c.errors


def record_session(db, s: ProgrammeSession, today: date | None = None) -> int:
    """A new session with its attendance, or (``s.id``) the same session's
    details and attendance replaced: one transaction."""
    require(db, codes.CASEWORK)
    errors = check_session(db, s, today)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        if s.id is None:
            s.id = con.execute("INSERT INTO programme_session(title, held_on, facilitator) "
                               "VALUES (?,?,?)", (s.title.strip(), d2s(s.held_on),
                                                  s.facilitator.strip())).lastrowid
            action = "create"
        else:
            con.execute("UPDATE programme_session SET title=?, held_on=?, facilitator=? "
                        "WHERE id=?", (s.title.strip(), d2s(s.held_on), s.facilitator.strip(),
                                       s.id))
            con.execute("DELETE FROM programme_attendance WHERE session_id=?", (s.id,))
            action = "update"
        con.executemany("INSERT INTO programme_attendance(session_id, resident_id) VALUES (?,?)",
                        [(s.id, rid) for rid in sorted(set(s.attendees))])
        db.audit(action, "programme_session", s.id, f"attending={len(set(s.attendees))}")
    return s.id


def attendees_of(db, session_id: int) -> list[int]:
    return [r[0] for r in db.query("SELECT resident_id FROM programme_attendance "
                                   "WHERE session_id=? ORDER BY resident_id", (session_id,))]


def sessions_between(db, first: date, last: date) -> list[SessionRow]:
    require(db, codes.EVERYONE)
    rows = db.query(
        "SELECT p.id, p.title, p.held_on, p.facilitator, "
        "(SELECT count(*) FROM programme_attendance a WHERE a.session_id = p.id) "
        "FROM programme_session p WHERE p.held_on BETWEEN ? AND ? "
        "ORDER BY p.held_on DESC, p.id DESC", (d2s(first), d2s(last)))
    return [SessionRow(r[0], r[1], s2d(r[2]), r[3], r[4]) for r in rows]


def fiscal_year_count(db, today: date) -> casework.KpiCount:
    """Sessions held from 1 April of today's fiscal year up to today."""
    n = db.query_one("SELECT count(*) FROM programme_session WHERE held_on BETWEEN ? AND ?",
                     (d2s(casework.fiscal_year_start(today)), d2s(today)))[0]
    return casework.KpiCount(n)


def recent_attendance(db, today: date) -> list[Attender]:
    """Everyone in residence today with her sessions in the last four weeks."""
    require(db, codes.CASEWORK)
    people = in_residence_on(db, today)
    first, last = casework.recent_window(today)
    counts = dict(db.query(
        "SELECT a.resident_id, count(*) FROM programme_attendance a "
        "JOIN programme_session p ON p.id = a.session_id "
        "WHERE p.held_on BETWEEN ? AND ? GROUP BY a.resident_id", (d2s(first), d2s(last))))
    for p in people:
        p.recent = counts.get(p.resident_id, 0)
    db.audit("view", "programme_attendance", None, f"residents={len(people)}")
    return people
