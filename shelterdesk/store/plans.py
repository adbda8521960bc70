"""Independence plans (自立支援計画): what the Today page needs of them.

Minimal on this branch (issue 9 items 3–6): the two queries the Today page
lists, over the plan, plan_goal, milestone and plan_review tables. The plans
branch (issue 9 items 1–2) owns this module and its screens; these two
functions keep their signatures there.

"Overdue" is derived, never stored: a target date before today and a status
that is neither done nor dropped. A milestone's responsible person is typed
text; "mine" matches it against the account's display name or login.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shelterdesk.store.access import NAME_SQL
from shelterdesk.store.rows import d2s, s2d


@dataclass
class DueMilestone:
    stay_id: int
    resident_id: int
    display_name: str
    milestone_id: int
    title: str
    target_on: date
    overdue: bool


@dataclass
class ReviewDue:
    stay_id: int
    resident_id: int
    display_name: str
    next_review_on: date


def due_milestones(db, until: date, staff_id: int | None = None,
                   today: date | None = None) -> list[DueMilestone]:
    """Milestones of open stays not done or dropped whose target date is on or
    before ``until`` (so every overdue one too), oldest first."""
    today = today or date.today()
    sql = (f"SELECT s.id, s.resident_id, {NAME_SQL}, m.id, m.title, m.target_on "
           "FROM milestone m JOIN plan_goal g ON g.id = m.goal_id JOIN plan p ON p.id = g.plan_id "
           "JOIN stay s ON s.id = p.stay_id JOIN resident r ON r.id = s.resident_id "
           "WHERE s.discharged_on IS NULL AND m.status IN ('planned', 'in_progress') "
           "AND m.target_on IS NOT NULL AND m.target_on <= ?")
    params: list = [d2s(until)]
    if staff_id is not None:
        sql += (" AND m.responsible <> '' AND m.responsible IN "
                "(SELECT display_name FROM account WHERE id=? UNION "
                "SELECT login FROM account WHERE id=?)")
        params += [staff_id, staff_id]
    sql += " ORDER BY m.target_on, m.id"
    return [DueMilestone(r[0], r[1], r[2], r[3], r[4], s2d(r[5]), s2d(r[5]) < today)
            for r in db.query(sql, params)]


def reviews_due(db, until: date) -> list[ReviewDue]:
    """Plans of open stays whose next review date is on or before ``until``."""
    rows = db.query(
        f"SELECT s.id, s.resident_id, {NAME_SQL}, p.next_review_on FROM plan p "
        "JOIN stay s ON s.id = p.stay_id JOIN resident r ON r.id = s.resident_id "
        "WHERE s.discharged_on IS NULL AND p.next_review_on IS NOT NULL "
        "AND p.next_review_on <= ? ORDER BY p.next_review_on, s.id", (d2s(until),))
    return [ReviewDue(r[0], r[1], r[2], s2d(r[3])) for r in rows]
