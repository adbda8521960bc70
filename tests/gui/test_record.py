"""The resident record: audited opening, edits validated beside the field,
what is still missing, children and consents, discharge from the record."""

from __future__ import annotations

from datetime import date, timedelta

from intake_helpers import admit_sample
from PySide6.QtWidgets import QMessageBox

from shelterdesk.gui.views.record import RecordView
from shelterdesk.gui.widgets.pickers import set_combo
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import stays


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
    v.pf["alias"].setText("さくら")
    assert v.save_resident()
    assert views(db, s.resident_id) == before + 1


def test_future_birth_date_is_refused_beside_the_field(qtbot, session):
    db = session.db
    s = admit_sample(db)
    v = open_record(qtbot, session, s.resident_id)
    v.birth_date.set_value(date.today() + timedelta(days=30))
    v.pf["given_name"].setText("別名")
    assert not v.save_resident()
    assert v.profile.error_text("birth_date") == "Date of birth is in the future."
    assert v.profile.fields["birth_date"][1].isVisible()
    r = residents_repo.get_resident(db, s.resident_id, audit_view=False)
    assert (r.birth_date, r.given_name) == (date(1990, 4, 1), "花子")  # nothing written
    v.birth_date.setText("1990/4/2")
    assert v.save_resident()
    assert v.profile.error_text("birth_date") == ""
    assert residents_repo.get_resident(db, s.resident_id, audit_view=False).birth_date == \
        date(1990, 4, 2)


def test_safety_edit_updates_the_banner(qtbot, session):
    s = admit_sample(session.db)
    v = open_record(qtbot, session, s.resident_id)
    assert not v.banner.isVisible()
    v.whereabouts_secret.setChecked(True)
    assert v.save_resident()
    assert v.banner.isVisible() and "Whereabouts secret" in v.banner.text()


def test_children_added_and_edited_on_the_record(qtbot, session):
    db = session.db
    s = admit_sample(db, children=0, room=None)
    v = open_record(qtbot, session, s.resident_id)
    assert "No bed assigned" in v.missing_label.text()
    v.new_child()
    assert v.cf["family_name"].text() == "見本"
    v.cf["given_name"].setText("蓮")
    v.child_birth.setText("令和元年6月1日")
    assert v.save_child()
    kids = residents_repo.children_of(db, s.resident_id)
    assert [(k.given_name, k.birth_date) for k in kids] == [("蓮", date(2019, 6, 1))]
    assert stays.get_stay(db, s.id).child_ids == (kids[0].id,)  # with her on this stay
    v.child_birth.setText("2000/01/01")  # 18 or older at admission
    assert not v.save_child()
    assert "under 18" in v.child_form.error_text("birth_date")
    assert residents_repo.children_of(db, s.resident_id)[0].birth_date == date(2019, 6, 1)


def test_consent_added_and_withdrawn(qtbot, session, monkeypatch):
    db = session.db
    s = admit_sample(db)
    v = open_record(qtbot, session, s.resident_id)
    assert not v.add_consent()
    assert v.consent_form.error_text("recipient") == "Recipient is required."
    set_combo(v.consent_scope, "municipality_aftercare")
    v.consent_recipient.setText("架空市")
    assert v.add_consent()
    assert "No valid consent" not in v.missing_label.text()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    v.consents_table.selectRow(0)
    assert v.withdraw_consent()
    assert residents_repo.consents_of(db, s.resident_id)[0].withdrawn_on == date.today()
    assert "No valid consent recorded" in v.missing_label.text()


def test_stay_edit_and_discharge_from_the_record(qtbot, session):
    db = session.db
    s = admit_sample(db)
    v = open_record(qtbot, session, s.resident_id)
    v.review_on.setText("2000/01/01")
    assert not v.save_stay()
    assert v.stay_form.error_text("review_on") == "Review date is before the admission date."
    v.review_on.set_value(date.today() + timedelta(days=30))
    set_combo(v.complaint, "stalking")
    assert v.save_stay()
    assert stays.get_stay(db, s.id).main_complaint == "stalking"
    v.discharge_open_stay()
    dlg = v.discharge_dialog
    set_combo(dlg.destination, "relatives")
    with qtbot.waitSignal(v.discharged):
        assert dlg.submit()
    assert f"{s.id} (closed)" in v.ids_label.text()
    assert not v.discharge_button.isEnabled()
