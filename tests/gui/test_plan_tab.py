"""The plan tab: keyboard-only walk (start from the template, add a
milestone, mark one done), overdue in red, validation beside the field,
intake staff read only; and a look at the tab (PNG in /tmp/shots)."""

from __future__ import annotations

from datetime import date, timedelta

from conftest import SHOTS, admit_resident
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from shelterdesk.core.plans import Milestone
from shelterdesk.gui.views.record import RecordView
from shelterdesk.gui.views.record.plan import OVERDUE_FG, PlanTab, StartPlanDialog
from shelterdesk.i18n import set_language
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import plans
from shelterdesk.store import session as sessions
from shelterdesk.store.demo import DEMO_PASSWORD


def _open(qtbot, session, rid) -> tuple[RecordView, PlanTab]:
    v = RecordView(session)
    qtbot.addWidget(v)
    v.open_resident(rid)
    v.resize(1366, 768)
    v.show()
    tab = v.tab(PlanTab)
    v.tabs.setCurrentIndex(v.record_tabs.index(tab))
    return v, tab


def _next_tab_stop(widget):
    w = widget.nextInFocusChain()
    while not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or not w.isEnabled():
        w = w.nextInFocusChain()
    return w


def _accept_template_dialog_with_enter(qtbot):
    def press():
        dlg = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, StartPlanDialog) and w.isVisible())
        qtbot.keyClick(dlg.list, Qt.Key.Key_Space)  # untick the first goal
        qtbot.keyClick(dlg.list, Qt.Key.Key_Return)
    QTimer.singleShot(50, press)


def test_keyboard_walk_start_add_mark_done(qtbot, session):
    db = session.db
    rid = admit_resident(db, "見本", "花子", "みほん", "はなこ", days_ago=20)
    _v, tab = _open(qtbot, session, rid)
    assert tab.start_button.isVisible() and tab.start_button.isEnabled()
    tab.start_button.setFocus()
    _accept_template_dialog_with_enter(qtbot)
    qtbot.keyClick(tab.start_button, Qt.Key.Key_Space)
    plan = plans.get_plan(db, tab.stay_id, audit_view=False)
    assert plan is not None and len(plan.goals) == len(plans.template(db)) - 1
    assert not tab.start_button.isVisible()
    # Add a milestone: type into the form, Tab between fields, Space on the button.
    tab.title.setFocus()
    qtbot.keyClicks(tab.title, "Apply")
    assert _next_tab_stop(tab.title) is tab.target_on  # Tab goes to the target date
    tab.target_on.setFocus()
    qtbot.keyClicks(tab.target_on, (date.today() - timedelta(days=2)).strftime("%Y/%m/%d"))
    tab.add_button.setFocus()
    qtbot.keyClick(tab.add_button, Qt.Key.Key_Space)
    plan = plans.get_plan(db, tab.stay_id, audit_view=False)
    added = next(m for m in plan.milestones() if m.title == "Apply")
    assert added.goal_id == plan.goals[0].id and added.overdue(date.today())
    # Overdue in red on the tab.
    item = next(tab.tree.topLevelItem(0).child(i)
                for i in range(tab.tree.topLevelItem(0).childCount())
                if tab.tree.topLevelItem(0).child(i).text(0) == "Apply")
    assert item.foreground(0).color() == OVERDUE_FG and "overdue" in item.text(2)
    # Mark it done: select it with the arrow keys, Space on "Mark done".
    tab.tree.setFocus()
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))
    while tab.selected() != ("milestone", added.id):
        qtbot.keyClick(tab.tree, Qt.Key.Key_Down)
    assert tab.done_button.isEnabled()
    tab.done_button.setFocus()
    qtbot.keyClick(tab.done_button, Qt.Key.Key_Space)
    assert plans.get_milestone(db, added.id).status == "done"
    assert "milestone changed: Apply (Done)" in tab.changes_label.text()


def test_target_before_the_stay_and_dropped_without_reason_beside_the_field(qtbot, session):
    db = session.db
    rid = admit_resident(db, "架空", "桜", "かくう", "さくら", days_ago=5)
    v, tab = _open(qtbot, session, rid)
    plans.start_plan(db, v.record.current_stay().id, [plans.template(db)[0].id], date.today())
    v.reload()
    before = db.query_one("SELECT count(*) FROM milestone")[0]
    tab.title.setText("Early")
    tab.target_on.set_value(date.today() - timedelta(days=30))
    assert not tab.add_milestone()
    assert "before her stay began" in tab.form.error_text("target_on")
    tab.target_on.set_value(date.today())
    tab.status.setCurrentIndex(tab.status.findData("dropped"))
    assert not tab.add_milestone()
    assert tab.form.error_text("dropped_reason") == "Say why the milestone was dropped."
    assert db.query_one("SELECT count(*) FROM milestone")[0] == before


def test_intake_sees_the_plan_read_only(qtbot, session, db_path):
    db = session.db
    rid = admit_resident(db, "試用", "恵", "しよう", "めぐみ")
    stay_id = db.query_one("SELECT id FROM stay WHERE resident_id=?", (rid,))[0]
    plans.start_plan(db, stay_id, [plans.template(db)[0].id], date.today())
    accounts_repo.add_account(session, "desk1", "受付 架空", {"intake"}, "pw-desk-1x")
    desk = sessions.unlock(db_path, "desk1", "pw-desk-1x")
    try:
        _v, tab = _open(qtbot, desk, rid)
        assert tab.tree.topLevelItemCount() == 1
        assert tab.read_only_note.isVisibleTo(tab)
        for w in (*tab.editors, tab.print_button):
            assert not w.isEnabled()
        assert desk.db.query_one("SELECT count(*) FROM audit WHERE action='view' "
                                 "AND entity='plan' AND account_id=?",
                                 (desk.account.id,))[0] == 1
    finally:
        desk.db.close()


def test_look_at_the_plan_tab_in_japanese_vietnamese_nepali(qtbot, demo_path):
    s = sessions.unlock(demo_path, "case", DEMO_PASSWORD)
    SHOTS.mkdir(exist_ok=True)
    try:
        rid = s.db.query_one("SELECT s.resident_id FROM plan p JOIN stay s ON s.id=p.stay_id "
                             "ORDER BY p.id")[0]
        for lang in ("ja", "vi", "ne"):
            set_language(lang)
            v, tab = _open(qtbot, s, rid)
            qtbot.wait(10)
            assert tab.tree.topLevelItemCount() >= 4
            v.grab().save(str(SHOTS / f"plan_tab_{lang}.png"))
            v.close()
    finally:
        set_language("en")
        s.db.close()


def test_demo_plans_cover_every_status_and_print(demo_path):
    from shelterdesk.reports.documents import document
    s = sessions.unlock(demo_path, "case", DEMO_PASSWORD)
    try:
        db = s.db
        open_stays = {r[0] for r in db.query("SELECT id FROM stay WHERE discharged_on IS NULL")}
        with_plan = {r[0] for r in db.query("SELECT stay_id FROM plan")}
        assert open_stays and open_stays <= with_plan
        statuses = {r[0] for r in db.query("SELECT status FROM milestone")}
        assert statuses == {"planned", "in_progress", "done", "dropped"}
        assert plans.due_milestones(db, date.today())  # some overdue
        domains = {r[0] for r in db.query("SELECT DISTINCT domain FROM plan_goal")}
        assert len(domains) >= 4
        for stay_id in sorted(open_stays)[:3]:
            for lang in ("ja", "vi", "ne"):
                result = document("plan").build(db, stay_id, lang)
                assert result.pages >= 1 and result.missing == ()
        assert Milestone  # the record type the tab shows
    finally:
        s.db.close()
