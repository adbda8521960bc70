"""Writing the ledger: all or nothing, idempotent, grouped onto existing
residents, beds for open stays, one audit row, and the import-ledger command."""

from __future__ import annotations

import io
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from shelterdesk import cli
from shelterdesk.core import ledger
from shelterdesk.core.models import Resident, Stay
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import ledger_import, stays
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import Forbidden

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ledger"
TODAY = date(2026, 11, 21)
HEADER = ",".join(ledger.STAY_COLUMNS)
CHILD_HEADER = ",".join(ledger.CHILD_COLUMNS)
PASSWORD = "correct horse 1"
TABLES = ("resident", "stay", "child", "stay_child", "audit")


def fixture_plan(suffix="cp932", children=True):
    return ledger.read_ledger(
        (FIXTURES / f"stays_{suffix}.csv").read_bytes(),
        (FIXTURES / f"children_{suffix}.csv").read_bytes() if children else None, today=TODAY)


def plan_of(stays_text: str, children_text: str | None = None):
    return ledger.read_ledger(stays_text.encode(),
                              children_text.encode() if children_text else None, today=TODAY)


def counts(db) -> dict[str, int]:
    return {t: db.query_one(f"SELECT count(*) FROM {t}")[0] for t in TABLES}


def bed_of(db, ledger_id):
    return db.query_one("SELECT rm.name, b.label FROM stay s LEFT JOIN bed b ON b.id=s.bed_id "
                        "LEFT JOIN room rm ON rm.id=b.room_id WHERE s.ledger_id=?", (ledger_id,))


def test_import_writes_residents_stays_children_and_beds(session, db):
    summary = ledger_import.apply(session, fixture_plan())
    assert summary.line() == ("stays: 5 new, 0 already present; "
                              "children: 3 new, 0 already present")
    assert (summary.residents_new, summary.residents_existing) == (4, 0)
    c = counts(db)
    assert (c["resident"], c["stay"], c["child"], c["stay_child"]) == (4, 5, 3, 4)
    # L-001 and L-003 (hiragana and katakana kana) are one resident with two stays
    rid = db.query("SELECT DISTINCT resident_id FROM stay WHERE ledger_id IN ('L-001','L-003')")
    assert len(rid) == 1
    assert [s.ledger_id for s in stays.stays_of(db, rid[0][0])] == ["L-003", "L-001"]
    # her child 陽 came with both stays: one child record, linked twice
    assert db.query("SELECT count(DISTINCT child_id), count(*) FROM stay_child sc "
                    "JOIN stay s ON s.id=sc.stay_id WHERE s.ledger_id IN ('L-001','L-003')") \
        == [(1, 2)]
    # open stays get the first free bed of their room; history keeps no bed
    assert bed_of(db, "L-003") == ("201", "A")
    assert bed_of(db, "L-005") == ("102", "A")
    assert bed_of(db, "L-001") == (None, None)
    assert summary.without_bed == []
    l1 = stays.get_stay(db, next(s.stay_id for s in summary.stays if s.ledger_id == "L-001"))
    assert (l1.admitted_on, l1.discharged_on, l1.main_complaint, l1.discharge_destination) == (
        date(2022, 5, 1), date(2022, 6, 1), "dv_spouse", "independent")


def test_one_audit_row_with_counts_and_no_names(session, db):
    before = counts(db)["audit"]
    ledger_import.apply(session, fixture_plan())
    rows = db.query("SELECT action, detail FROM audit WHERE id > ?", (before,))
    assert rows == [("import_ledger", "stays_new=5 stays_present=0 children_new=3 "
                     "children_present=0 residents_new=4 residents_existing=0 without_bed=0")]
    assert db.verify_audit() == []


def test_the_same_import_twice_adds_nothing(session, db):
    ledger_import.apply(session, fixture_plan("utf8_bom"))
    after_first = counts(db)
    again = ledger_import.apply(session, fixture_plan("cp932"))
    assert again.line() == "stays: 0 new, 5 already present; children: 0 new, 3 already present"
    c = counts(db)
    assert {k: v for k, v in c.items() if k != "audit"} == \
        {k: v for k, v in after_first.items() if k != "audit"}
    assert c["audit"] == after_first["audit"] + 1


def test_children_csv_added_on_a_second_import_is_linked(session, db):
    first = ledger_import.apply(session, fixture_plan(children=False))
    assert first.line() == "stays: 5 new, 0 already present; children: 0 new, 0 already present"
    second = ledger_import.apply(session, fixture_plan())
    assert second.line() == "stays: 0 new, 5 already present; children: 3 new, 0 already present"
    assert counts(db)["stay_child"] == 4


def test_an_invalid_ledger_writes_nothing_and_lists_every_error(session, db):
    before = counts(db)
    plan = plan_of(f"{HEADER}\n"
                   "V1,見本,花子,,,,1990-01-01,,,2022-05-01,,other,other,self,,\n"
                   "V2,見本,桜,,,,1990-01-01,,,2022-05-01,,nope,other,self,,\n"
                   "V3,見本,陽子,,,,1990-01-01,,,2022-05-40,,other,other,self,,\n")
    with pytest.raises(ledger_import.LedgerRejected) as e:
        ledger_import.apply(session, plan)
    assert [(x.row, x.column) for x in e.value.errors] == [(3, "admission_type"),
                                                           (4, "admitted_on")]
    assert "花子" not in str(e.value) and "2 errors" in str(e.value)
    assert counts(db) == before


def admit_existing(db, birth=date(1990, 3, 4), admitted=datetime(2024, 1, 10, 9, 0),
                   discharged=None) -> tuple[int, int]:
    r = Resident(family_name="見本", given_name="花子", family_kana="ミホン", given_kana="ハナコ",
                 birth_date=birth)
    s = stays.admit(db, stays.Admission(r, Stay(admitted_at=admitted, admission_type="other",
                                                 main_complaint="other",
                                                 referral_source="self")))
    if discharged:
        stays.discharge(db, s.id, discharged, "relatives")
    return r.id, s.id


def test_an_existing_resident_gets_the_new_stays_on_her_record(session, db):
    rid, _sid = admit_existing(db, admitted=datetime(2021, 1, 10, 9, 0),
                               discharged=date(2021, 2, 1))
    summary = ledger_import.apply(session, fixture_plan())
    assert (summary.residents_new, summary.residents_existing) == (3, 1)
    assert {s.ledger_id for s in stays.stays_of(db, rid)} == {None, "L-001", "L-003"}
    assert db.query_one("SELECT count(*) FROM resident")[0] == 4


def test_a_ledger_stay_overlapping_her_stay_in_the_database_is_refused(session, db):
    _rid, sid = admit_existing(db, admitted=datetime(2022, 5, 20, 9, 0),
                               discharged=date(2022, 5, 25))
    before = counts(db)
    with pytest.raises(ledger_import.LedgerRejected) as e:
        ledger_import.apply(session, fixture_plan())
    assert [str(x) for x in e.value.errors] == [
        f"row 2, column admitted_on: This stay overlaps her stay {sid} already in ShelterDesk."]
    assert counts(db) == before


def test_a_second_open_stay_for_a_woman_in_residence_is_refused(session, db):
    _rid, sid = admit_existing(db, admitted=datetime(2024, 1, 10, 9, 0))
    with pytest.raises(ledger_import.LedgerRejected) as e:
        ledger_import.apply(session, fixture_plan())
    assert [str(x) for x in e.value.errors] == [
        f"row 4, column discharged_on: She is already in residence in ShelterDesk (stay {sid}); "
        "only one stay can be open."]


def test_preview_counts_and_errors_without_writing(session, db):
    before = counts(db)
    p = ledger_import.preview(session, fixture_plan())
    assert p.errors == []
    assert p.line() == "stays: 5 new, 0 already present; children: 3 new, 0 already present"
    assert counts(db) == before


def test_rooms_out_of_service_unknown_or_full_give_no_bed(session, db):
    plan = plan_of(f"{HEADER}\n"
                   "R1,見本,一子,,,,1980-01-01,,,2022-05-01,,other,other,self,,301\n"
                   "R2,見本,二子,,,,1980-01-01,,,2022-05-01,,other,other,self,,999\n"
                   "R3,見本,三子,,,,1980-01-01,,,2022-05-01,,other,other,self,,101\n"
                   "R4,見本,四子,,,,1980-01-01,,,2022-05-01,,other,other,self,,101\n"
                   "R5,見本,五子,,,,1980-01-01,,,2022-05-01,,other,other,self,,\n")
    summary = ledger_import.apply(session, plan)
    assert bed_of(db, "R3") == ("101", "A")
    for lid in ("R1", "R2", "R4", "R5"):
        assert bed_of(db, lid) == (None, None)
    assert len(summary.without_bed) == 4


def test_progress_reaches_the_total(session):
    calls = []
    ledger_import.apply(session, fixture_plan(), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (5, 5)
    assert all(d <= t for d, t in calls)


def test_intake_staff_may_not_import(session, db_path):
    accounts_repo.add_account(session, "intake1", "受付 見本", {"intake"}, "intake password 1")
    session.lock()
    intake = sessions.unlock(db_path, "intake1", "intake password 1")
    try:
        with pytest.raises(Forbidden):
            ledger_import.apply(intake, fixture_plan())
        assert intake.db.query_one("SELECT count(*) FROM stay")[0] == 0
    finally:
        intake.lock()


# -- the command line ------------------------------------------------------------

def run_cli(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code = cli.main(["--lang", "en", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_imports_and_prints_one_line(db_path, monkeypatch, capsys):
    args = ("import-ledger", "--db", str(db_path), "--user", "admin",
            "--stays", str(FIXTURES / "stays_cp932.csv"),
            "--children", str(FIXTURES / "children_cp932.csv"))
    code, out, err = run_cli(monkeypatch, capsys, *args)
    assert (code, out, err) == (
        0, "stays: 5 new, 0 already present; children: 3 new, 0 already present\n", "")
    code, out, _err = run_cli(monkeypatch, capsys, *args, "--show-ids")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "stays: 0 new, 5 already present; children: 0 new, 3 already present"
    assert lines[1] == "ledger_id\tstay_id\tresident_id\tstatus"
    assert [line.split("\t")[0] for line in lines[2:]] == [f"L-00{i}" for i in range(1, 6)]
    assert all(line.endswith("\tpresent") for line in lines[2:])
    # the ids are the ones `shelterdesk residents` lists
    code, out, _err = run_cli(monkeypatch, capsys, "residents", "--db", str(db_path),
                              "--user", "admin")
    listed = {tuple(line.split("\t")[:2]) for line in out.splitlines()[1:]}
    l5 = next(line.split("\t") for line in lines[2:] if line.startswith("L-005"))
    assert (l5[1], l5[2]) in listed


def test_cli_lists_every_error_and_writes_nothing(db_path, tmp_path, monkeypatch, capsys):
    bad_stays = tmp_path / "stays.csv"
    bad_stays.write_bytes((f"{HEADER}\r\n"
                           "X1,見本,花子,,,,1990-01-01,,,2022-05-01,,other,other,self,,\r\n"
                           "X2,見本,桜,,,,H2.2.30,,,2022-05-01,,other,宇宙,self,,\r\n")
                          .encode("cp932"))
    bad_children = tmp_path / "children.csv"
    bad_children.write_bytes(f"{CHILD_HEADER}\nX7,見本,陽,,,2020-01-01,F\n".encode())
    code, out, err = run_cli(monkeypatch, capsys, "import-ledger", "--db", str(db_path),
                             "--user", "admin", "--stays", str(bad_stays),
                             "--children", str(bad_children))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "row 3, column birth_date: This is not a date that exists or can be read (the cell "
        "holds 7 characters: letters, digits, punctuation); use 2022-05-01, 2022/5/1, R4.5.1 "
        "or 令和4年5月1日.",
        "row 3, column main_complaint: The cell (2 characters: kanji) is neither a code nor a "
        "Japanese label of "
        "Primary complaint.",
        "children.csv: row 2, column ledger_id: This ledger_id is not in stays.csv.",
    ]
    s = sessions.unlock(db_path, "admin", PASSWORD)
    try:
        assert s.db.query_one("SELECT count(*) FROM stay")[0] == 0
    finally:
        s.lock()


def test_cli_usage_and_unreadable_files(db_path, tmp_path, monkeypatch, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["import-ledger", "--db", str(db_path), "--user", "admin"])
    assert e.value.code == 2
    capsys.readouterr()
    code, out, err = run_cli(monkeypatch, capsys, "import-ledger", "--db", str(db_path),
                             "--user", "admin", "--stays", str(tmp_path / "missing.csv"))
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert "missing.csv" in err


def test_cli_wrong_password_fails_with_one_line(db_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("wrong password\n"))
    code = cli.main(["--lang", "en", "import-ledger", "--db", str(db_path), "--user", "admin",
                     "--stays", str(FIXTURES / "stays_utf8.csv")])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and len(err.splitlines()) == 1
