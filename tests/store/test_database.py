"""What is on the disk: an encrypted file that plain SQLite cannot read, and no
resident's name in any byte the program wrote (ARCHITECTURE.md, "The vault")."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from shelterdesk.core.models import Child, Consent, Resident, SafetyFlags, Stay
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import backup as backups
from shelterdesk.store import facility as facility_repo
from shelterdesk.store import residents, stays
from shelterdesk.store import session as sessions
from shelterdesk.store.database import SQLITE_HEADER, Database
from shelterdesk.store.errors import DatabaseDamaged, DatabaseExists, NotShelterDesk, WrongPassword

ADMIN = "admin"  # as in conftest.py
PASSWORD = "correct horse 1"

# Plainly fictitious, and unusual enough that no other byte sequence in the
# folder contains them by chance.
SECRETS = {
    "family_name": "架空",
    "given_name": "澄香里",
    "family_kana": "かくう",
    "given_kana": "すみかり",
    "alias": "ユウヒ（仮）",
    "child_given": "湊斗丸",
    "danger_warning": "元夫が市内で捜索中（架空）",
    "safe_phone": "090-0000-1234",
}


def _needles() -> list[bytes]:
    texts = set(SECRETS.values())
    texts |= {SECRETS["family_name"] + SECRETS["given_name"],
              SECRETS["family_kana"] + SECRETS["given_kana"],
              "スミカリ", "ｽﾐｶﾘ", "ゆうひ"}  # the folded forms the search key stores
    out = []
    for t in texts:
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            out.append(t.encode(enc))
        # JSON's \\uXXXX escapes are the clear text too (the key and lockout files are JSON).
        out.append(json.dumps(t)[1:-1].encode("ascii"))
    return out


def _admit_secret_resident(db) -> int:
    r = Resident(family_name=SECRETS["family_name"], given_name=SECRETS["given_name"],
                 family_kana=SECRETS["family_kana"], given_kana=SECRETS["given_kana"],
                 alias=SECRETS["alias"], birth_date=date(1990, 4, 2),
                 safe_phone=SECRETS["safe_phone"],
                 safety=SafetyFlags(True, "issued", "high", SECRETS["danger_warning"], True))
    child = Child(family_name=SECRETS["family_name"], given_name=SECRETS["child_given"],
                  family_kana="かくう", given_kana="みなとまる", birth_date=date(2019, 1, 5),
                  sex="M")
    stay = Stay(admitted_at=datetime(2026, 11, 1, 22, 30), admission_type="temporary_protection",
                main_complaint="dv_spouse", referral_source="police", bed_id=_free_bed(db))
    consent = Consent(scope="municipality_aftercare", recipient="架空市", given_on=date(2026, 11, 1))
    s = stays.admit(db, stays.Admission(r, stay, [child], [], [consent]),
                    now=datetime(2026, 11, 21, 12, 0))
    return s.resident_id


def _free_bed(db) -> int:
    from shelterdesk.store.rooms import free_beds
    return next(b.bed_id for b in free_beds(db) if b.family_room)


def _scan(folder: Path) -> dict[str, list[bytes]]:
    """Every file in the folder (recursively) mapped to the needles it contains."""
    found = {}
    needles = _needles()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            raw = p.read_bytes()
            hits = [n for n in needles if n in raw]
            if hits:
                found[str(p.relative_to(folder))] = hits
    return found


def test_file_is_not_plain_sqlite(session, db_path):
    _admit_secret_resident(session.db)
    assert db_path.read_bytes()[:16] != SQLITE_HEADER
    assert not db_path.read_bytes().startswith(b"SQLite format 3")
    con = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        con.close()


def test_no_name_in_any_byte_the_program_wrote(session, db_path, tmp_path):
    folder = db_path.parent
    rid = _admit_secret_resident(session.db)
    # Exercise the paths that write: views and edits (audit rows), a search,
    # a failed login (the lockout file), a new account (the key file and its
    # previous copy), a backup into the same folder.
    residents.get_resident(session.db, rid)
    r = residents.get_resident(session.db, rid, audit_view=False)
    r.health_notes = "架空の持病メモ"
    residents.update_resident(session.db, r)
    assert residents.list_residents(session.db, "all", "すみかり")
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, SECRETS["given_kana"], "not the password")
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, ADMIN, SECRETS["family_name"] + "x" * 8)
    assert (folder / "shelter.db.lockout").exists()
    accounts_repo.add_account(session, "case1", "支援員 架空", {"caseworker"}, "staff password 2")
    backups.backup(session, folder / "backup.sdbk")

    # While the program is running: the WAL holds the newest pages.
    wal = Path(str(db_path) + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    names = {p.name for p in folder.iterdir()}
    assert {"shelter.db", "shelter.db-wal", "shelter.db.keys", "shelter.db.keys.bak",
            "backup.sdbk"} <= names  # one file: the database and the key slots
    assert _scan(folder) == {}

    session.lock()
    assert _scan(folder) == {}
    # No temp files left behind by the atomic writes.
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    # The failures wait in the lockout file for the next login to audit them;
    # it was scanned above: a name typed into the login field is not kept.
    assert (folder / "shelter.db.lockout").exists()


def test_wal_mode_and_pragmas_on_every_open(db):
    assert db.query("PRAGMA journal_mode")[0][0] == "wal"
    assert db.query("PRAGMA synchronous")[0][0] == 2  # FULL
    assert db.query("PRAGMA secure_delete")[0][0] == 1
    assert db.query("PRAGMA temp_store")[0][0] == 2  # MEMORY
    assert db.query("PRAGMA foreign_keys")[0][0] == 1
    assert db.query("PRAGMA cipher_version")[0][0]


def test_wrong_key_is_refused_and_file_untouched(session, db_path):
    session.lock()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged):
        Database.open(db_path, bytes(32))
    assert db_path.read_bytes() == before


def test_plain_sqlite_file_is_not_a_shelterdesk_database(tmp_path):
    p = tmp_path / "plain.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    with pytest.raises(NotShelterDesk) as e:
        Database.open(p, bytes(32))
    assert "plain SQLite" in str(e.value)


def test_truncated_database_is_a_clear_error_and_never_recreated(session, db_path):
    session.lock()
    raw = db_path.read_bytes()
    db_path.write_bytes(raw[:10])
    with pytest.raises(DatabaseDamaged) as e:
        sessions.unlock(db_path, ADMIN, PASSWORD)
    assert "backup" in str(e.value)
    assert db_path.read_bytes() == raw[:10]
    db_path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DatabaseDamaged):
        sessions.unlock(db_path, ADMIN, PASSWORD)


def test_create_refuses_an_existing_file(session, db_path):
    with pytest.raises(DatabaseExists):
        Database.create(db_path, bytes(32), "x")
    from shelterdesk.core.models import Facility
    with pytest.raises(DatabaseExists):
        facility_repo.create_facility(db_path, Facility("別", 3), [], "admin2", "管理者",
                               "long enough 1")
    # The existing database still opens.
    assert session.db.get_meta("facility_name") == "テスト施設（架空）"


def test_transaction_is_all_or_nothing(db):
    before = db.query("SELECT count(*) FROM audit")[0][0]
    with pytest.raises(RuntimeError), db.transaction():
        db.audit("one")
        db.audit("two")
        raise RuntimeError("interrupted")
    assert db.query("SELECT count(*) FROM audit")[0][0] == before
    assert db.verify_audit() == []


def test_failed_admission_writes_nothing(db):
    """One user action, one transaction: a bed that turns out to be taken
    half-way leaves no resident, child or audit row behind."""
    counts = {t: db.query(f"SELECT count(*) FROM {t}")[0][0]
              for t in ("resident", "child", "stay", "consent", "audit")}
    r = Resident(family_name="見本", given_name="花子", family_kana="みほん", given_kana="はなこ")
    bad_child = Child(given_name="太郎", birth_date=date(2000, 1, 1))  # 26 at admission
    stay = Stay(admitted_at=datetime(2026, 11, 1, 10, 0), admission_type="temporary_protection",
                main_complaint="dv_spouse", referral_source="self")
    from shelterdesk.core.validation import ValidationError
    with pytest.raises(ValidationError):
        stays.admit(db, stays.Admission(r, stay, [bad_child]), now=datetime(2026, 11, 21))
    after = {t: db.query(f"SELECT count(*) FROM {t}")[0][0] for t in counts}
    assert after == counts


def test_database_files_are_owner_only(db_path, tmp_path):
    from shelterdesk.core.models import Facility
    from shelterdesk.store import facility as facility_repo
    from shelterdesk.store.vault import TEST_KDF

    path = tmp_path / "new" / "shelter.db"
    s, _code = facility_repo.create_facility(path, Facility("見本施設", 5), [], "admin", "管理者",
                                      "long enough 1", kdf=TEST_KDF)
    try:
        for suffix in ("", "-wal", ".keys"):
            assert (Path(str(path) + suffix).stat().st_mode & 0o077) == 0, suffix
    finally:
        s.lock()


def test_audit_log_without_its_head_record_is_reported(session):
    session.db.audit("view", "resident", 1)
    with session.db.transaction() as con:
        con.execute("DELETE FROM meta WHERE key='audit_head'")
    assert session.db.verify_audit() != []
