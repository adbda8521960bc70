"""Independence plans (自立支援計画): one per stay, goals by domain, milestones,
reviews; the goal template; and the caseworker's "due" lists.

Why things are as they are:
- Caseworkers and managers write plans; intake staff read them. The store
  checks the working account's roles itself (:func:`_require_writer`), so no
  screen or script can write a plan for an intake account.
- Every change of a plan is audited against the PLAN (entity ``plan``, the
  plan's id; goal and milestone ids and codes in the detail, never texts), so
  "what changed since the last review" is the plan's audit rows after its last
  ``review`` row (:func:`changes_since_review`), and one index serves it.
- Reading a plan for a person is a view and is audited (``audit_view``);
  documents and internal lookups pass ``audit_view=False`` and audit their own
  action (the print).
- "Overdue" is derived (core.plans.is_overdue), never stored.
- :func:`due_milestones` and :func:`reviews_due` are what the caseworker's
  Today page reads: stays in residence only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from shelterdesk.core import codes
from shelterdesk.core.plans import (
    Goal,
    Milestone,
    Plan,
    Review,
    TemplateItem,
    check_goal,
    check_milestone,
    check_review,
)
from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.i18n import _
from shelterdesk.store.errors import Conflict, Forbidden, NotFound
from shelterdesk.store.rows import d2s, s2d

#: Display name as the rest of the program shows her: the alias, else the legal name.
_NAME_SQL = ("CASE WHEN r.alias <> '' THEN r.alias "
             "ELSE trim(r.family_name || ' ' || r.given_name) END")
_MILESTONE_COLS = ("m.id, m.goal_id, m.title, m.target_on, m.status, m.responsible_account_id, "
                   "m.partner_agency, m.note, m.dropped_reason, coalesce(a.display_name, "
                   "m.responsible)")


def _require_writer(db) -> None:
    roles = {r[0] for r in db.query("SELECT role FROM account_role WHERE account_id=?",
                                    (db.account_id,))} if db.account_id is not None else set()
    if not roles & codes.CASEWORK:
        raise Forbidden(_("Only caseworkers and managers may change a plan."))


def _require_manager(db) -> None:
    roles = {r[0] for r in db.query("SELECT role FROM account_role WHERE account_id=?",
                                    (db.account_id,))} if db.account_id is not None else set()
    if not roles & codes.MANAGEMENT:
        raise Forbidden(_("Only managers may change the plan template."))


def _stay_dates(db, stay_id: int) -> tuple[date | None, date | None]:
    row = db.query_one("SELECT admitted_on, discharged_on FROM stay WHERE id=?", (stay_id,))
    if row is None:
        raise NotFound(_("There is no stay with number {id}.").format(id=stay_id))
    return s2d(row[0]), s2d(row[1])


def _milestone_from_row(r) -> Milestone:
    return Milestone(id=r[0], goal_id=r[1], title=r[2], target_on=s2d(r[3]), status=r[4],
                     responsible_account_id=r[5], partner_agency=r[6], note=r[7],
                     dropped_reason=r[8], responsible=r[9] or "")


# -- reading -------------------------------------------------------------------------
def plan_id_of(db, stay_id: int) -> int | None:
    row = db.query_one("SELECT id FROM plan WHERE stay_id=?", (stay_id,))
    return row[0] if row else None


def get_plan(db, stay_id: int, *, audit_view: bool = True) -> Plan | None:
    """The plan of stay ``stay_id`` with its goals, milestones and reviews
    (newest first), or None when she has none yet. Viewing is audited."""
    row = db.query_one("SELECT id, stay_id, created_on, next_review_on, note FROM plan "
                       "WHERE stay_id=?", (stay_id,))
    if row is None:
        if audit_view:
            record_view(db, stay_id)
        return None
    plan = Plan(id=row[0], stay_id=row[1], created_on=s2d(row[2]),
                next_review_on=s2d(row[3]), note=row[4])
    goals = {g[0]: Goal(id=g[0], plan_id=plan.id, domain=g[1], goal=g[2], sort=g[3])
             for g in db.query("SELECT id, domain, goal, sort FROM plan_goal WHERE plan_id=? "
                               "ORDER BY sort, id", (plan.id,))}
    for r in db.query(
            f"SELECT {_MILESTONE_COLS} FROM milestone m JOIN plan_goal g ON g.id=m.goal_id "
            "LEFT JOIN account a ON a.id=m.responsible_account_id WHERE g.plan_id=? "
            "ORDER BY m.target_on IS NULL, m.target_on, m.id", (plan.id,)):
        goals[r[1]].milestones.append(_milestone_from_row(r))
    plan.goals = list(goals.values())
    plan.reviews = [Review(id=r[0], reviewed_on=s2d(r[1]), note=r[2],
                           next_review_on=s2d(r[3]))
                    for r in db.query("SELECT id, reviewed_on, note, next_review_on "
                                      "FROM plan_review WHERE plan_id=? "
                                      "ORDER BY reviewed_on DESC, id DESC", (plan.id,))]
    if audit_view:
        db.audit("view", "plan", plan.id, f"stay={stay_id}")
    return plan


def record_view(db, stay_id: int) -> None:
    """Audit that a person looked at the plan of stay ``stay_id`` (the tab
    reads the plan with the record and audits when it is shown)."""
    pid = plan_id_of(db, stay_id)
    if pid is None:
        db.audit("view", "stay", stay_id, "plan=none")
    else:
        db.audit("view", "plan", pid, f"stay={stay_id}")


def get_milestone(db, milestone_id: int) -> Milestone:
    row = db.query_one(f"SELECT {_MILESTONE_COLS} FROM milestone m LEFT JOIN account a "
                       "ON a.id=m.responsible_account_id WHERE m.id=?", (milestone_id,))
    if row is None:
        raise NotFound(_("This milestone no longer exists."))
    return _milestone_from_row(row)


@dataclass(frozen=True)
class StaffMember:
    account_id: int
    name: str


def responsible_staff(db) -> list[StaffMember]:
    """Accounts that may be responsible for a milestone (caseworkers and
    managers, not disabled), by name."""
    roles = tuple(sorted(codes.CASEWORK))
    marks = ",".join("?" * len(roles))
    return [StaffMember(r[0], r[1]) for r in db.query(
        f"SELECT DISTINCT a.id, a.display_name FROM account a JOIN account_role ar "
        f"ON ar.account_id=a.id WHERE a.disabled=0 AND ar.role IN ({marks}) "
        "ORDER BY a.display_name, a.id", roles)]


@dataclass(frozen=True)
class PlanChange:
    """One audited change of a plan after its last review (no texts: the
    caller names the goal or milestone from the plan it shows)."""
    at: str
    action: str
    goal_id: int | None
    milestone_id: int | None
    status: str | None
    staff: str


def _detail_fields(detail: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in detail.split() if "=" in part)


def last_reviewed_at(db, plan_id: int) -> str | None:
    row = db.query_one("SELECT max(id) FROM audit WHERE entity='plan' AND entity_id=? "
                       "AND action='review'", (plan_id,))
    if row is None or row[0] is None:
        return None
    return db.query_one("SELECT at FROM audit WHERE id=?", (row[0],))[0]


def changes_since_review(db, plan_id: int) -> list[PlanChange]:
    """The plan's changes after its last recorded review (all of them when it
    was never reviewed), oldest first, from the audit log."""
    last = db.query_one("SELECT coalesce(max(id), 0) FROM audit WHERE entity='plan' "
                        "AND entity_id=? AND action='review'", (plan_id,))[0]
    out = []
    for at, action, detail, staff in db.query(
            "SELECT au.at, au.action, au.detail, coalesce(a.display_name, '') FROM audit au "
            "LEFT JOIN account a ON a.id=au.account_id WHERE au.entity='plan' "
            "AND au.entity_id=? AND au.id>? AND au.action NOT IN ('view', 'print') "
            "ORDER BY au.id", (plan_id, last)):
        f = _detail_fields(detail)
        out.append(PlanChange(at, action, int(f["goal"]) if "goal" in f else None,
                              int(f["milestone"]) if "milestone" in f else None,
                              f.get("status"), staff))
    return out


# -- the template ------------------------------------------------------------------------
def template(db) -> list[TemplateItem]:
    return [TemplateItem(id=r[0], domain=r[1], goal=r[2],
                         milestones=tuple(x for x in r[3].splitlines() if x.strip()), sort=r[4])
            for r in db.query("SELECT id, domain, goal, milestones, sort FROM plan_template "
                              "ORDER BY sort, id")]


def save_template_item(db, item: TemplateItem) -> int:
    """Add (``item.id`` None) or change one goal of the template (managers)."""
    _require_manager(db)
    errors = check_goal(Goal(domain=item.domain, goal=item.goal))
    if errors:
        raise ValidationError(errors)
    text = "\n".join(x.strip() for x in item.milestones if x.strip())
    with db.transaction() as con:
        if item.id is None:
            sort = con.execute("SELECT coalesce(max(sort), 0) + 10 FROM plan_template").fetchone()[0]
            tid = con.execute("INSERT INTO plan_template(domain, goal, milestones, sort) "
                              "VALUES (?,?,?,?)", (item.domain, item.goal, text, sort)).lastrowid
        else:
            tid = item.id
            if con.execute("UPDATE plan_template SET domain=?, goal=?, milestones=? WHERE id=?",
                           (item.domain, item.goal, text, tid)).rowcount == 0:
                raise NotFound(_("This template goal no longer exists."))
        db.audit("update", "plan_template", tid, f"domain={item.domain}")
    return tid


def remove_template_item(db, item_id: int) -> None:
    _require_manager(db)
    with db.transaction() as con:
        if con.execute("DELETE FROM plan_template WHERE id=?", (item_id,)).rowcount == 0:
            raise NotFound(_("This template goal no longer exists."))
        db.audit("delete", "plan_template", item_id)


# -- writing (each one user action, one transaction) ------------------------------------------
def start_plan(db, stay_id: int, template_ids: list[int], on: date,
               next_review_on: date | None = None) -> int:
    """Create the plan of stay ``stay_id`` with the chosen template goals and
    their usual milestones (no dates: the caseworker sets them with her)."""
    _require_writer(db)
    admitted, _discharged = _stay_dates(db, stay_id)
    if plan_id_of(db, stay_id) is not None:
        raise Conflict(_("This stay already has a plan."))
    if next_review_on is not None and next_review_on <= on:
        raise ValidationError([FieldError("next_review_on",
                                          _("The next review must come after this one."))])
    items = {t.id: t for t in template(db)}
    missing = [i for i in template_ids if i not in items]
    if missing:
        raise NotFound(_("This template goal no longer exists."))
    with db.transaction() as con:
        pid = con.execute("INSERT INTO plan(stay_id, created_on, next_review_on) VALUES (?,?,?)",
                          (stay_id, d2s(max(on, admitted) if admitted else on),
                           d2s(next_review_on))).lastrowid
        for sort, tid in enumerate(template_ids, 1):
            t = items[tid]
            gid = con.execute("INSERT INTO plan_goal(plan_id, domain, goal, sort) "
                              "VALUES (?,?,?,?)", (pid, t.domain, t.goal, sort * 10)).lastrowid
            con.executemany("INSERT INTO milestone(goal_id, title) VALUES (?,?)",
                            [(gid, title) for title in t.milestones])
        db.audit("create", "plan", pid, f"stay={stay_id} goals={len(template_ids)}")
    return pid


def _plan_of_goal(db, goal_id: int) -> tuple[int, int]:
    row = db.query_one("SELECT g.plan_id, p.stay_id FROM plan_goal g JOIN plan p "
                       "ON p.id=g.plan_id WHERE g.id=?", (goal_id,))
    if row is None:
        raise NotFound(_("This goal no longer exists."))
    return row[0], row[1]


def add_goal(db, plan_id: int, goal: Goal) -> int:
    _require_writer(db)
    errors = check_goal(goal)
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        if con.execute("SELECT 1 FROM plan WHERE id=?", (plan_id,)).fetchone() is None:
            raise NotFound(_("This plan no longer exists."))
        sort = con.execute("SELECT coalesce(max(sort), 0) + 10 FROM plan_goal WHERE plan_id=?",
                           (plan_id,)).fetchone()[0]
        gid = con.execute("INSERT INTO plan_goal(plan_id, domain, goal, sort) VALUES (?,?,?,?)",
                          (plan_id, goal.domain, goal.goal.strip(), sort)).lastrowid
        db.audit("add_goal", "plan", plan_id, f"goal={gid} domain={goal.domain}")
    return gid


def update_goal(db, goal: Goal) -> None:
    _require_writer(db)
    errors = check_goal(goal)
    if errors:
        raise ValidationError(errors)
    plan_id, _stay = _plan_of_goal(db, goal.id)
    with db.transaction() as con:
        con.execute("UPDATE plan_goal SET domain=?, goal=? WHERE id=?",
                    (goal.domain, goal.goal.strip(), goal.id))
        db.audit("update_goal", "plan", plan_id, f"goal={goal.id} domain={goal.domain}")


def _checked_milestone(db, m: Milestone) -> tuple[int, Milestone]:
    if m.goal_id is None:
        raise ValidationError([FieldError("goal_id", _("Choose the goal."))])
    plan_id, stay_id = _plan_of_goal(db, m.goal_id)
    admitted, _discharged = _stay_dates(db, stay_id)
    errors = check_milestone(m, admitted)
    if m.responsible_account_id is not None and m.responsible_account_id not in {
            s.account_id for s in responsible_staff(db)}:
        errors.append(FieldError("responsible_account_id",
                                 _("Choose a caseworker or manager.")))
    if errors:
        raise ValidationError(errors)
    m = replace(m, title=m.title.strip(), partner_agency=m.partner_agency.strip(),
                dropped_reason=m.dropped_reason.strip() if m.status == "dropped" else "")
    return plan_id, m


def add_milestone(db, m: Milestone) -> int:
    _require_writer(db)
    plan_id, m = _checked_milestone(db, m)
    with db.transaction() as con:
        mid = con.execute(
            "INSERT INTO milestone(goal_id, title, target_on, status, responsible_account_id, "
            "partner_agency, note, dropped_reason) VALUES (?,?,?,?,?,?,?,?)",
            (m.goal_id, m.title, d2s(m.target_on), m.status, m.responsible_account_id,
             m.partner_agency, m.note, m.dropped_reason)).lastrowid
        db.audit("add_milestone", "plan", plan_id,
                 f"goal={m.goal_id} milestone={mid} status={m.status}")
    return mid


def update_milestone(db, m: Milestone) -> None:
    """Save a milestone as edited (its goal may change within the plan)."""
    _require_writer(db)
    old = get_milestone(db, m.id)
    old_plan, _stay = _plan_of_goal(db, old.goal_id)
    plan_id, m = _checked_milestone(db, m)
    if plan_id != old_plan:
        raise ValidationError([FieldError("goal_id", _("Choose a goal of this plan."))])
    with db.transaction() as con:
        con.execute(
            "UPDATE milestone SET goal_id=?, title=?, target_on=?, status=?, "
            "responsible_account_id=?, partner_agency=?, note=?, dropped_reason=? WHERE id=?",
            (m.goal_id, m.title, d2s(m.target_on), m.status, m.responsible_account_id,
             m.partner_agency, m.note, m.dropped_reason, m.id))
        db.audit("update_milestone", "plan", plan_id,
                 f"goal={m.goal_id} milestone={m.id} status={m.status}")


def set_milestone_status(db, milestone_id: int, status: str, reason: str = "") -> None:
    """Mark a milestone done, in progress, planned or dropped (with a reason)."""
    m = get_milestone(db, milestone_id)
    try:
        update_milestone(db, replace(m, status=status, dropped_reason=reason or m.dropped_reason))
    except ValidationError as e:
        # The person gave only a status (and a reason): the reason is the field to show.
        raise ValidationError([FieldError("dropped_reason" if x.field == "dropped_reason"
                                          else "status", x.message) for x in e.errors]) from None


def add_review(db, plan_id: int, review: Review, today: date | None = None) -> int:
    """Record a review; the plan's next review date becomes the one set here."""
    _require_writer(db)
    row = db.query_one("SELECT stay_id FROM plan WHERE id=?", (plan_id,))
    if row is None:
        raise NotFound(_("This plan no longer exists."))
    admitted, _discharged = _stay_dates(db, row[0])
    errors = check_review(review, admitted, today or date.today())
    if errors:
        raise ValidationError(errors)
    with db.transaction() as con:
        rid = con.execute("INSERT INTO plan_review(plan_id, reviewed_on, note, next_review_on) "
                          "VALUES (?,?,?,?)", (plan_id, d2s(review.reviewed_on), review.note,
                                               d2s(review.next_review_on))).lastrowid
        con.execute("UPDATE plan SET next_review_on=? WHERE id=?",
                    (d2s(review.next_review_on), plan_id))
        db.audit("review", "plan", plan_id, f"review={rid}")
    return rid


# -- the caseworker's lists (the Today page) -----------------------------------------------
@dataclass(frozen=True)
class DueMilestone:
    stay_id: int
    resident_id: int
    display_name: str
    milestone_id: int
    title: str
    target_on: date
    overdue: bool
    goal_domain: str
    responsible_account_id: int | None


def due_milestones(db, until: date, staff_id: int | None = None, *,
                   today: date | None = None) -> list[DueMilestone]:
    """Open milestones (planned, in progress) with a target date on or before
    ``until``, of stays in residence, oldest first; ``staff_id`` keeps those
    that staff member is responsible for. ``overdue``: target before ``today``."""
    today = today or date.today()
    sql = (f"SELECT p.stay_id, s.resident_id, {_NAME_SQL}, m.id, m.title, m.target_on, "
           "g.domain, m.responsible_account_id FROM milestone m "
           "JOIN plan_goal g ON g.id=m.goal_id JOIN plan p ON p.id=g.plan_id "
           "JOIN stay s ON s.id=p.stay_id JOIN resident r ON r.id=s.resident_id "
           "WHERE m.status IN ('planned', 'in_progress') AND m.target_on <= ? "
           "AND s.discharged_on IS NULL")
    params: list = [d2s(until)]
    if staff_id is not None:
        sql += " AND m.responsible_account_id = ?"
        params.append(staff_id)
    sql += " ORDER BY m.target_on, m.id"
    return [DueMilestone(r[0], r[1], r[2], r[3], r[4], s2d(r[5]), s2d(r[5]) < today, r[6], r[7])
            for r in db.query(sql, params)]


@dataclass(frozen=True)
class ReviewDue:
    stay_id: int
    resident_id: int
    display_name: str
    plan_id: int
    next_review_on: date
    overdue: bool


def reviews_due(db, until: date, *, today: date | None = None) -> list[ReviewDue]:
    """Plans of stays in residence whose next review is on or before ``until``."""
    today = today or date.today()
    return [ReviewDue(r[0], r[1], r[2], r[3], s2d(r[4]), s2d(r[4]) < today)
            for r in db.query(
                f"SELECT p.stay_id, s.resident_id, {_NAME_SQL}, p.id, p.next_review_on "
                "FROM plan p JOIN stay s ON s.id=p.stay_id JOIN resident r "
                "ON r.id=s.resident_id WHERE p.next_review_on <= ? "
                "AND s.discharged_on IS NULL ORDER BY p.next_review_on, p.id", (d2s(until),))]
