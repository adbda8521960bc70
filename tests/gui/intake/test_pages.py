"""Each page of the admission wizard checks itself through the page API, and
the save routes what the store says to the page that holds the field."""

from __future__ import annotations

from datetime import datetime

import pytest
from intake_helpers import admit_sample
from PySide6.QtWidgets import QApplication

from shelterdesk.core.models import Resident, Stay
from shelterdesk.gui import changes
from shelterdesk.gui.views.intake.wizard import IntakeWizard
from shelterdesk.store import drafts, rooms, stays
from shelterdesk.store.errors import StoreError


@pytest.fixture
def wizard(qtbot, session) -> IntakeWizard:
    w = IntakeWizard(session)
    qtbot.addWidget(w)
    w.resize(900, 760)
    w.show()
    w.activateWindow()
    qtbot.waitExposed(w)
    return w


def fill_essentials(w: IntakeWizard) -> None:
    page = w.essentials_page
    page.text_fields["family_name"].setText("見本")
    page.text_fields["given_name"].setText("花子")
    page.birth_date.setText("1990/04/01")
    page.referral.setCurrentIndex(1)
    page.complaint.setCurrentIndex(1)


def test_essentials_page_refuses_an_impossible_birth_date_and_keeps_the_cursor_there(
        qtbot, wizard):
    page = wizard.essentials_page
    fill_essentials(wizard)
    page.birth_date.setText("2026/13/45")
    assert not page.leave(wizard.collect())
    assert "not a valid date" in page.form.error_text("birth_date")
    assert QApplication.focusWidget() is page.birth_date
    wizard.advance()
    assert wizard.current_page() is page
    qtbot.wait(10)  # nothing moves the cursor away later
    assert QApplication.focusWidget() is page.birth_date
    page.birth_date.setText("1990/04/01")
    assert page.leave(wizard.collect())
    assert page.form.error_text("birth_date") == ""


def test_children_page_refuses_a_child_born_after_her_arrival(wizard):
    fill_essentials(wizard)
    wizard.advance()
    page = wizard.children_page
    assert wizard.current_page() is page
    page.text_fields["given_name"].setText("太郎")
    page.birth_date.setText("2999/01/01")
    assert not page.leave(wizard.collect())
    assert page.form.error_text("birth_date")
    assert page.children_added == []
    page.birth_date.setText("2020/05/05")
    assert page.leave(wizard.collect())
    assert [c.given_name for c in page.children_added] == ["太郎"]


def test_review_page_lists_every_open_problem(wizard):
    """Nothing typed: every problem of the essentials is named on the review,
    each one, before Save is pressed."""
    wizard.essentials_page.arrival_time.setText("25:99")
    data = wizard.collect()
    assert {e.field for e in data.problems} >= {"family_name", "referral_source",
                                                "main_complaint", "admitted_at"}
    wizard.go_to(wizard.review_page)
    shown = wizard.review_page.error.text()
    assert shown.startswith("Before saving:")
    for problem in data.problems:
        assert problem.message in shown
    assert "Type the arrival time as 23:40." in shown


def test_a_store_failure_at_save_shows_in_the_general_line_and_leaves_no_stay(
        wizard, session, monkeypatch):
    fill_essentials(wizard)
    wizard.safety_page.consent_fields.scope.setCurrentIndex(1)
    wizard.safety_page.consent_fields.recipient.setText("架空市 福祉課")
    assert wizard.safety_page.add_consent()
    wizard.save_draft_now()

    def broken(*_args, **_kwargs):
        raise StoreError("The database is busy.")
    # The last write of the admission fails: the whole transaction goes.
    monkeypatch.setattr(stays.residents_repo, "insert_consent", broken)
    heard = []
    changes.hub().changed.connect(heard.append)
    admitted = []
    wizard.admitted.connect(lambda *args: admitted.append(args))
    assert not wizard.save()
    assert wizard.general_error.text() == "The database is busy."
    assert not wizard.general_error.isHidden()
    assert session.db.query_one("SELECT count(*) FROM stay")[0] == 0
    assert session.db.query_one("SELECT count(*) FROM resident")[0] == 0
    assert admitted == [] and heard == []
    assert wizard.current_page() is wizard.essentials_page
    assert len(drafts.list_drafts(session.db, drafts.INTAKE)) == 1  # what was typed is kept


def test_an_error_on_another_page_is_shown_on_that_page(qtbot, wizard, session):
    """The bed chosen was taken meanwhile (at another desk): Save goes to the
    room page and says so there; the save succeeds with another bed."""
    fill_essentials(wizard)
    for _ in range(3):
        wizard.advance()
    assert wizard.current_page() is wizard.room_page
    bed = wizard.room_page.selected_bed_id()
    assert bed is not None
    wizard.back()
    wizard.back()
    assert wizard.current_page() is wizard.children_page
    stays.admit(session.db, stays.Admission(
        Resident(family_name="架空", given_name="桜"),
        Stay(admitted_at=datetime.now().replace(second=0, microsecond=0),
             admission_type="temporary_protection", main_complaint="dv_spouse",
             referral_source="police", bed_id=bed)))
    assert not wizard.save()
    assert wizard.current_page() is wizard.room_page
    assert wizard.room_page.error.text() == "This bed is taken."
    assert wizard.general_error.isHidden()
    heard = []
    changes.hub().changed.connect(heard.append)
    with qtbot.waitSignal(wizard.admitted) as sig:
        assert wizard.save()  # back on the room page, another bed is suggested
    stay_id, resident_id = sig.args
    assert stays.get_stay(session.db, stay_id).bed_id not in (None, bed)
    assert [(c.kinds, c.resident_id, c.stay_id) for c in heard] == [
        (frozenset({changes.RESIDENT, changes.STAY, changes.BED}), resident_id, stay_id)]
    assert bed not in [b.bed_id for b in rooms.free_beds(session.db)]


def test_delete_removes_the_selected_child_and_consent(qtbot, wizard):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    fill_essentials(wizard)
    wizard.advance()
    children = wizard.children_page
    children.text_fields["given_name"].setText("太郎")
    assert children.add_child()
    children.children_list.setCurrentRow(0)
    children.children_list.setFocus()
    QTest.keyClick(children.children_list, Qt.Key.Key_Delete)
    assert children.children_list.count() == 0 and children.children_added == []
    wizard.advance()
    safety = wizard.safety_page
    safety.consent_fields.scope.setCurrentIndex(1)
    safety.consent_fields.recipient.setText("架空市 福祉課")
    assert safety.add_consent()
    safety.consents_list.setCurrentRow(0)
    safety.consents_list.setFocus()
    QTest.keyClick(safety.consents_list, Qt.Key.Key_Delete)
    assert safety.consents_list.count() == 0 and safety.consents == []


def test_the_room_page_does_not_offer_a_family_room_another_family_holds(qtbot, session):
    """201 is one family's once she is in bed A: the next mother is offered
    the single rooms, not 201-B."""
    admit_sample(session.db, room="201", bed="A", children=2)
    w = IntakeWizard(session)
    qtbot.addWidget(w)
    w.room_page.load_beds(child_count=2)
    offered = [w.room_page.beds_list.item(i).text()
               for i in range(1, w.room_page.beds_list.count())]
    assert offered == ["Room 101, bed A (single room)", "Room 102, bed A (single room)"]
