"""The audit log records who did what to which record by id and code, never by
name: a whole day at the intake desk — admit, edit, add a child and a consent,
move, print, discharge, import the ledger — leaves no family name, given name,
kana or alias in any audit detail."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from shelterdesk.cli import main as cli_main
from shelterdesk.core import ledger
from shelterdesk.core.models import Child, Consent, Resident, SafetyFlags, Stay
from shelterdesk.store import ledger_import, residents, rooms, stays
from tests.conftest import ADMIN, PASSWORD

LEDGER = Path(__file__).resolve().parent.parent / "fixtures" / "ledger"
NAMES = ("架空", "仮子", "かくう", "かりこ", "カリさん", "模擬", "次郎", "改名",
         "見本", "花子", "優子", "ユウさん")


def test_a_day_at_the_desk_leaves_no_name_in_the_audit_log(session, db_path, tmp_path,
                                                           monkeypatch):
    db = session.db
    beds = rooms.free_beds(db)
    r = Resident(family_name="架空", given_name="仮子", family_kana="かくう",
                 given_kana="かりこ", alias="カリさん", birth_date=date(1990, 1, 1),
                 safety=SafetyFlags(danger_level="high", danger_warning="架空の注意"))
    s = Stay(admitted_at=datetime(2026, 11, 21, 22, 0), admission_type="temporary_protection",
             main_complaint="dv_spouse", referral_source="police", bed_id=beds[0].bed_id)
    stay = stays.admit(db, stays.Admission(r, s, [], [], []))
    her = residents.get_resident(db, stay.resident_id)
    her.given_name = "改名"
    residents.update_resident(db, her)
    stays.add_child(db, Child(resident_id=her.id, family_name="模擬", given_name="次郎",
                              birth_date=date(2020, 2, 2)), stays.get_stay(db, stay.id))
    kid = residents.insert_consent(db, Consent(resident_id=her.id, scope="medical",
                                               recipient="架空病院",
                                               given_on=date(2026, 11, 21)))
    residents.withdraw_consent(db, kid, date(2026, 11, 22))
    stays.move_bed(db, stay.id, beds[1].bed_id)
    stays.discharge(db, stay.id, date(2026, 11, 28), "public_housing")
    plan = ledger.read_ledger((LEDGER / "stays_utf8.csv").read_bytes(),
                              (LEDGER / "children_utf8.csv").read_bytes())
    assert not plan.errors
    ledger_import.apply(session, plan)
    session.lock()

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    out = tmp_path / "intake.pdf"
    assert cli_main(["print", "intake", "--db", str(db_path), "--user", ADMIN,
                     "--stay", str(stay.id), "--out", str(out)]) == 0

    from shelterdesk.store import session as sessions
    again = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        details = [row[0] for row in again.db.query("SELECT detail FROM audit")]
        actions = {row[0] for row in again.db.query("SELECT action FROM audit")}
    finally:
        again.lock()
    assert {"create", "update", "move_bed", "discharge", "print"} <= actions, actions
    leaked = [(d, n) for d in details if d for n in NAMES if n in d]
    assert leaked == []
