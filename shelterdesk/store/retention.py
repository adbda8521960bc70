"""Retention purge: residents whose records are past the facility's retention
period (years after the last discharge; ``settings.record_retention_years``)
are listed for a manager to review and removed in one transaction.

Statistics of past years stay as they were (decision, issue 12): before a stay
is deleted, the fields the monthly and fiscal-year figures count are copied
into ``retained_stay`` — admission and discharge dates, admission type,
complaint, referral, destination, bed, the age *bracket* at admission and the
number of companion children — with no name, no birth date, no free text and
no link to anything personal; likewise each aftercare item's due date,
outcome and done date go into ``retained_aftercare``. Every figure is then
computed from ``stay ∪ retained_stay`` (:func:`statistic_stays`, the one read
the reports use) and ``aftercare ∪ retained_aftercare`` (store.statistics), so a figure of a past year is the same before and after a purge, for
figures already defined and for figures defined later. Programme sessions
(the KPI counts sessions held) stay; attendance rows go with the resident.

The purge deletes the resident, her children, stays, issue tags, consents,
plans (goals, milestones, reviews), child support, case notes, programme
attendance and aftercare (unfinished intake drafts belong to no resident and
are not touched). One audit
row per purge with ids and counts, never names. ``secure_delete`` is on for
every connection (store.database), so freed pages are zeroed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shelterdesk.core import statistics as st
from shelterdesk.core.retention import age_bracket, is_past_retention, keep_until
from shelterdesk.i18n import _
from shelterdesk.store import settings
from shelterdesk.store.errors import Conflict
from shelterdesk.store.rows import s2d

#: Who may review and purge.
RETENTION_ROLES = ("manager", "admin")


@dataclass(frozen=True)
class PastRetention:
    """One resident past the retention period (shown to a manager to review)."""
    resident_id: int
    display_name: str
    last_discharge: date
    keep_until: date
    stays: int
    children: int


def past_retention(s, today: date | None = None) -> list[PastRetention]:
    """Residents with no open stay whose last discharge is longer ago than the
    retention period; empty when no period is set."""
    s.require(*RETENTION_ROLES)
    today = today or date.today()
    years = settings.house_rules(s.db).record_retention_years
    if not years:
        return []
    rows = s.db.query(
        "SELECT r.id, r.family_name, r.given_name, r.alias, max(st.discharged_on), "
        "count(st.id), sum(st.discharged_on IS NULL), "
        "(SELECT count(*) FROM child c WHERE c.resident_id = r.id) "
        "FROM resident r JOIN stay st ON st.resident_id = r.id GROUP BY r.id ORDER BY 5, r.id")
    out = []
    for rid, fam, giv, alias, last, n, open_, kids in rows:
        last_d = s2d(last)
        if open_ or not is_past_retention(last_d, years, today):
            continue
        name = f"{fam} {giv}".strip() or alias
        out.append(PastRetention(rid, name, last_d, keep_until(last_d, years), n, kids))
    return out


def purge(s, resident_ids: list[int], today: date | None = None) -> dict[str, int]:
    """Remove these residents and everything of theirs in one transaction,
    keeping the anonymous figures of their stays (see the module doc).
    Refuses (Conflict) a resident not past the retention period."""
    s.require(*RETENTION_ROLES)
    today = today or date.today()
    eligible = {p.resident_id for p in past_retention(s, today)}
    ids = sorted(set(resident_ids))
    if not ids or not set(ids) <= eligible:
        raise Conflict(_("Only records past the retention period can be removed; the list has "
                         "changed. Review it again."))
    db = s.db
    counts: dict[str, int] = {}

    def delete(con, table: str, where: str, params) -> None:
        n = con.execute(f"DELETE FROM {table} WHERE {where}", params).rowcount
        counts[table] = counts.get(table, 0) + max(n, 0)

    with db.transaction() as con:
        for rid in ids:
            res = con.execute("SELECT birth_date, estimated_age FROM resident WHERE id=?",
                              (rid,)).fetchone()
            stays = con.execute(
                "SELECT id, admitted_on, discharged_on, admission_type, main_complaint, "
                "referral_source, discharge_destination, bed_id, "
                "(SELECT count(*) FROM stay_child sc WHERE sc.stay_id = stay.id) "
                "FROM stay WHERE resident_id=?", (rid,)).fetchall()
            for sid, adm, dis, typ, comp, ref, dest, bed, kids in stays:
                con.execute(
                    "INSERT INTO retained_stay(stay_id, admitted_on, discharged_on, "
                    "admission_type, main_complaint, referral_source, discharge_destination, "
                    "bed_id, age_bracket, companion_children, purged_on) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (sid, adm, dis, typ, comp, ref, dest, bed,
                     age_bracket(s2d(res[0]), res[1], s2d(adm)), kids, today.isoformat()))
            stay_ids = [r[0] for r in stays]
            marks = ",".join("?" * len(stay_ids)) or "NULL"
            plan_ids = [r[0] for r in con.execute(
                f"SELECT id FROM plan WHERE stay_id IN ({marks})", stay_ids)]
            pmarks = ",".join("?" * len(plan_ids)) or "NULL"
            goal_ids = [r[0] for r in con.execute(
                f"SELECT id FROM plan_goal WHERE plan_id IN ({pmarks})", plan_ids)]
            gmarks = ",".join("?" * len(goal_ids)) or "NULL"
            delete(con, "milestone", f"goal_id IN ({gmarks})", goal_ids)
            delete(con, "plan_goal", f"plan_id IN ({pmarks})", plan_ids)
            delete(con, "plan_review", f"plan_id IN ({pmarks})", plan_ids)
            delete(con, "plan", f"id IN ({pmarks})", plan_ids)
            delete(con, "aftercare_export_item",
                   f"item_id IN (SELECT id FROM aftercare WHERE stay_id IN ({marks}))", stay_ids)

            con.execute("INSERT INTO retained_aftercare(due_on, outcome, done_on, purged_on) "
                        f"SELECT due_on, outcome, done_on, ? FROM aftercare "
                        f"WHERE stay_id IN ({marks})", [today.isoformat(), *stay_ids])
            delete(con, "aftercare", f"stay_id IN ({marks})", stay_ids)
            delete(con, "child_step",
                   f"child_id IN (SELECT id FROM child WHERE resident_id = ?) "
                   f"OR stay_id IN ({marks})", [rid, *stay_ids])
            delete(con, "case_note", f"resident_id = ? OR stay_id IN ({marks})",
                   [rid, *stay_ids])
            delete(con, "child_support",
                   f"child_id IN (SELECT id FROM child WHERE resident_id = ?) "
                   f"OR stay_id IN ({marks})", [rid, *stay_ids])
            delete(con, "programme_attendance", "resident_id = ?", (rid,))
            delete(con, "consent", "resident_id = ?", (rid,))
            delete(con, "stay_issue", f"stay_id IN ({marks})", stay_ids)
            delete(con, "stay_child", f"stay_id IN ({marks})", stay_ids)
            delete(con, "stay", "resident_id = ?", (rid,))
            delete(con, "child", "resident_id = ?", (rid,))
            delete(con, "resident", "id = ?", (rid,))
        detail = "ids=" + ",".join(map(str, ids)) + " " + " ".join(
            f"{t}={n}" for t, n in sorted(counts.items()) if n)
        db.audit("purge", "resident", None, detail)
    return counts


def statistic_stays(db, start: date, end: date) -> list[st.StayRow]:
    """Every stay overlapping [start, end] (admitted on or before ``end``, not
    discharged before ``start``), live or retained after a purge, with its
    companion children and the room of its (last) bed: the one read the
    monthly and fiscal-year figures are computed from (store.statistics).
    Ids and codes only."""
    room = ("coalesce((SELECT rm.name FROM bed b JOIN room rm ON rm.id = b.room_id "
            "WHERE b.id = {bed}), '')")
    live = db.query(
        "SELECT s.id, s.resident_id, s.admitted_on, s.discharged_on, s.main_complaint, "
        "       s.referral_source, s.discharge_destination, r.birth_date, r.estimated_age, "
        "       (SELECT count(*) FROM stay_child sc WHERE sc.stay_id = s.id), "
        f"      {room.format(bed='s.bed_id')} "
        "FROM stay s JOIN resident r ON r.id = s.resident_id "
        "WHERE s.admitted_on <= ? AND (s.discharged_on IS NULL OR s.discharged_on >= ?)",
        (end.isoformat(), start.isoformat()))
    out = [st.StayRow(sid, rid, s2d(a), s2d(d), mc or "", ref or "", dest, s2d(birth), est,
                      kids, rm)
           for sid, rid, a, d, mc, ref, dest, birth, est, kids, rm in live]
    retained = db.query(
        "SELECT stay_id, admitted_on, discharged_on, main_complaint, referral_source, "
        "       discharge_destination, age_bracket, companion_children, "
        f"      {room.format(bed='retained_stay.bed_id')} "
        "FROM retained_stay WHERE admitted_on <= ? AND discharged_on >= ?",
        (end.isoformat(), start.isoformat()))
    out += [st.StayRow(sid, None, s2d(a), s2d(d), mc or "", ref or "", dest, children=kids,
                       room=rm, age_bracket=bracket)
            for sid, a, d, mc, ref, dest, bracket, kids, rm in retained]
    return sorted(out, key=lambda x: x.id)
