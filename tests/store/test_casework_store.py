"""The caseworker's desk in the store: children's support and checklist, case
notes (visibility enforced in the query, corrections as new notes), programme
sessions and the KPI, and the two plan queries of the Today page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from shelterdesk.core.models import Child, Resident, Stay
from shelterdesk.core.validation import ValidationError
from shelterdesk.store import accounts, case_notes, child_support, plans, programme, stays
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import Forbidden, NotFound
from shelterdesk.store.rooms import free_beds
from shelterdesk.store.vault import TEST_KDF

TODAY = date.today()
INTAKE = ("desk1", "intake password 1")
CASE = ("case1", "caseworker password 1")


def _admit(db, days_ago=10, children=(date(2016, 5, 5), date(2023, 1, 1))):
    bed = free_beds(db)[0].bed_id
    at = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time())
    kids = [Child(family_name="見本", given_name=f"子{i}", birth_date=b, sex="F")
            for i, b in enumerate(children)]
    return stays.admit(db, stays.Admission(
        Resident(family_name="見本", given_name="花子", family_kana="みほん", given_kana="はなこ",
                 birth_date=date(1990, 4, 1)),
        Stay(admitted_at=at, admission_type="temporary_protection", main_complaint="dv_spouse",
             referral_source="police", bed_id=bed), kids))


@pytest.fixture
def staff(session):
    accounts.add_account(session, INTAKE[0], "受付（架空）", {"intake"}, INTAKE[1])
    accounts.add_account(session, CASE[0], "支援員（架空）", {"caseworker"}, CASE[1])
    return session


def _as(db_path, who):
    s = sessions.unlock(db_path, *who)
    s.kdf = TEST_KDF
    return s


def test_child_support_log_and_checklist(db):
    stay = _admit(db)
    older, baby = stay.child_ids
    with pytest.raises(ValidationError) as e:
        child_support.add_entry(db, child_support.SupportEntry(
            999, stay.id, "learning", TODAY, "宿題の支援"))
    assert e.value.for_field("child_id")
    before = db.query("SELECT count(*) FROM child_support")[0][0]
    assert before == 0
    child_support.add_entry(db, child_support.SupportEntry(
        older, stay.id, "learning", TODAY, "宿題の支援", "架空のメモ"))
    sheets = child_support.sheets_of_stay(db, stay.id)
    # School steps for the school-age child, nursery for the baby.
    assert [s.step for s in sheets[older].steps] == ["out_of_area_school", "school_confidential"]
    assert [s.step for s in sheets[baby].steps] == ["nursery_priority"]
    assert len(sheets[older].log) == 1 and sheets[older].log[0].staff_name
    with pytest.raises(ValidationError) as e:
        child_support.set_step(db, child_support.ChildStep(older, stay.id, "out_of_area_school",
                                                           "done"))
    assert e.value.for_field("on_date")
    child_support.set_step(db, child_support.ChildStep(
        older, stay.id, "out_of_area_school", "done", TODAY, "教育委員会 学務課（架空）"))
    pending = child_support.pending_steps(db)
    assert {(p.child_id, p.step) for p in pending} == {
        (older, "school_confidential"), (baby, "nursery_priority")}
    step = child_support.sheets_of_stay(db, stay.id)[older].steps[0]
    assert step.status == "done" and step.contact.startswith("教育委員会")
    audit = db.query("SELECT action, entity FROM audit WHERE entity IN "
                     "('child_support', 'child_step')")
    assert ("update", "child_step") in audit and ("view", "child_support") in audit


def test_intake_reads_pending_steps_not_the_log_and_cannot_write(staff, db_path):
    stay = _admit(staff.db)
    child_support.add_entry(staff.db, child_support.SupportEntry(
        stay.child_ids[0], stay.id, "psych_care", TODAY, "面談"))
    staff.lock()
    s = _as(db_path, INTAKE)
    try:
        sheets = child_support.sheets_of_stay(s.db, stay.id)
        assert sheets[stay.child_ids[0]].pending and not sheets[stay.child_ids[0]].log
        with pytest.raises(Forbidden):
            child_support.add_entry(s.db, child_support.SupportEntry(
                stay.child_ids[0], stay.id, "learning", TODAY, "x"))
    finally:
        s.db.close()


def test_notes_visibility_is_enforced_in_the_query(staff, db_path):
    stay = _admit(staff.db)
    rid = stay.resident_id
    staff.lock()
    s = _as(db_path, CASE)
    try:
        secret = case_notes.add_note(s.db, case_notes.CaseNote(
            rid, "interview", "支援員のみの記録（架空）", "caseworker", stay.id))
        shared = case_notes.add_note(s.db, case_notes.CaseNote(
            rid, "daily", "全職員向けの記録（架空）", "all", stay.id))
        assert {n.id for n in case_notes.notes_of(s.db, rid)} == {secret, shared}
    finally:
        s.db.close()
    s = _as(db_path, INTAKE)
    try:
        seen = case_notes.notes_of(s.db, rid)
        assert [n.id for n in seen] == [shared]
        assert case_notes.notes_of(s.db, rid, search="支援員のみ") == []
        with pytest.raises(NotFound):
            case_notes.get_note(s.db, secret)
        with pytest.raises(Forbidden):
            case_notes.add_note(s.db, case_notes.CaseNote(rid, "daily", "x", "all"))
    finally:
        s.db.close()


def test_a_correction_is_a_new_note_and_both_are_kept(db):
    stay = _admit(db)
    rid = stay.resident_id
    first = case_notes.add_note(db, case_notes.CaseNote(rid, "health", "通院は火曜（架空）"))
    with pytest.raises(ValidationError) as e:
        case_notes.add_note(db, case_notes.CaseNote(rid, "health", " "))
    assert e.value.for_field("body")
    fix = case_notes.add_note(db, case_notes.CaseNote(rid, "health", "通院は水曜（架空）",
                                                      corrects_id=first))
    notes = {n.id: n for n in case_notes.notes_of(db, rid)}
    assert notes[first].body == "通院は火曜（架空）" and notes[first].corrected_by == (fix,)
    assert notes[fix].corrects_id == first
    assert [n.id for n in case_notes.notes_of(db, rid, search="水曜")] == [fix]
    with pytest.raises(ValidationError) as e:
        case_notes.add_note(db, case_notes.CaseNote(rid + 1000, "health", "x",
                                                    corrects_id=first))
    assert e.value.for_field("corrects_id")
    audit = db.query("SELECT detail FROM audit WHERE entity='case_note' AND action='create'")
    assert all("水曜" not in d[0] and "火曜" not in d[0] for d in audit)


def test_sessions_attendance_kpi_and_recent(db):
    stay = _admit(db, children=())
    rid = stay.resident_id
    with pytest.raises(ValidationError) as e:
        programme.record_session(db, programme.ProgrammeSession(
            "就労講座", TODAY + timedelta(days=3), "講師", [rid]))
    assert e.value.for_field("attendees")
    with pytest.raises(ValidationError) as e:
        programme.record_session(db, programme.ProgrammeSession(
            "就労講座", TODAY - timedelta(days=30), "講師", [rid]))  # before she came
    assert e.value.for_field("attendees")
    assert programme.record_session(db, programme.ProgrammeSession(
        "来週の講座", TODAY + timedelta(days=3), "講師"))
    for days in (1, 8, 40):
        programme.record_session(db, programme.ProgrammeSession(
            "生活講座", TODAY - timedelta(days=days), "講師",
            [rid] if days < 10 else []))
    recent = {a.resident_id: a.recent for a in programme.recent_attendance(db, TODAY)}
    assert recent[rid] == 2
    fy_start = date(TODAY.year if TODAY.month >= 4 else TODAY.year - 1, 4, 1)
    expected = sum(1 for d in (1, 8, 40) if TODAY - timedelta(days=d) >= fy_start)
    assert programme.fiscal_year_count(db, TODAY).held == expected


def test_plan_queries_for_today(db, session):
    stay = _admit(db, children=())
    with db.transaction() as con:
        plan = con.execute("INSERT INTO plan(stay_id, created_on, next_review_on) VALUES "
                           "(?, ?, ?)", (stay.id, TODAY.isoformat(),
                                         (TODAY + timedelta(days=2)).isoformat())).lastrowid
        goal = con.execute("INSERT INTO plan_goal(plan_id, domain, goal) VALUES "
                           "(?, 'housing', '住まい')", (plan,)).lastrowid
        me = session.account.id
        for title, days, status, who in (("遅れ", -3, "planned", me),
                                          ("今週", 4, "in_progress", None),
                                          ("来月", 30, "planned", None),
                                          ("済み", -5, "done", None)):
            con.execute("INSERT INTO milestone(goal_id, title, target_on, status, "
                        "responsible_account_id) VALUES (?,?,?,?,?)",
                        (goal, title, (TODAY + timedelta(days=days)).isoformat(), status, who))
    due = plans.due_milestones(db, TODAY + timedelta(days=6), None)
    assert [(m.title, m.overdue) for m in due] == [("遅れ", True), ("今週", False)]
    mine = plans.due_milestones(db, TODAY + timedelta(days=6), session.account.id)
    assert [m.title for m in mine] == ["遅れ"]
    reviews = plans.reviews_due(db, TODAY + timedelta(days=6))
    assert [(r.stay_id, r.next_review_on) for r in reviews] == [
        (stay.id, TODAY + timedelta(days=2))]
