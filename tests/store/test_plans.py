"""Independence plans in the store: starting from the template, milestones
validated against her stay, roles, one transaction per action, the audit,
what changed since the last review, and the Today page's queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from shelterdesk.core.models import Resident, Stay
from shelterdesk.core.plans import Goal, Milestone, Review, TemplateItem, is_overdue
from shelterdesk.core.validation import ValidationError
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import plans, stays
from shelterdesk.store.errors import Conflict, Forbidden
from shelterdesk.store.rooms import free_beds

TODAY = date(2026, 11, 21)


def _admit(db, family="見本", given="花子", days_ago=30, alias="") -> Stay:
    bed = free_beds(db)[0].bed_id
    at = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time())
    return stays.admit(db, stays.Admission(
        Resident(family_name=family, given_name=given, alias=alias, birth_date=date(1990, 1, 1)),
        Stay(admitted_at=at, admission_type="temporary_protection", main_complaint="dv_spouse",
             referral_source="police", bed_id=bed)), now=datetime(2026, 11, 21, 12))


@pytest.fixture
def staff(session):
    case = accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"}, "pw-case-1x")
    intake = accounts_repo.add_account(session, "desk1", "受付 架空", {"intake"}, "pw-desk-1x")
    return {"admin": session.account.id, "case": case.id, "intake": intake.id}


def test_template_is_data_and_a_plan_starts_from_it(db):
    items = plans.template(db)
    assert {t.domain for t in items} >= {"housing", "employment", "income", "legal", "children"}
    s = _admit(db)
    pid = plans.start_plan(db, s.id, [items[0].id, items[2].id], TODAY, TODAY + timedelta(28))
    plan = plans.get_plan(db, s.id)
    assert plan.id == pid and [g.domain for g in plan.goals] == [items[0].domain, items[2].domain]
    assert [m.title for m in plan.goals[0].milestones] == list(items[0].milestones)
    assert all(m.status == "planned" and m.target_on is None for m in plan.milestones())
    assert plan.next_review_on == TODAY + timedelta(28)
    with pytest.raises(Conflict):
        plans.start_plan(db, s.id, [], TODAY)


def test_manager_edits_the_template(db):
    tid = plans.save_template_item(db, TemplateItem("other", "新しい目標（架空）", ("一歩目", "二歩目")))
    assert plans.template(db)[-1] == TemplateItem("other", "新しい目標（架空）", ("一歩目", "二歩目"),
                                                  tid, plans.template(db)[-1].sort)
    plans.remove_template_item(db, tid)
    assert tid not in {t.id for t in plans.template(db)}


def test_milestone_validation_beside_the_field_writes_nothing(db):
    s = _admit(db, days_ago=10)
    plans.start_plan(db, s.id, [], TODAY)
    plan = plans.get_plan(db, s.id, audit_view=False)
    gid = plans.add_goal(db, plan.id, Goal(domain="housing", goal="住まい（架空）"))
    before = db.query_one("SELECT count(*) FROM milestone")[0]
    with pytest.raises(ValidationError) as e:
        plans.add_milestone(db, Milestone(goal_id=gid, title="申込み",
                                          target_on=TODAY - timedelta(days=11)))
    assert e.value.for_field("target_on")
    with pytest.raises(ValidationError) as e:
        plans.add_milestone(db, Milestone(goal_id=gid, title="申込み", status="dropped"))
    assert e.value.for_field("dropped_reason")
    with pytest.raises(ValidationError) as e:
        plans.add_milestone(db, Milestone(goal_id=gid, title=" "))
    assert e.value.for_field("title")
    assert db.query_one("SELECT count(*) FROM milestone")[0] == before
    mid = plans.add_milestone(db, Milestone(goal_id=gid, title="申込み", target_on=TODAY))
    with pytest.raises(ValidationError) as e:
        plans.set_milestone_status(db, mid, "dropped")
    assert e.value.for_field("dropped_reason")
    plans.set_milestone_status(db, mid, "dropped", "本人の希望（架空）")
    assert plans.get_milestone(db, mid).dropped_reason == "本人の希望（架空）"


def test_intake_staff_read_but_do_not_write(db, staff):
    s = _admit(db)
    plans.start_plan(db, s.id, [plans.template(db)[0].id], TODAY)
    db.account_id = staff["intake"]
    plan = plans.get_plan(db, s.id)
    assert plan is not None
    m = plan.milestones()[0]
    for call in (lambda: plans.set_milestone_status(db, m.id, "done"),
                 lambda: plans.add_goal(db, plan.id, Goal(domain="other", goal="x")),
                 lambda: plans.add_review(db, plan.id, Review(TODAY)),
                 lambda: plans.start_plan(db, _admit(db, "架空", "桜").id, [], TODAY),
                 lambda: plans.save_template_item(db, TemplateItem("other", "x"))):
        with pytest.raises(Forbidden):
            call()
    db.account_id = staff["case"]
    plans.set_milestone_status(db, m.id, "done")
    with pytest.raises(Forbidden):  # the template is the managers'
        plans.save_template_item(db, TemplateItem("other", "x"))


def test_every_view_and_change_is_audited_without_texts(db):
    s = _admit(db)
    pid = plans.start_plan(db, s.id, [plans.template(db)[0].id], TODAY)
    plan = plans.get_plan(db, s.id)
    plans.add_milestone(db, Milestone(goal_id=plan.goals[0].id, title="秘密の題（架空）",
                                      target_on=TODAY))
    rows = db.query("SELECT action, entity, entity_id, detail FROM audit WHERE entity='plan'")
    assert [r[0] for r in rows] == ["create", "view", "add_milestone"]
    assert all(r[2] == pid for r in rows)
    assert not any("秘密" in r[3] for r in rows)
    assert plans.get_plan(db, _admit(db, "架空", "桜").id) is None
    assert db.query_one("SELECT detail FROM audit WHERE action='view' AND entity='stay' "
                        "ORDER BY id DESC")[0] == "plan=none"


def test_changes_since_last_review(db, staff):
    s = _admit(db)
    pid = plans.start_plan(db, s.id, [plans.template(db)[0].id], TODAY - timedelta(5))
    plan = plans.get_plan(db, s.id, audit_view=False)
    first = plan.milestones()[0]
    assert [c.action for c in plans.changes_since_review(db, pid)] == ["create"]
    plans.add_review(db, pid, Review(TODAY - timedelta(1), "順調", TODAY + timedelta(30)),
                     today=TODAY)
    assert plans.changes_since_review(db, pid) == []
    assert plans.last_reviewed_at(db, pid) is not None
    db.account_id = staff["case"]
    plans.set_milestone_status(db, first.id, "done")
    got = plans.changes_since_review(db, pid)
    assert [(c.action, c.milestone_id, c.status, c.staff) for c in got] == [
        ("update_milestone", first.id, "done", "支援員 架空")]
    plan = plans.get_plan(db, s.id, audit_view=False)
    assert plan.next_review_on == TODAY + timedelta(30)
    assert plan.last_review.note == "順調"


def test_review_validation(db):
    s = _admit(db, days_ago=5)
    pid = plans.start_plan(db, s.id, [], TODAY)
    for review, field in ((Review(TODAY + timedelta(1)), "reviewed_on"),
                          (Review(TODAY - timedelta(6)), "reviewed_on"),
                          (Review(TODAY, next_review_on=TODAY), "next_review_on")):
        with pytest.raises(ValidationError) as e:
            plans.add_review(db, pid, review, today=TODAY)
        assert e.value.for_field(field)
    assert db.query_one("SELECT count(*) FROM plan_review")[0] == 0


def test_due_milestones_and_reviews_due_for_the_today_page(db, staff):
    a = _admit(db, "見本", "花子", days_ago=40)
    b = _admit(db, "架空", "桜", days_ago=40, alias="アオイ（仮）")
    gone = _admit(db, "試用", "恵", days_ago=40)
    ids = {}
    for s in (a, b, gone):
        pid = plans.start_plan(db, s.id, [], TODAY - timedelta(30), TODAY + timedelta(3))
        gid = plans.add_goal(db, pid, Goal(domain="housing", goal="住まい"))
        for title, days, status, who in (("遅れ", -2, "planned", staff["case"]),
                                         ("今週", 5, "in_progress", None),
                                         ("済み", -3, "done", staff["case"]),
                                         ("先", 20, "planned", staff["case"])):
            ids[(s.id, title)] = plans.add_milestone(db, Milestone(
                goal_id=gid, title=title, target_on=TODAY + timedelta(days), status=status,
                responsible_account_id=who))
    stays.discharge(db, gone.id, TODAY, "independent")
    due = plans.due_milestones(db, TODAY + timedelta(7), today=TODAY)
    assert [(d.stay_id, d.title, d.overdue) for d in due] == [
        (a.id, "遅れ", True), (b.id, "遅れ", True), (a.id, "今週", False), (b.id, "今週", False)]
    assert due[1].display_name == "アオイ（仮）" and due[0].display_name == "見本 花子"
    assert due[0].resident_id == a.resident_id
    assert due[0].milestone_id == ids[(a.id, "遅れ")]
    mine = plans.due_milestones(db, TODAY + timedelta(7), staff["case"], today=TODAY)
    assert {d.title for d in mine} == {"遅れ"}
    revs = plans.reviews_due(db, TODAY + timedelta(7), today=TODAY)
    assert [(r.stay_id, r.next_review_on, r.overdue) for r in revs] == [
        (a.id, TODAY + timedelta(3), False), (b.id, TODAY + timedelta(3), False)]
    assert plans.reviews_due(db, TODAY) == []


def test_overdue_is_derived():
    assert is_overdue(TODAY - timedelta(1), "planned", TODAY)
    assert is_overdue(TODAY - timedelta(1), "in_progress", TODAY)
    assert not is_overdue(TODAY - timedelta(1), "done", TODAY)
    assert not is_overdue(TODAY - timedelta(1), "dropped", TODAY)
    assert not is_overdue(TODAY, "planned", TODAY)
    assert not is_overdue(None, "planned", TODAY)
    assert replace(Milestone(target_on=TODAY - timedelta(1))).overdue(TODAY)
