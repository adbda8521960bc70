"""The admission wizard, driven the way the intake desk uses it: by keyboard."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from shelterdesk.core.models import Child, Resident, Stay
from shelterdesk.gui.views.intake.wizard import IntakeWizard
from shelterdesk.store import drafts, rooms, stays
from shelterdesk.store import residents as residents_repo


def focused():
    return QApplication.focusWidget()


def type_text(text: str) -> None:
    """Type as the keyboard does: ASCII as key presses, Japanese as a Japanese
    input method commits it (QTest cannot synthesise non-ASCII key codes)."""
    if text.isascii():
        QTest.keyClicks(focused(), text)
    else:
        ev = QInputMethodEvent()
        ev.setCommitString(text)
        QApplication.sendEvent(focused(), ev)


def key(k, n: int = 1) -> None:
    for _ in range(n):
        QTest.keyClick(focused(), k)


def tab(n: int = 1) -> None:
    key(Qt.Key.Key_Tab, n)


def enter() -> None:
    key(Qt.Key.Key_Return)


def open_wizard(qtbot, session) -> IntakeWizard:
    w = IntakeWizard(session)
    qtbot.addWidget(w)
    w.resize(900, 760)
    w.show()
    w.activateWindow()
    qtbot.waitExposed(w)
    return w


def type_essentials(qtbot, w: IntakeWizard, birth: str = "1990/4/1") -> None:
    qtbot.waitUntil(lambda: w.essentials_page.text_fields["family_name"].hasFocus())
    type_text("見本")
    tab()
    type_text("花子")
    tab()
    type_text("みほん")
    tab()
    type_text("はなこ")
    tab(2)  # alias left empty
    type_text(birth)
    tab(2)  # estimated age not needed
    assert focused() is w.essentials_page.arrival_date  # prefilled with today
    tab(2)  # arrival time prefilled with now
    assert focused() is w.essentials_page.referral
    key(Qt.Key.Key_Down, 2)  # police
    tab()
    assert focused() is w.essentials_page.admission_type  # temporary protection preselected
    tab()
    key(Qt.Key.Key_Down)  # DV by husband or partner
    tab()
    key(Qt.Key.Key_Space)  # first secondary tag


@pytest.fixture
def no_questions(monkeypatch):
    """Every confirmation answered Yes (recorded)."""
    asked = []

    def question(parent, title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_keyboard_only_intake_with_one_child(qtbot, session, tmp_path):
    db = session.db
    w = open_wizard(qtbot, session)
    type_essentials(qtbot, w)
    enter()
    qtbot.waitUntil(lambda: w.current_page() is w.children_page)
    # Children: her family name is prefilled; Enter adds the child typed.
    qtbot.waitUntil(lambda: w.children_page.text_fields["family_name"].hasFocus())
    assert w.children_page.text_fields["family_name"].text() == "見本"
    tab()
    type_text("太郎")
    tab(2)
    type_text("たろう")
    tab()
    type_text("令和2年5月5日")
    tab()
    key(Qt.Key.Key_Down, 2)  # M
    tab()
    type_text("架空保育園")
    tab()
    type_text("卵")
    enter()
    assert w.children_page.children_list.count() == 1
    assert "太郎" in w.children_page.children_list.item(0).text()
    enter()  # empty child form: next page
    qtbot.waitUntil(lambda: w.current_page() is w.safety_page)
    qtbot.waitUntil(lambda: w.safety_page.safety_fields.support_measure.hasFocus())
    key(Qt.Key.Key_Space)
    tab(2)
    key(Qt.Key.Key_Down)  # danger: high
    tab()
    type_text("車を持っている")
    tab(2)
    assert focused() is w.safety_page.consent_fields.scope
    key(Qt.Key.Key_Down)
    tab()
    type_text("架空市 福祉課")
    enter()  # adds the consent
    assert w.safety_page.consents_list.count() == 1
    enter()  # nothing typed in the consent form: next page
    qtbot.waitUntil(lambda: w.current_page() is w.room_page)
    # A family room is suggested because she has a child.
    family = next(b for b in rooms.free_beds(db) if b.family_room)
    assert w.room_page.selected_bed_id() == family.bed_id
    enter()
    qtbot.waitUntil(lambda: w.current_page() is w.review_page)
    assert "見本 花子" in w.review_page.entered.text()
    # The review names her child and the consent, so staff can check them.
    assert "太郎" in w.review_page.entered.text()
    assert "架空市 福祉課" in w.review_page.entered.text()
    qtbot.waitUntil(lambda: w.save_button.hasFocus())
    with qtbot.waitSignal(w.admitted) as sig:
        enter()
    stay_id, resident_id = sig.args
    assert w.current_page() is w.done_page
    assert f"{stay_id}" in w.done_page.label.text() and f"{resident_id}" in w.done_page.label.text()

    s = stays.get_stay(db, stay_id)
    assert s.bed_id == family.bed_id and s.main_complaint == "dv_spouse"
    assert s.referral_source == "police" and s.issue_tags == ("sexual_violence",)
    r = residents_repo.get_resident(db, resident_id, audit_view=False)
    assert (r.family_kana, r.given_kana, r.birth_date) == ("みほん", "はなこ", date(1990, 4, 1))
    assert r.safety.support_measure and r.safety.danger_level == "high"
    assert r.safety.danger_warning == "車を持っている"
    kids = residents_repo.children_of(db, resident_id)
    assert [(k.given_name, k.birth_date, k.sex, k.allergies) for k in kids] == [
        ("太郎", date(2020, 5, 5), "M", "卵")]
    assert [k.recipient for k in residents_repo.consents_of(db, resident_id)] == ["架空市 福祉課"]
    assert drafts.list_drafts(db, drafts.INTAKE) == []  # saving deleted the draft

    # The bed board shows her in that bed.
    from shelterdesk.gui.views.bed_board import BedBoard
    board = BedBoard(session)
    qtbot.addWidget(board)
    # She has no alias: with aliases on the board (the default) her number shows.
    assert board.occupant_text(family.bed_id) == f"(no alias) resident no. {resident_id}"
    db.set_meta("board_shows_alias", "0")
    board.refresh()
    assert board.occupant_text(family.bed_id) == "見本 花子"

    # Print the intake sheet: built off the UI thread, previewed from memory.
    qtbot.waitUntil(lambda: w.done_page.print_intake_button.hasFocus())
    enter()
    qtbot.waitUntil(lambda: w.done_page.preview is not None, timeout=10000)
    out = tmp_path / "intake.pdf"
    assert w.done_page.preview.save_to(out)
    assert out.read_bytes().startswith(b"%PDF")
    audit = db.query("SELECT action, entity, entity_id, detail FROM audit WHERE action='save'")
    # Saved encrypted by default (issue 12): the audit row says how.
    assert audit == [("save", "stay", stay_id, "doc=intake lang=ja enc=pdf-aes256")]
    w.done_page.preview.close()


def test_essentials_errors_show_beside_the_field(qtbot, session):
    w = open_wizard(qtbot, session)
    qtbot.waitUntil(lambda: w.essentials_page.text_fields["family_name"].hasFocus())
    tab(5)
    assert focused() is w.essentials_page.birth_date
    type_text("2026/13/45")
    tab()
    assert "not a valid date" in w.essentials_page.form.error_text("birth_date")
    w.essentials_page.birth_date.setText("2999/01/01")
    enter()
    assert w.current_page() is w.essentials_page
    assert w.essentials_page.form.error_text("birth_date") == "Date of birth is in the future."
    assert "name or an alias" in w.essentials_page.form.error_text("family_name")
    assert w.essentials_page.form.error_text("referral_source") == "Referral source is required."
    # Alias alone is enough; essentials complete: the stay can be saved at once.
    w.essentials_page.text_fields["alias"].setText("さくら")
    w.essentials_page.birth_date.clear()
    w.essentials_page.referral.setCurrentIndex(1)
    w.essentials_page.complaint.setCurrentIndex(1)
    with qtbot.waitSignal(w.admitted) as sig:
        assert w.save()
    s = stays.get_stay(session.db, sig.args[0])
    assert s.bed_id is None  # no bed yet: completed later


def test_draft_survives_the_wizard_being_destroyed(qtbot, session):
    db = session.db
    w = open_wizard(qtbot, session)
    type_essentials(qtbot, w, birth="R2.1.1")
    w.essentials_page.birth_date.setText("H2.1.1")
    enter()
    qtbot.waitUntil(lambda: w.children_page.text_fields["family_name"].hasFocus())
    tab()
    type_text("結衣")  # typed, not yet added: autosaved after a second
    qtbot.waitUntil(lambda: drafts.list_drafts(db, drafts.INTAKE) and drafts.list_drafts(
        db, drafts.INTAKE)[0].payload["child_form"]["given_name"] == "結衣", timeout=3000)
    # The widget goes away mid-intake (a crash, a lock): nothing is saved on
    # the way out except what the autosave already kept.
    w.drafts.timer.stop()
    w.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(w)

    w2 = open_wizard(qtbot, session)
    assert not w2.drafts_bar.isHidden()
    assert "Resume the unfinished intake from" in w2.drafts_bar.label.text()
    qtbot.waitUntil(lambda: w2.drafts_bar.resume_button.hasFocus())
    enter()
    assert w2.essentials_page.text_fields["family_name"].text() == "見本"
    assert w2.essentials_page.text_fields["given_kana"].text() == "はなこ"
    assert w2.essentials_page.birth_date.value() == date(1990, 1, 1)
    assert w2.essentials_page.referral.currentData() == "police"
    assert w2.current_page() is w2.children_page
    assert w2.children_page.text_fields["given_name"].text() == "結衣"
    assert w2.drafts_bar.isHidden()
    w2.children_page.add_child()
    with qtbot.waitSignal(w2.admitted):
        assert w2.save()
    assert drafts.list_drafts(db, drafts.INTAKE) == []


def test_escape_asks_before_discarding(qtbot, session, monkeypatch):
    db = session.db
    w = open_wizard(qtbot, session)
    qtbot.waitUntil(lambda: w.essentials_page.text_fields["family_name"].hasFocus())
    type_text("架空")
    w.save_draft_now()
    assert len(drafts.list_drafts(db, drafts.INTAKE)) == 1
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []

    def question(parent, title, text, *a, **k):
        asked.append(text)
        return answers.pop(0)
    monkeypatch.setattr(QMessageBox, "question", question)
    key(Qt.Key.Key_Escape)
    assert len(asked) == 1 and w.essentials_page.text_fields["family_name"].text() == "架空"
    assert len(drafts.list_drafts(db, drafts.INTAKE)) == 1
    with qtbot.waitSignal(w.discarded):
        key(Qt.Key.Key_Escape)
    assert w.essentials_page.text_fields["family_name"].text() == ""
    assert drafts.list_drafts(db, drafts.INTAKE) == []


def _earlier_stay(db) -> tuple[int, int]:
    r = Resident(family_name="架空", given_name="桜", family_kana="かくう", given_kana="さくら",
                 birth_date=date(1988, 8, 8), alias="さくら", safe_phone="000-0000-0000")
    a = stays.Admission(r, Stay(admitted_at=datetime(2025, 1, 10, 22, 0),
                                admission_type="temporary_protection",
                                main_complaint="dv_spouse", referral_source="police"),
                        children=[Child(family_name="架空", given_name="蓮",
                                        birth_date=date(2019, 3, 3), sex="M")])
    s = stays.admit(db, a, now=datetime(2025, 1, 10, 22, 5))
    stays.discharge(db, s.id, date(2025, 3, 1), "relatives")
    return r.id, s.child_ids[0]


def test_readmission_same_person_adds_a_stay_to_her_record(qtbot, session):
    db = session.db
    rid, child_id = _earlier_stay(db)
    w = open_wizard(qtbot, session)
    qtbot.waitUntil(lambda: w.essentials_page.text_fields["family_name"].hasFocus())
    tab(2)
    type_text("カクウ")  # katakana matches hiragana
    tab()
    type_text("さくら")
    tab(2)
    type_text("昭和63年8月8日")
    qtbot.waitUntil(lambda: w.essentials_page.readmission.isVisible())
    assert f"resident no. {rid}" in w.essentials_page.readmission.label.text()
    # One sentence: when her last stay began and ended.
    from shelterdesk.core.dates import format_date
    assert (f"her last stay ran from {format_date(date(2025, 1, 10))} to "
            f"{format_date(date(2025, 3, 1))}") in w.essentials_page.readmission.label.text()
    # Undecided: cannot go on, never merged silently.
    enter()
    assert w.current_page() is w.essentials_page
    assert "Same person" in w.essentials_page.readmission.error.text()
    w.essentials_page.readmission.same_button.setFocus()
    enter()
    assert w.essentials_page.text_fields["alias"].text() == "さくら"  # her record was loaded
    assert child_id in w.children_page.existing_checks
    w.essentials_page.referral.setCurrentIndex(1)
    w.essentials_page.complaint.setCurrentIndex(1)
    enter()
    qtbot.waitUntil(lambda: w.current_page() is w.children_page)
    w.children_page.existing_checks[child_id].setChecked(True)
    with qtbot.waitSignal(w.admitted) as sig:
        assert w.save()
    assert sig.args[1] == rid
    her = stays.stays_of(db, rid)
    assert len(her) == 2
    assert stays.get_stay(db, sig.args[0]).child_ids == (child_id,)
    assert residents_repo.get_resident(db, rid, audit_view=False).safe_phone == "000-0000-0000"
    assert db.query_one("SELECT count(*) FROM resident")[0] == 1


def test_readmission_different_person_is_a_new_resident(qtbot, session):
    db = session.db
    rid, _child = _earlier_stay(db)
    w = open_wizard(qtbot, session)
    w.essentials_page.text_fields["family_name"].setText("架空")
    w.essentials_page.text_fields["family_kana"].setText("かくう")
    w.essentials_page.text_fields["given_kana"].setText("さくら")
    w.essentials_page.birth_date.setText("1988/08/08")
    qtbot.waitUntil(lambda: w.essentials_page.readmission.isVisible())
    w.essentials_page.readmission.different_button.click()
    w.essentials_page.referral.setCurrentIndex(1)
    w.essentials_page.complaint.setCurrentIndex(1)
    with qtbot.waitSignal(w.admitted) as sig:
        assert w.save()
    assert sig.args[1] != rid
    assert len(stays.stays_of(db, rid)) == 1


def test_enter_after_resuming_adds_no_empty_child(qtbot, session):
    """Resumed on the children page with only her surname pre-filled, Enter
    moves on, as the hint says; it does not add a child made of her surname."""
    db = session.db
    w = open_wizard(qtbot, session)
    type_essentials(qtbot, w, birth="H2.1.1")
    enter()
    qtbot.waitUntil(lambda: w.children_page.text_fields["family_name"].hasFocus())
    w.save_draft_now()
    w.drafts.timer.stop()
    w.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    w2 = open_wizard(qtbot, session)
    qtbot.waitUntil(lambda: w2.drafts_bar.resume_button.hasFocus())
    enter()
    assert w2.current_page() is w2.children_page
    assert w2.children_page.text_fields["family_name"].text() == "見本"
    w2.children_page.text_fields["given_name"].setFocus()
    enter()
    qtbot.waitUntil(lambda: w2.current_page() is not w2.children_page)
    assert w2.children_page.children_list.count() == 0
    assert drafts.list_drafts(db, drafts.INTAKE)[0].payload["children"] == []


def test_review_names_safety_and_an_open_readmission_question(qtbot, session):
    """The review shows the safety facts, and an undecided readmission is named
    there rather than only when Save is pressed."""
    _earlier_stay(session.db)
    w = open_wizard(qtbot, session)
    w.essentials_page.text_fields["family_name"].setText("架空")
    w.essentials_page.text_fields["family_kana"].setText("かくう")
    w.essentials_page.text_fields["given_kana"].setText("さくら")
    w.essentials_page.birth_date.setText("1988/08/08")
    qtbot.waitUntil(lambda: w.essentials_page.readmission.isVisible())
    w.essentials_page.referral.setCurrentIndex(1)
    w.essentials_page.complaint.setCurrentIndex(1)
    w.safety_page.safety_fields.whereabouts_secret.setChecked(True)
    w.go_to(w.review_page)
    assert "Whereabouts secret" in w.review_page.entered.text()
    assert "Same person" in w.review_page.error.text()
