"""The caseworker's desk, keyboard only: add a school step, write a note (its
draft survives a crash), record a session's attendance; an intake account
sees no caseworker-only note; the Today page opens the right tab."""

from __future__ import annotations

from datetime import date, timedelta

from conftest import admit_resident
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shelterdesk.gui.views.programme import ProgrammePage
from shelterdesk.gui.views.record import RecordView
from shelterdesk.gui.views.record.child_support import ChildSupportTab
from shelterdesk.gui.views.record.notes import NotesTab
from shelterdesk.gui.views.today.page import EVERYONE, TodayPage
from shelterdesk.store import accounts, case_notes, child_support, drafts, programme, stays
from shelterdesk.store import session as sessions
from shelterdesk.store.vault import TEST_KDF

SCHOOL_AGE = date.today().replace(year=date.today().year - 9)


def _record(qtbot, session, rid, tab) -> tuple[RecordView, object]:
    v = RecordView(session)
    qtbot.addWidget(v)
    v.open_resident(rid)
    v.resize(1366, 768)
    with qtbot.waitActive(v):
        v.show()
        v.activateWindow()
    assert v.show_tab(tab.__name__)
    return v, v.tab(tab)


def _kid(db):
    rid = admit_resident(db, "見本", "花子", "みほん", "はなこ", children=1)
    stay = stays.open_stay_of(db, rid)
    db.con.execute("UPDATE child SET birth_date=? WHERE id=?",
                   (SCHOOL_AGE.isoformat(), stay.child_ids[0]))
    return rid, stay


def _tab_to(qtbot, start, target, limit=40):
    """Press Tab from ``start`` until ``target`` has the focus."""
    start.setFocus()
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError("Tab never reached the widget")


def test_add_a_school_step_by_keyboard(qtbot, session, type_text, shoot):
    rid, stay = _kid(session.db)
    view, tab = _record(qtbot, session, rid, ChildSupportTab)
    assert "Pending:" in tab.pending_label.text()
    tab.step_child.setFocus()
    qtbot.keyClick(tab.step_child, Qt.Key.Key_Tab)           # → step (the first: 区域外就学)
    assert QApplication.focusWidget() is tab.step_code
    qtbot.keyClick(tab.step_code, Qt.Key.Key_Tab)            # → status
    qtbot.keyClick(tab.step_status, Qt.Key.Key_Down)         # in progress
    qtbot.keyClick(tab.step_status, Qt.Key.Key_Down)         # done
    qtbot.keyClick(tab.step_status, Qt.Key.Key_Tab)          # → date
    assert QApplication.focusWidget() is tab.step_date
    type_text(tab.step_date, date.today().strftime("%Y/%m/%d"))
    qtbot.keyClick(tab.step_date, Qt.Key.Key_Tab)
    type_text(tab.step_contact, "教育委員会 学務課（架空）")
    qtbot.keyClick(tab.step_contact, Qt.Key.Key_Return)      # saves
    step = child_support.sheets_of_stay(session.db, stay.id)[stay.child_ids[0]].steps[0]
    assert (step.step, step.status, step.on_date) == ("out_of_area_school", "done", date.today())
    assert "School keeps" not in tab.pending_label.text()
    shoot(view, "f9b_child_support")
    # A date that is not a date is refused beside the field; nothing written.
    tab.step_status.setCurrentIndex(1)
    type_text(tab.step_date, "not a date")
    tab.save_step()
    assert tab.step_form.errors.error_text("on_date")


def test_support_entry_for_a_child_not_in_this_stay_is_refused_beside_the_field(qtbot, session):
    rid, _stay = _kid(session.db)
    _view, tab = _record(qtbot, session, rid, ChildSupportTab)
    tab.log_child.addItem("other", 99999)
    tab.log_child.setCurrentIndex(tab.log_child.count() - 1)
    tab.log_date.set_value(date.today())
    tab.log_step.setText("宿題の支援")
    assert not tab.add_entry()
    assert tab.log_form.errors.error_text("child_id")
    assert session.db.query("SELECT count(*) FROM child_support")[0][0] == 0


def test_write_a_note_by_keyboard_and_its_draft_survives(qtbot, session, type_text, shoot):
    rid = admit_resident(session.db, "見本", "花子", "みほん", "はなこ")
    view, tab = _record(qtbot, session, rid, NotesTab)
    tab.category.setFocus()
    qtbot.keyClick(tab.category, Qt.Key.Key_Down)             # daily life
    qtbot.keyClick(tab.category, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tab.visible_to
    qtbot.keyClick(tab.visible_to, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tab.body
    type_text(tab.body, "長い面接の記録（架空）")
    tab.keep_draft()  # what the timer does a moment after typing
    kept = drafts.list_drafts(session.db, case_notes.DRAFT_KIND)
    assert len(kept) == 1 and kept[0].payload["body"] == "長い面接の記録（架空）"
    # "Crash": a new record view of her restores the draft.
    view.close()
    view2, tab2 = _record(qtbot, session, rid, NotesTab)
    assert tab2.body.toPlainText() == "長い面接の記録（架空）"
    tab2.body.setFocus()
    qtbot.keyClick(tab2.body, Qt.Key.Key_Tab)                 # Tab leaves the text
    for _ in range(5):
        if QApplication.focusWidget() is tab2.save_button:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tab2.save_button
    qtbot.keyClick(tab2.save_button, Qt.Key.Key_Space)
    notes = case_notes.notes_of(session.db, rid)
    assert [n.body for n in notes] == ["長い面接の記録（架空）"] and notes[0].category == "daily"
    assert drafts.list_drafts(session.db, case_notes.DRAFT_KIND) == []
    # A correction is a new note; both listed.
    tab2.table.selectRow(0)
    tab2.start_correction()
    tab2.body.setPlainText("訂正した記録（架空）")
    assert tab2.save()
    assert tab2.table.rowCount() == 2
    shoot(view2, "f9b_notes")


def test_an_intake_account_sees_no_caseworker_only_note(qtbot, session, texts):
    rid = admit_resident(session.db, "見本", "花子", "みほん", "はなこ")
    case_notes.add_note(session.db, case_notes.CaseNote(rid, "interview", "秘密の記録（架空）",
                                                        "caseworker"))
    case_notes.add_note(session.db, case_notes.CaseNote(rid, "daily", "共有の記録（架空）",
                                                        "all"))
    accounts.add_account(session, "desk", "受付（架空）", {"intake"}, "desk desk 12")
    path = session.db.path
    session.lock()
    desk = sessions.unlock(path, "desk", "desk desk 12")
    desk.kdf = TEST_KDF
    try:
        view, tab = _record(qtbot, desk, rid, NotesTab)
        assert not tab.editor.isVisible()
        for i in range(tab.table.rowCount()):
            tab.table.selectRow(i)
        shown = "\n".join(texts(view))
        assert "秘密の記録" not in shown
        assert [n.body for n in tab.notes] == ["共有の記録（架空）"]
        view.close()
    finally:
        desk.db.close()


def test_record_a_sessions_attendance_by_keyboard(qtbot, session, type_text, shoot):
    rid = admit_resident(session.db, "見本", "花子", "みほん", "はなこ", days_ago=5)
    page = ProgrammePage(session)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.title.setFocus()
    type_text(page.title, "自立支援講座（架空）")
    qtbot.keyClick(page.title, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.held_on            # today by default
    qtbot.keyClick(page.held_on, Qt.Key.Key_Tab)
    type_text(page.facilitator, "講師（架空）")
    qtbot.keyClick(page.facilitator, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.attendees
    qtbot.keyClick(page.attendees, Qt.Key.Key_Space)           # tick her
    assert page.ticked() == [rid]
    qtbot.keyClick(page.attendees, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.save_button
    qtbot.keyClick(page.save_button, Qt.Key.Key_Space)
    rows = programme.sessions_between(session.db, date.today(), date.today())
    assert [(r.title, r.attending) for r in rows] == [("自立支援講座（架空）", 1)]
    assert "of 50" in page.kpi.text()
    assert page.recent.item(0, 1).text() == "1"
    shoot(page, "f9b_programme")
    # A session in the future with attendance: refused beside the list.
    page.title.setText("来週の講座")
    page.held_on.set_value(date.today() + timedelta(days=3))
    page.attendees.clear()
    page.fill_attendees()
    page.attendees.item(0).setCheckState(Qt.CheckState.Checked)
    assert not page.save()
    assert page.form.errors.error_text("attendees")


def test_today_lists_sections_and_opens_the_right_tab(qtbot, session, shoot):
    rid, stay = _kid(session.db)
    with session.db.transaction() as con:
        plan = con.execute("INSERT INTO plan(stay_id, created_on, next_review_on) VALUES (?,?,?)",
                           (stay.id, date.today().isoformat(),
                            date.today().isoformat())).lastrowid
        goal = con.execute("INSERT INTO plan_goal(plan_id, domain, goal) VALUES (?, 'housing', "
                           "'住まい（架空）')", (plan,)).lastrowid
        con.execute("INSERT INTO milestone(goal_id, title, target_on) VALUES (?, ?, ?)",
                    (goal, "公営住宅に申し込む（架空）",
                     (date.today() - timedelta(days=2)).isoformat()))
    programme.record_session(session.db, programme.ProgrammeSession("料理教室（架空）",
                                                                     date.today(), "講師"))
    page = TodayPage(session)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.filter.setCurrentIndex(page.filter.findData(EVERYONE))
    assert [m.overdue for m in page.lines("milestones")] == [True]
    assert len(page.lines("reviews")) == 1
    assert {line.tab for line in page.lines("children")} == {"ChildSupportTab"}
    assert [line.page for line in page.lines("sessions")] == ["programme"]
    shoot(page, "f9b_today")
    opened = []
    page.openRecordTab.connect(lambda r, t: opened.append((r, t)))
    head = page.tree.topLevelItem(2)  # children's steps
    page.tree.setCurrentItem(head.child(0))
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert opened == [(rid, "ChildSupportTab")]


def test_a_new_note_is_for_caseworkers_unless_she_chooses_otherwise(qtbot, session):
    """Walk finding: the first choice was "all staff (intake included)", so an
    interview note typed in a hurry was shown to the intake desk."""
    rid = admit_resident(session.db, "見本", "花子", "みほん", "はなこ")
    view, tab = _record(qtbot, session, rid, NotesTab)
    assert tab.visible_to.currentData() == "caseworker"
    tab.body.setPlainText("面接の記録（架空）")
    assert tab.save()
    assert case_notes.notes_of(session.db, rid)[0].visible_to == "caseworker"
    # After a note for everyone, the next note starts narrow again.
    tab.visible_to.setCurrentIndex(tab.visible_to.findData("all"))
    tab.body.setPlainText("共有の記録（架空）")
    assert tab.save()
    assert tab.visible_to.currentData() == "caseworker"
    view.close()


def test_today_focuses_its_first_line_and_waits_to_refresh_while_hidden(qtbot, session):
    """Walk findings: arriving on Today left the focus on the page itself (arrows
    and Enter did nothing); a save on any other page re-ran all its queries
    although it was not shown; a milestone's "overdue" ignored the page's day."""
    from shelterdesk.gui import changes

    rid, stay = _kid(session.db)
    day = date.today() + timedelta(days=10)  # the page's own day, ahead of the clock
    with session.db.transaction() as con:
        plan = con.execute("INSERT INTO plan(stay_id, created_on) VALUES (?,?)",
                           (stay.id, date.today().isoformat())).lastrowid
        goal = con.execute("INSERT INTO plan_goal(plan_id, domain, goal) VALUES (?, 'housing', "
                           "'住まい（架空）')", (plan,)).lastrowid
        con.execute("INSERT INTO milestone(goal_id, title, target_on) VALUES (?, ?, ?)",
                    (goal, "申し込む（架空）", (day - timedelta(days=1)).isoformat()))
    page = TodayPage(session, today=day)
    qtbot.addWidget(page)
    page.filter.setCurrentIndex(page.filter.findData(EVERYONE))
    assert [m.overdue for m in page.lines("milestones")] == [True]
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    page.setFocus()
    assert QApplication.focusWidget() is page.tree
    assert page.tree.currentItem().data(0, Qt.ItemDataRole.UserRole) is not None
    page.hide()
    calls = []
    real = page.refresh
    page.refresh = lambda: (calls.append(1), real())
    changes.announce(changes.change(changes.CASE_NOTE, resident_id=rid))
    assert calls == []
    page.show()
    assert calls == [1]


def test_colliding_words_get_their_own_japanese(qtbot, session):
    """Walk finding: one msgid for two meanings gave the plan's dropped-milestone
    reason エラー内容 (the ledger import's) and the children's steps 取り組み
    (the plan's). Each now has its context."""
    from shelterdesk.core.plans import Milestone, check_milestone
    from shelterdesk.i18n import set_language
    set_language("ja")  # the autouse fixture sets English back afterwards
    rid, _stay = _kid(session.db)
    view, tab = _record(qtbot, session, rid, ChildSupportTab)
    headers = [tab.steps_table.horizontalHeaderItem(i).text()
               for i in range(tab.steps_table.columnCount())]
    assert "手続" in headers and "取り組み" not in headers
    view.close()
    errors = check_milestone(Milestone(goal_id=1, title="申し込む（架空）", status="dropped",
                                       dropped_reason="理" * 200), None)
    text = " ".join(e.message for e in errors)
    assert "中止の理由" in text and "エラー内容" not in text


def test_safety_phrases_and_the_note_label_read_right(qtbot, session):
    """Walk findings: 「…知っている。、所在秘匿」 on the intake review; the case
    note's text field was labelled 「備考」."""
    from PySide6.QtWidgets import QLabel

    from shelterdesk.gui.views.intake.review import join_phrases
    from shelterdesk.i18n import set_language
    assert join_phrases(["相手は住所を知っている。", "所在秘匿", "要注意"]) == \
        "相手は住所を知っている。所在秘匿、要注意"
    set_language("ja")  # the autouse fixture sets English back afterwards
    rid = admit_resident(session.db, "見本", "花子", "みほん", "はなこ")
    view, tab = _record(qtbot, session, rid, NotesTab)
    assert "記録内容" in [w.text() for w in tab.findChildren(QLabel)]
    view.close()
