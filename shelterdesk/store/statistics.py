"""What the manager's reports read: stays touching a period, each day's
capacity, programme sessions, aftercare counts and the audit-chain head; and
the two reports put together (the figures themselves are core.statistics).

Reading figures is not a user action and is not audited here; printing or
saving a report is (by the caller: ``doc=… period=…``, never a name). Only
managers and administrators read reports (:data:`REPORT_ROLES`, checked by
:func:`monthly_report` / :func:`fiscal_year_report` when given a session).

Capacity over time: the occupancy of a past day uses that day's capacity.
The history is the one the settings page writes (``settings.update(…,
capacity_from=…)`` → table ``capacity_change``, read by
``settings.capacity_changes``). Before any change is recorded every day uses
the current ``capacity`` setting, and the reports say so (``capacity_source``).
"""

from __future__ import annotations

from datetime import date

from shelterdesk.core import report_figures as rf
from shelterdesk.core import statistics as st
from shelterdesk.core.codes import MANAGEMENT
from shelterdesk.store import settings
from shelterdesk.store.rows import s2d

REPORT_ROLES = tuple(sorted(MANAGEMENT))


def stays_in(db, first: date, last: date) -> list[st.StayRow]:
    """Every stay that touches ``first``..``last`` (both included), with her
    birth date or estimated age, its number of companion children and the room
    of its (last) bed. Ids and codes only."""
    rows = db.query(
        "SELECT s.id, s.resident_id, s.admitted_on, s.discharged_on, s.main_complaint, "
        "       s.referral_source, s.discharge_destination, r.birth_date, r.estimated_age, "
        "       (SELECT count(*) FROM stay_child sc WHERE sc.stay_id = s.id), "
        "       coalesce(rm.name, '') "
        "FROM stay s JOIN resident r ON r.id = s.resident_id "
        "LEFT JOIN bed b ON b.id = s.bed_id LEFT JOIN room rm ON rm.id = b.room_id "
        "WHERE s.admitted_on <= ? AND (s.discharged_on IS NULL OR s.discharged_on >= ?)",
        (last.isoformat(), first.isoformat()))
    return [st.StayRow(sid, rid, date.fromisoformat(a), s2d(d), mc or "", ref or "", dest,
                       s2d(birth), est, kids, room)
            for sid, rid, a, d, mc, ref, dest, birth, est, kids, room in rows]


def capacity_history(db) -> tuple[list[tuple[date, int]], int, str]:
    """(changes as (effective from, capacity), the current capacity, source):
    the settings' history of capacity changes, the one source of truth."""
    current = settings.capacity(db)
    changes = settings.capacity_changes(db)
    if changes:
        return changes, current, rf.CAPACITY_FROM_HISTORY
    return [], current, rf.CAPACITY_FROM_CURRENT


def programme_sessions(db, first: date, last: date) -> int:
    return db.query_one("SELECT count(*) FROM programme_session WHERE held_on BETWEEN ? AND ?",
                        (first.isoformat(), last.isoformat()))[0]


def aftercare_month(db, first: date, last: date, today: date) -> rf.AftercareMonth:
    row = db.query_one(
        "SELECT count(*), count(outcome), "
        "       coalesce(sum(outcome IS NULL AND due_on < ?), 0) "
        "FROM aftercare WHERE due_on BETWEEN ? AND ?",
        (today.isoformat(), first.isoformat(), last.isoformat()))
    return rf.AftercareMonth(row[0], row[1], row[2])


def aftercare_done(db, first: date, last: date) -> dict[str, int]:
    """Items given an outcome in the period, by outcome (done_on in it)."""
    return dict(db.query("SELECT outcome, count(*) FROM aftercare WHERE outcome IS NOT NULL "
                         "AND done_on BETWEEN ? AND ? GROUP BY outcome ORDER BY outcome",
                         (first.isoformat(), last.isoformat())))


def audit_head(db) -> str:
    """The audit chain's current head (``id:hash``), printed in the reports'
    footers so a later check can compare. The one place the reports read it:
    when the chain becomes keyed, only this changes."""
    return db.get_meta("audit_head") or ""


def _capacities(db):
    history, current, source = capacity_history(db)
    return (lambda p: st.capacity_by_day(history, current, p)), source


def monthly_report(db, year: int, month: int, *, suppress: bool = False,
                   today: date | None = None) -> rf.MonthlyReport:
    today = today or date.today()
    p = st.month_period(year, month)
    stays = stays_in(db, p.first, p.last)
    caps, source = _capacities(db)
    return rf.MonthlyReport(
        year=year, month=month, occupancy=st.occupancy(stays, p, caps),
        movement=st.movement(stays, p),
        programme_sessions=programme_sessions(db, p.first, p.last),
        aftercare=aftercare_month(db, p.first, p.last, today),
        capacity_source=source, audit_head=audit_head(db), suppress=suppress, made_on=today)


def _year(db, fy: int, stays: list[st.StayRow], caps) -> rf.YearFigures:
    p = st.fiscal_year_period(fy)
    mine = st.overlapping(stays, p)
    occ = st.occupancy(mine, p, caps)
    return rf.YearFigures(fy, st.movement(mine, p), occ.resident_person_days,
                          occ.occupancy_rate_pct, programme_sessions(db, p.first, p.last),
                          aftercare_done(db, p.first, p.last))


def fiscal_year_report(db, fy: int, *, suppress: bool = False) -> rf.FiscalYearReport:
    """Fiscal year ``fy`` (April ``fy`` – March ``fy + 1``) with the year before it."""
    stays = stays_in(db, st.fiscal_year_period(fy - 1).first, st.fiscal_year_period(fy).last)
    caps, source = _capacities(db)
    return rf.FiscalYearReport(current=_year(db, fy, stays, caps),
                               previous=_year(db, fy - 1, stays, caps),
                               capacity_source=source, audit_head=audit_head(db),
                               suppress=suppress)
