"""Stays: admission in one transaction, beds, discharge, readmission; every
refusal names the field that is wrong and writes nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.core.validation import ValidationError
from shelterdesk.store import residents, stays
from shelterdesk.store.errors import Conflict
from shelterdesk.store.rooms import bed_board, free_beds

NOW = datetime(2026, 11, 21, 12, 0)


def _bed(db, room: str, label: str = "A") -> int:
    return next(b.bed_id for b in bed_board(db) if b.room == room and b.bed == label)


def _stay(bed=None, at=datetime(2026, 11, 20, 23, 15), **kw) -> Stay:
    return Stay(admitted_at=at, admission_type=kw.pop("admission_type", "temporary_protection"),
                main_complaint=kw.pop("main_complaint", "dv_spouse"),
                referral_source=kw.pop("referral_source", "police"), bed_id=bed, **kw)


def _resident() -> Resident:
    return Resident(family_name="見本", given_name="花子", family_kana="みほん",
                    given_kana="はなこ", birth_date=date(1990, 4, 1))


def _counts(db) -> dict[str, int]:
    return {t: db.query(f"SELECT count(*) FROM {t}")[0][0]
            for t in ("resident", "child", "stay", "stay_child", "stay_issue", "consent",
                      "audit")}


def test_admission_writes_everything_together(db):
    kids = [Child(family_name="見本", given_name="太郎", birth_date=date(2018, 6, 1), sex="M"),
            Child(family_name="見本", given_name="結衣", birth_date=date(2021, 2, 2), sex="F")]
    consent = Consent(scope="municipality_aftercare", recipient="架空市",
                      given_on=date(2026, 11, 20))
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "201"),
                                                           issue_tags=("poverty", "housing")),
                                        kids, [], [consent]), now=NOW)
    back = stays.get_stay(db, s.id)
    assert back.admitted_at == datetime(2026, 11, 20, 23, 15)
    assert back.issue_tags == ("housing", "poverty")
    assert len(back.child_ids) == 2
    assert [c.given_name for c in residents.children_of(db, s.resident_id)] == ["太郎", "結衣"]
    assert residents.consents_of(db, s.resident_id)[0].valid_on(date(2026, 11, 21))
    board = {(b.room, b.bed): b for b in bed_board(db)}
    assert board[("201", "A")].resident_id == s.resident_id
    assert board[("201", "A")].children == 2
    assert db.verify_audit() == []


@pytest.mark.parametrize("change, field", [
    (lambda a: setattr(a.stay, "main_complaint", "bad_luck"), "main_complaint"),
    (lambda a: setattr(a.stay, "admission_type", ""), "admission_type"),
    (lambda a: setattr(a.stay, "referral_source", "rumour"), "referral_source"),
    (lambda a: setattr(a.stay, "issue_tags", ("poverty", "bogus")), "issue_tags"),
    (lambda a: setattr(a.stay, "admitted_at", datetime(2026, 11, 22, 9, 0)), "admitted_at"),
    (lambda a: setattr(a.resident, "birth_date", date(2027, 1, 1)), "birth_date"),
    (lambda a: setattr(a.resident, "birth_date", date(1900, 1, 1)), "birth_date"),
    (lambda a: setattr(a.resident, "given_kana", "花子"), "given_kana"),
    (lambda a: setattr(a.resident, "family_name", "長" * 101), "family_name"),
    (lambda a: a.children.append(Child(given_name="大人", birth_date=date(2008, 11, 20))),
     "children[0].birth_date"),
    (lambda a: a.children.append(Child(given_name="子", sex="X")), "children[0].sex"),
    (lambda a: a.consents.append(Consent(scope="tell_everyone", recipient="x",
                                         given_on=date(2026, 11, 1))), "consents[0].scope"),
])
def test_invalid_admission_names_the_field_and_writes_nothing(db, change, field):
    a = stays.Admission(_resident(), _stay(_bed(db, "201")))
    change(a)
    before = _counts(db)
    with pytest.raises(ValidationError) as e:
        stays.admit(db, a, now=NOW)
    assert [err.field for err in e.value.errors] == [field]
    assert e.value.errors[0].message.endswith(".")
    assert _counts(db) == before


def test_bed_rules(db):
    stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "101"))), now=NOW)
    for bed, msg in ((_bed(db, "101"), "This bed is taken."),
                     (_bed(db, "301"), "This room is out of service."),
                     (99999, "This bed does not exist.")):
        with pytest.raises(ValidationError) as e:
            stays.admit(db, stays.Admission(Resident(alias="ソラ（仮）"), _stay(bed)), now=NOW)
        assert e.value.for_field("bed_id") == [msg]


def test_discharge_frees_the_bed_and_checks_dates(db):
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "101"))), now=NOW)
    with pytest.raises(ValidationError) as e:
        stays.discharge(db, s.id, date(2026, 11, 19), "independent")
    assert e.value.for_field("discharged_on") == ["Discharge date is before the admission date."]
    with pytest.raises(ValidationError) as e:
        stays.discharge(db, s.id, date(2026, 11, 21), "vanished")
    assert e.value.for_field("discharge_destination")
    assert stays.get_stay(db, s.id).discharged_on is None
    stays.discharge(db, s.id, date(2026, 11, 21), "public_housing")
    assert _bed(db, "101") in [b.bed_id for b in free_beds(db)]
    with pytest.raises(Conflict):
        stays.discharge(db, s.id, date(2026, 11, 21), "public_housing")


def test_readmission_of_someone_in_residence_is_refused(db):
    s = stays.admit(db, stays.Admission(_resident(), _stay()), now=NOW)
    r = residents.get_resident(db, s.resident_id, audit_view=False)
    with pytest.raises(ValidationError) as e:
        stays.admit(db, stays.Admission(r, _stay()), now=NOW)
    assert e.value.for_field("resident")


def test_readmission_keeps_one_resident_with_two_stays(db):
    s = stays.admit(db, stays.Admission(_resident(), _stay(at=datetime(2025, 1, 5))), now=NOW)
    stays.discharge(db, s.id, date(2025, 3, 1), "relatives")
    r = residents.get_resident(db, s.resident_id, audit_view=False)
    again = stays.admit(db, stays.Admission(r, _stay(_bed(db, "102"))), now=NOW)
    assert again.resident_id == s.resident_id
    assert [x.id for x in stays.stays_of(db, s.resident_id)] == [again.id, s.id]
    assert stays.open_stay_of(db, s.resident_id).id == again.id


def test_move_bed(db):
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "101"))), now=NOW)
    stays.move_bed(db, s.id, _bed(db, "102"))
    assert stays.get_stay(db, s.id).bed_id == _bed(db, "102")
    with pytest.raises(ValidationError):
        stays.move_bed(db, s.id, _bed(db, "301"))


def _audit_tail(db, n):
    return [r for r in db.query("SELECT action, entity, entity_id, detail FROM audit "
                                "ORDER BY id DESC LIMIT ?", (n,))][::-1]


def test_add_child_on_the_record_joins_her_open_stay(db):
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "201"))), now=NOW)
    ch = Child(resident_id=s.resident_id, family_name="見本", given_name="次郎",
               birth_date=date(2019, 3, 3), sex="M")
    cid = stays.add_child(db, ch, stays.get_stay(db, s.id))
    assert stays.get_stay(db, s.id).child_ids == (cid,)
    assert _audit_tail(db, 2) == [("create", "child", cid, f"resident={s.resident_id}"),
                                  ("update", "stay", s.id, f"child={cid}")]
    assert db.verify_audit() == []


def test_add_child_to_a_closed_stay_is_not_linked_and_without_a_stay_is_checked_alone(db):
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "201"))), now=NOW)
    closed = stays.discharge(db, s.id, date(2026, 11, 25), "public_housing")
    cid = stays.add_child(db, Child(resident_id=s.resident_id, family_name="見本",
                                    given_name="三郎", birth_date=date(2020, 1, 1)), closed)
    assert stays.get_stay(db, s.id).child_ids == ()
    assert cid in {c.id for c in residents.children_of(db, s.resident_id)}
    # An adult child cannot be a companion of that admission.
    with pytest.raises(ValidationError):
        stays.add_child(db, Child(resident_id=s.resident_id, family_name="見本",
                                  given_name="大人", birth_date=date(2000, 1, 1)), closed)


def test_add_child_that_fails_halfway_writes_nothing(db, monkeypatch):
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "201"))), now=NOW)
    before = _counts(db)

    def broken_link(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(stays, "link_child", broken_link)
    with pytest.raises(OSError):
        stays.add_child(db, Child(resident_id=s.resident_id, family_name="見本",
                                  given_name="次郎", birth_date=date(2019, 3, 3)),
                        stays.get_stay(db, s.id))
    assert _counts(db) == before


def test_admission_deletes_its_draft_in_the_same_transaction(db, monkeypatch):
    from shelterdesk.store import drafts

    draft_id = drafts.save_draft(db, drafts.INTAKE, {"family_name": "見本"})
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "201"))), now=NOW,
                    draft_id=draft_id)
    assert drafts.list_drafts(db, drafts.INTAKE) == []
    assert _audit_tail(db, 2) == [("admit", "stay", s.id, f"resident={s.resident_id} "
                                   f"bed={s.bed_id} children=0"),
                                  ("delete", "draft", draft_id, "")]

    # When deleting the draft fails, the admission is not written either.
    draft_id = drafts.save_draft(db, drafts.INTAKE, {"family_name": "見本"})
    before = _counts(db)

    def broken_delete(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(drafts, "delete_draft", broken_delete)
    r = _resident()
    r.given_name = "次子"
    with pytest.raises(OSError):
        stays.admit(db, stays.Admission(r, _stay()), now=NOW,
                    draft_id=draft_id)
    assert _counts(db) == before
    assert [d.id for d in drafts.list_drafts(db, drafts.INTAKE)] == [draft_id]


def test_two_desks_racing_for_one_bed_are_stopped_by_the_index(db, monkeypatch):
    """Issue 8: the check in stays.py runs before the transaction, so two desks
    can both pass it; the unique index stay_bed_occupied is the only guard.
    Simulated by letting both admissions (and a move) skip the pre-check: the
    second is refused and writes nothing. Fails if the index is dropped."""
    import sqlcipher3

    bed = _bed(db, "101")
    monkeypatch.setattr(stays, "_bed_errors", lambda *a, **k: [])
    stays.admit(db, stays.Admission(_resident(), _stay(bed)), now=NOW)
    before = _counts(db)
    with pytest.raises((Conflict, sqlcipher3.IntegrityError)):
        stays.admit(db, stays.Admission(Resident(alias="ソラ（仮）"), _stay(bed)), now=NOW)
    assert _counts(db) == before
    other = stays.admit(db, stays.Admission(Resident(alias="ウミ（仮）"), _stay(_bed(db, "102"))),
                        now=NOW)
    with pytest.raises((Conflict, sqlcipher3.IntegrityError)):
        stays.move_bed(db, other.id, bed)
    assert db.query("SELECT count(*) FROM stay WHERE bed_id=? AND discharged_on IS NULL",
                    (bed,)) == [(1,)]

def test_a_family_room_is_taken_as_a_whole(db):
    """Her children sleep in the other beds of her family room: they are not
    free, not counted free, and no other family is admitted or moved there."""
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "201", "A"))), now=NOW)
    free = [(b.room, b.bed) for b in free_beds(db)]
    assert free == [("101", "A"), ("102", "A")]
    held = {(b.room, b.bed): (b.state, b.family_bed, b.family_stay) for b in bed_board(db)}
    assert held[("201", "B")] == ("family", "A", s.id)
    with pytest.raises(ValidationError) as e:
        stays.admit(db, stays.Admission(Resident(alias="ソラ（仮）"),
                                        _stay(_bed(db, "201", "C"))), now=NOW)
    assert e.value.for_field("bed_id") == ["This family room is taken by another family."]
    other = stays.admit(db, stays.Admission(Resident(alias="ソラ（仮）"), _stay(_bed(db, "101"))),
                        now=NOW)
    with pytest.raises(ValidationError):
        stays.move_bed(db, other.id, _bed(db, "201", "B"))
    stays.move_bed(db, s.id, _bed(db, "201", "B"))  # within her own room
    stays.discharge(db, s.id, date(2026, 11, 21), "public_housing")
    assert [(b.room, b.bed) for b in free_beds(db)] == [
        ("102", "A"), ("201", "A"), ("201", "B"), ("201", "C")]


def test_residents_without_a_bed_are_listed(db):
    s = stays.admit(db, stays.Admission(_resident(), _stay()), now=NOW)
    from shelterdesk.store.rooms import without_bed
    assert [(u.stay_id, u.occupant_name) for u in without_bed(db)] == [(s.id, "見本 花子")]
    stays.move_bed(db, s.id, _bed(db, "101"))
    assert without_bed(db) == []


def test_undo_discharge_reopens_her_latest_stay_into_a_free_bed(session):
    from shelterdesk.store import accounts as accounts_repo
    from shelterdesk.store import session as sessions
    from shelterdesk.store.errors import Forbidden
    db = session.db
    s = stays.admit(db, stays.Admission(_resident(), _stay(_bed(db, "101"))), now=NOW)
    stays.discharge(db, s.id, date(2026, 11, 21), "public_housing")
    assert stays.get_stay(db, s.id).bed_id == _bed(db, "101")  # the closed stay keeps its bed
    accounts_repo.add_account(session, "desk", "受付 テスト", {"intake"}, "desk desk 12")
    desk = sessions.unlock(db.path, "desk", "desk desk 12")
    try:
        with pytest.raises(Forbidden):
            stays.undo_discharge(desk, s.id)
    finally:
        desk.lock()
    other = stays.admit(db, stays.Admission(Resident(alias="ソラ（仮）"), _stay(_bed(db, "101"))),
                        now=NOW)
    with pytest.raises(ValidationError) as e:  # her bed was given to someone else
        stays.undo_discharge(session, s.id)
    assert e.value.for_field("bed_id") == ["This bed is taken."]
    reopened = stays.undo_discharge(session, s.id, _bed(db, "102"))
    assert (reopened.discharged_on, reopened.discharge_destination) == (None, None)
    assert reopened.bed_id == _bed(db, "102")
    assert stays.open_stay_of(db, s.resident_id).id == s.id
    assert _audit_tail(db, 1) == [("undo_discharge", "stay", s.id,
                                   f"was=2026-11-21 destination=public_housing "
                                   f"bed={_bed(db, '102')}")]
    with pytest.raises(Conflict):
        stays.undo_discharge(session, s.id)  # not closed
    stays.discharge(db, other.id, date(2026, 11, 21), "relatives")
    r = residents.get_resident(db, other.resident_id, audit_view=False)
    stays.admit(db, stays.Admission(r, _stay(_bed(db, "201"))), now=NOW)
    with pytest.raises(Conflict):  # not her most recent stay
        stays.undo_discharge(session, other.id)
