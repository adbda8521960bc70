"""What the manager's reports read: stays touching a period (live and those
kept as anonymous figures after a retention purge: ``retention.statistic_stays``,
so a purge never changes a past year's figures), each day's
capacity, programme sessions, aftercare counts and the audit-chain head
(``Database.audit_head``, the one the key file anchors); and
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
from shelterdesk.store import retention, settings

REPORT_ROLES = tuple(sorted(MANAGEMENT))


def capacity_history(db) -> tuple[list[tuple[date, int]], int, str]:
    """(changes as (effective from, capacity), the current capacity, source):
    the settings' history of capacity changes, the one source of truth."""
    current = settings.capacity(db)
    changes = settings.capacity_changes(db)
    if changes:
        return changes, current, rf.CAPACITY_FROM_HISTORY
    return [], current, rf.CAPACITY_FROM_CURRENT


#: Aftercare items as the figures count them: live, and those a retention
#: purge kept as anonymous figures (store.retention).
AFTERCARE_ITEMS = ("(SELECT due_on, outcome, done_on FROM aftercare UNION ALL "
                   "SELECT due_on, outcome, done_on FROM retained_aftercare)")


def programme_sessions(db, first: date, last: date) -> int:
    return db.query_one("SELECT count(*) FROM programme_session WHERE held_on BETWEEN ? AND ?",
                        (first.isoformat(), last.isoformat()))[0]


def aftercare_month(db, first: date, last: date, today: date) -> rf.AftercareMonth:
    row = db.query_one(
        "SELECT count(*), count(outcome), "
        "       coalesce(sum(outcome IS NULL AND due_on < ?), 0) "
        f"FROM {AFTERCARE_ITEMS} WHERE due_on BETWEEN ? AND ?",
        (today.isoformat(), first.isoformat(), last.isoformat()))
    return rf.AftercareMonth(row[0], row[1], row[2])


def aftercare_done(db, first: date, last: date) -> dict[str, int]:
    """Items given an outcome in the period, by outcome (done_on in it)."""
    return dict(db.query(f"SELECT outcome, count(*) FROM {AFTERCARE_ITEMS} "
                         "WHERE outcome IS NOT NULL "
                         "AND done_on BETWEEN ? AND ? GROUP BY outcome ORDER BY outcome",
                         (first.isoformat(), last.isoformat())))


def _capacities(db):
    history, current, source = capacity_history(db)
    return (lambda p: st.capacity_by_day(history, current, p)), source


def monthly_report(db, year: int, month: int, *, suppress: bool = False,
                   today: date | None = None) -> rf.MonthlyReport:
    today = today or date.today()
    p = st.month_period(year, month)
    stays = retention.statistic_stays(db, p.first, p.last)
    caps, source = _capacities(db)
    return rf.MonthlyReport(
        year=year, month=month, occupancy=st.occupancy(stays, p, caps),
        movement=st.movement(stays, p),
        programme_sessions=programme_sessions(db, p.first, p.last),
        aftercare=aftercare_month(db, p.first, p.last, today),
        capacity_source=source, audit_head=str(db.audit_head() or ""), suppress=suppress, made_on=today)


def _year(db, fy: int, stays: list[st.StayRow], caps) -> rf.YearFigures:
    p = st.fiscal_year_period(fy)
    mine = st.overlapping(stays, p)
    occ = st.occupancy(mine, p, caps)
    return rf.YearFigures(fy, st.movement(mine, p), occ.resident_person_days,
                          occ.occupancy_rate_pct, programme_sessions(db, p.first, p.last),
                          aftercare_done(db, p.first, p.last))


def fiscal_year_report(db, fy: int, *, suppress: bool = False) -> rf.FiscalYearReport:
    """Fiscal year ``fy`` (April ``fy`` – March ``fy + 1``) with the year before it."""
    stays = retention.statistic_stays(db, st.fiscal_year_period(fy - 1).first, st.fiscal_year_period(fy).last)
    caps, source = _capacities(db)
    return rf.FiscalYearReport(current=_year(db, fy, stays, caps),
                               previous=_year(db, fy - 1, stays, caps),
                               capacity_source=source, audit_head=str(db.audit_head() or ""),
                               suppress=suppress)
