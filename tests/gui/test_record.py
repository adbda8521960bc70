"""The resident record: audited opening, edits validated beside the field,
what is still missing, children and consents, discharge from the record; the
list of tabs, store failures in a tab's general line, reloading on the change
hub."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from intake_helpers import admit_sample
from PySide6.QtWidgets import QLabel, QMessageBox, QVBoxLayout

from shelterdesk.core import codes
from shelterdesk.gui import changes
from shelterdesk.gui.views.record import RecordView
from shelterdesk.gui.views.record import tabs as tab_list
from shelterdesk.gui.views.record.base import RecordTab
from shelterdesk.gui.views.record.children import ChildrenTab
from shelterdesk.gui.views.record.consents import ConsentsTab
from shelterdesk.gui.views.record.profile import ProfileTab
from shelterdesk.gui.views.record.safety import SafetyTab
from shelterdesk.gui.views.record.stays import StaysTab
from shelterdesk.gui.widgets.pickers import set_combo
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import stays
from shelterdesk.store.errors import StoreError


def open_record(qtbot, session, resident_id) -> RecordView:
    v = RecordView(session)
    qtbot.addWidget(v)
    v.open_resident(resident_id)
    v.resize(1000, 800)
    v.show()
    return v


def views(db, rid):
    return db.query_one("SELECT count(*) FROM audit WHERE action='view' AND entity='resident' "
                        "AND entity_id=?", (rid,))[0]


def test_opening_is_audited_and_shows_ids_banner_and_missing(qtbot, session):
    db = session.db
    s = admit_sample(db, danger="high")
    before = views(db, s.resident_id)
    v = open_record(qtbot, session, s.resident_id)
    assert views(db, s.resident_id) == before + 1
    assert f"Resident no. {s.resident_id}" in v.ids_label.text()
    assert f"{s.id} (open)" in v.ids_label.text()
    assert v.banner.isVisible() and "Perpetrator danger: High" in v.banner.text()
    assert "架空の注意事項" in v.banner.text()
    assert "No valid consent recorded" in v.missing_label.text()
    assert "No bed" not in v.missing_label.text()
    # An edit reloads without counting as another view.
    profile = v.tab(ProfileTab)
    profile.profile_text["alias"].setText("さくら")
    assert profile.save()
    assert views(db, s.resident_id) == before + 1
    assert "さくら" in v.title.text()


def test_future_birth_date_is_refused_beside_the_field(qtbot, session):
    db = session.db
    s = admit_sample(db)
    v = open_record(qtbot, session, s.resident_id)
    profile = v.tab(ProfileTab)
    profile.birth_date.set_value(date.today() + timedelta(days=30))
    profile.profile_text["given_name"].setText("別名")
    assert not profile.save()
    assert profile.form.error_text("birth_date") == "Date of birth is in the future."
    assert profile.form.fields["birth_date"][1].isVisible()
    r = residents_repo.get_resident(db, s.resident_id, audit_view=False)
    assert (r.birth_date, r.given_name) == (date(1990, 4, 1), "花子")  # nothing written
    profile.birth_date.setText("1990/4/2")
    assert profile.save()
    assert profile.form.error_text("birth_date") == ""
    assert residents_repo.get_resident(db, s.resident_id, audit_view=False).birth_date == \
        date(1990, 4, 2)


def test_safety_edit_updates_the_banner(qtbot, session):
    s = admit_sample(session.db)
    v = open_record(qtbot, session, s.resident_id)
    assert not v.banner.isVisible()
    v.tab(SafetyTab).whereabouts_secret.setChecked(True)
    assert v.tab(SafetyTab).save()
    assert v.banner.isVisible() and "Whereabouts secret" in v.banner.text()


def test_saving_either_details_tab_keeps_what_was_typed_on_the_other(qtbot, session):
    """Her details are one row: saving the safety flags also saves the
    profile typed meanwhile (the reload would otherwise throw it away); an
    error on the profile brings the Profile tab to the front."""
    db = session.db
    s = admit_sample(db)
    v = open_record(qtbot, session, s.resident_id)
    profile, safety = v.tab(ProfileTab), v.tab(SafetyTab)
    profile.profile_text["alias"].setText("みどり")
    safety.whereabouts_secret.setChecked(True)
    v.tabs.setCurrentIndex(1)
    assert safety.save()
    r = residents_repo.get_resident(db, s.resident_id, audit_view=False)
    assert r.alias == "みどり" and r.safety.whereabouts_secret
    profile.birth_date.set_value(date.today() + timedelta(days=30))
    assert not safety.save()
    assert v.tabs.currentIndex() == 0
    assert profile.form.error_text("birth_date") == "Date of birth is in the future."


def test_children_added_and_edited_on_the_record(qtbot, session):
    db = session.db
    s = admit_sample(db, children=0, room=None)
    v = open_record(qtbot, session, s.resident_id)
    assert "No bed assigned" in v.missing_label.text()
    children = v.tab(ChildrenTab)
    children.new_child()
    assert children.child_text["family_name"].text() == "見本"
    children.child_text["given_name"].setText("蓮")
    children.birth_date.setText("令和元年6月1日")
    assert children.save()
    kids = residents_repo.children_of(db, s.resident_id)
    assert [(k.given_name, k.birth_date) for k in kids] == [("蓮", date(2019, 6, 1))]
    assert stays.get_stay(db, s.id).child_ids == (kids[0].id,)  # with her on this stay
    assert children.editing_child_id == kids[0].id  # still shown after the reload
    assert children.child_text["given_name"].text() == "蓮"
    children.birth_date.setText("2000/01/01")  # 18 or older at admission
    assert not children.save()
    assert "under 18" in children.form.error_text("birth_date")
    assert residents_repo.children_of(db, s.resident_id)[0].birth_date == date(2019, 6, 1)


def test_a_store_failure_shows_in_the_tabs_general_line_and_writes_nothing(
        qtbot, session, monkeypatch):
    db = session.db
    s = admit_sample(db, children=0)
    v = open_record(qtbot, session, s.resident_id)
    children = v.tab(ChildrenTab)
    v.tabs.setCurrentIndex(2)
    children.new_child()
    children.child_text["given_name"].setText("蓮")
    children.birth_date.setText("2019/06/01")

    def refuse(*args, **kwargs):  # fails inside the store's transaction
        raise StoreError("The database is locked.")
    monkeypatch.setattr(db, "audit", refuse)
    assert not children.save()
    assert children.general_line.isVisible()
    assert children.general_line.text() == "The database is locked."
    monkeypatch.undo()
    assert residents_repo.children_of(db, s.resident_id) == []
    assert stays.get_stay(db, s.id).child_ids == ()
    # the same for her details, on the tab that saved
    safety = v.tab(SafetyTab)
    v.tabs.setCurrentIndex(1)
    safety.whereabouts_secret.setChecked(True)
    monkeypatch.setattr(db, "audit", refuse)
    assert not safety.save()
    assert safety.general_line.isVisible()
    assert safety.general_line.text() == "The database is locked."
    monkeypatch.undo()
    assert not residents_repo.get_resident(db, s.resident_id,
                                           audit_view=False).safety.whereabouts_secret


def test_consent_added_and_withdrawn(qtbot, session, monkeypatch):
    db = session.db
    s = admit_sample(db)
    v = open_record(qtbot, session, s.resident_id)
    consents = v.tab(ConsentsTab)
    assert not consents.add()
    assert consents.form.error_text("recipient") == "Recipient is required."
    set_combo(consents.scope, "municipality_aftercare")
    consents.recipient.setText("架空市")
    assert consents.add()
    assert consents.recipient.text() == ""  # ready for the next one
    assert "No valid consent" not in v.missing_label.text()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    consents.table.selectRow(0)
    assert consents.withdraw()
    assert residents_repo.consents_of(db, s.resident_id)[0].withdrawn_on == date.today()
    assert "No valid consent recorded" in v.missing_label.text()


def test_stay_edit_and_discharge_from_the_record(qtbot, session, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    db = session.db
    s = admit_sample(db)
    v = open_record(qtbot, session, s.resident_id)
    stays_tab = v.tab(StaysTab)
    stays_tab.review_on.setText("2000/01/01")
    assert not stays_tab.save()
    assert stays_tab.form.error_text("review_on") == "Review date is before the admission date."
    assert v.record.stays[0].review_on is None  # the loaded record is left as read
    stays_tab.review_on.set_value(date.today() + timedelta(days=30))
    set_combo(stays_tab.complaint, "stalking")
    assert stays_tab.save()
    assert stays.get_stay(db, s.id).main_complaint == "stalking"
    v.discharge_open_stay()
    dlg = v.discharge_dialog
    set_combo(dlg.destination, "relatives")
    with qtbot.waitSignal(v.discharged):
        assert dlg.submit()
    assert f"{s.id} (closed)" in v.ids_label.text()
    assert not v.discharge_button.isEnabled()
    # The closed stay keeps the room and bed she left.
    assert stays_tab.table.item(0, 2).text() == "201-A"


def test_a_manager_undoes_a_discharge_entered_by_mistake(qtbot, session, monkeypatch):
    asked = []

    def question(parent, title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", question)
    db = session.db
    s = admit_sample(db, room="101", bed="A")
    stays.discharge(db, s.id, date.today(), "relatives")
    v = open_record(qtbot, session, s.resident_id)
    assert v.undo_discharge_button.isVisible() and v.undo_discharge_button.isEnabled()
    v.undo_discharge()
    assert asked and "見本 花子" in asked[0]
    reopened = stays.get_stay(db, s.id)
    assert reopened.discharged_on is None and reopened.bed_id is not None
    assert f"{s.id} (open)" in v.ids_label.text()
    assert not v.undo_discharge_button.isVisible()
    assert db.query_one("SELECT count(*) FROM audit WHERE action='undo_discharge'")[0] == 1


def test_undo_discharge_is_not_offered_to_intake_staff(qtbot, session):
    from shelterdesk.store import accounts as accounts_repo
    from shelterdesk.store import session as sessions
    s = admit_sample(session.db, room="101", bed="A")
    stays.discharge(session.db, s.id, date.today(), "relatives")
    accounts_repo.add_account(session, "desk", "受付 テスト", {"intake"}, "desk desk 12")
    desk = sessions.unlock(session.db.path, "desk", "desk desk 12")
    v = open_record(qtbot, desk, s.resident_id)
    assert not v.undo_discharge_button.isVisible()


class NotesTab(RecordTab):
    """A tab a later feature might add."""

    def __init__(self, record, parent=None):
        super().__init__(record, parent)
        self.shown = QLabel()
        QVBoxLayout(self).addWidget(self.shown)

    def fill(self) -> None:
        self.shown.setText(f"notes of {self.record.resident_id}")


def test_the_list_of_tabs_builds_the_tabs(qtbot, session, monkeypatch):
    s = admit_sample(session.db)
    v = open_record(qtbot, session, s.resident_id)
    assert [v.tabs.tabText(i) for i in range(v.tabs.count())] == \
        [entry.title for entry in tab_list.TABS]  # the test catalog is English
    monkeypatch.setattr(tab_list, "TABS", (*tab_list.TABS,
                                           tab_list.RecordTabEntry(NotesTab, "Case notes",
                                                                   codes.CASEWORK)))
    v = open_record(qtbot, session, s.resident_id)
    assert v.tabs.tabText(v.tabs.count() - 1) == "Case notes"
    assert v.tab(NotesTab).shown.text() == f"notes of {s.resident_id}"
    # a caseworker's tab is not there for intake staff
    intake = replace(session, account=replace(session.account, roles=frozenset({"intake"})))
    v = open_record(qtbot, intake, s.resident_id)
    assert v.tab(NotesTab) is None
    assert v.tabs.count() == len([e for e in tab_list.TABS if e.roles is None or "intake" in e.roles])


def test_a_change_of_hers_on_the_hub_reloads_the_record(qtbot, session):
    db = session.db
    s = admit_sample(db)
    other = admit_sample(db, room=None)
    v = open_record(qtbot, session, s.resident_id)
    seen = views(db, s.resident_id)
    r = residents_repo.get_resident(db, s.resident_id, audit_view=False)
    r.alias = "ミドリ"
    residents_repo.update_resident(db, r)  # saved elsewhere (another page)
    changes.announce(changes.change(changes.RESIDENT, resident_id=other.resident_id))
    assert "ミドリ" not in v.title.text()  # not hers: no reload
    changes.announce(changes.change(changes.RESIDENT, resident_id=s.resident_id))
    assert "ミドリ" in v.title.text()
    assert views(db, s.resident_id) == seen  # a reload is not a new view
    # a bed move on her stay (announced with the stay only) reloads too
    stays.discharge(db, s.id, date.today(), "relatives")
    changes.announce(changes.change(changes.BED, stay_id=other.id))
    assert f"{s.id} (open)" in v.ids_label.text()
    changes.announce(changes.change(changes.STAY, stay_id=s.id))
    assert f"{s.id} (closed)" in v.ids_label.text()
