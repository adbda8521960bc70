"""Every committed older database opens and upgrades with the current code
(ARCHITECTURE.md rule 3). Each ``tests/fixtures/schema_vN.db`` comes with the
``make_schema_vN.py`` that built it, which says what must read back."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import sqlcipher3

from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import migrations, residents, stays
from shelterdesk.store import session as sessions
from shelterdesk.store.database import Database, new_data_key
from shelterdesk.store.errors import StoreError
from shelterdesk.store.vault import SlotFile

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VERSIONED = sorted(FIXTURES.glob("schema_v*.db"))


def _maker(fixture: Path):
    path = fixture.with_name("make_" + fixture.stem + ".py")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _copy(fixture: Path, folder: Path) -> Path:
    dst = folder / fixture.name
    for suffix in ("", ".keys"):
        shutil.copy2(str(fixture) + suffix, str(dst) + suffix)
    return dst


def test_there_is_a_fixture_for_every_older_version():
    versions = {int(p.stem.removeprefix("schema_v")) for p in VERSIONED}
    assert set(range(1, migrations.LATEST + 1)) <= versions | {migrations.LATEST}
    assert 1 in versions


def test_every_step_says_what_it_changes():
    for step in migrations.STEPS:
        assert step.__doc__ and len(step.__doc__.strip().splitlines()) == 1


@pytest.mark.parametrize("fixture", VERSIONED, ids=lambda p: p.stem)
def test_old_database_opens_upgrades_and_reads_back(fixture, tmp_path):
    maker = _maker(fixture)
    path = _copy(fixture, tmp_path)
    s = sessions.unlock(path, maker.LOGIN, maker.PASSWORD)
    try:
        db = s.db
        assert db.query("PRAGMA user_version")[0][0] == migrations.LATEST
        assert db.query("PRAGMA application_id")[0][0] == migrations.APPLICATION_ID
        assert not any(db.integrity_problems().values())
        assert db.verify_audit() == []
        exp = maker.EXPECTED
        assert s.facility().name == exp["facility_name"]
        accounts = {a.login: set(a.roles) for a in accounts_repo.list_accounts(db)}
        assert accounts == exp["accounts"]

        rows = residents.list_residents(db, residents.VIEW_ALL, limit=1000)
        by_name = {r.display_name: r for r in rows}
        assert set(by_name) == set(exp["residents"])
        for name, (kana, born, n_stays, open_, n_children) in exp["residents"].items():
            row = by_name[name]
            r = residents.get_resident(db, row.resident_id)
            assert r.kana == kana and r.birth_date == born
            assert len(stays.stays_of(db, r.id)) == n_stays
            assert (stays.open_stay_of(db, r.id) is not None) == open_
            assert len(residents.children_of(db, r.id)) == n_children
            # Search still finds her (the search key survived the upgrade).
            assert row.resident_id in [x.resident_id for x in residents.list_residents(
                db, residents.VIEW_ALL, name[:2], limit=1000)]
        for table, n in exp["rows_at_least"].items():
            assert db.query(f"SELECT count(*) FROM {table}")[0][0] >= n, table
        # The upgraded database takes new work.
        residents.insert_resident(db, residents.Resident(alias="新規（架空）"))
        assert db.verify_audit() == []
    finally:
        s.db.close()
    # The caseworker's slot survived too.
    s = sessions.unlock(path, *maker.CASEWORKER)
    s.db.close()


def test_step_2_recomputes_search_keys(tmp_path, monkeypatch):
    """A resident written at version 1 (search key without variant and
    diacritic folding) is found by the folded forms after the upgrade; every
    key equals what the current code writes."""
    from shelterdesk.core.text import fold

    fixture = VERSIONED[0]
    maker = _maker(fixture)
    path = _copy(fixture, tmp_path)
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:1])
    monkeypatch.setattr(migrations, "LATEST", 1)
    # At version 1 the database is opened as the version-1 program would (the
    # session of today's code expects the later schema).
    _account, key = SlotFile.load(path).unlock(maker.LOGIN, maker.PASSWORD)
    v1 = Database.open(path, key)
    old_key = "\x1f".join(fold(p) for p in ("𠮷田", "Mẫu", "𠮷田Mẫu"))
    v1.con.execute("INSERT INTO resident(family_name, given_name, search_key, match_key, "
                   "created_at, updated_at) VALUES ('𠮷田', 'Mẫu', ?, '', '2026-01-01T00:00:00', "
                   "'2026-01-01T00:00:00')", (old_key,))
    v1.close()
    monkeypatch.undo()
    s = sessions.unlock(path, maker.LOGIN, maker.PASSWORD)
    try:
        db = s.db
        for typed in ("吉田", "mau"):
            assert [r.display_name for r in residents.list_residents(
                db, residents.VIEW_ALL, typed, limit=10)] == ["𠮷田 Mẫu"]
        for rid, key in db.query("SELECT id, search_key FROM resident"):
            r = residents.get_resident(db, rid, audit_view=False)
            assert key == residents.resident_search_key(r)
    finally:
        s.db.close()


def test_committed_fixture_is_untouched_by_the_test():
    """The fixture is read from a copy: the committed file stays at its version."""
    for fixture in VERSIONED:
        assert fixture.read_bytes()[:16] != b"SQLite format 3\x00"
        assert not Path(str(fixture) + "-wal").exists()


def _tables(con) -> dict[str, str]:
    return dict(con.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE "
                            "'sqlite_%' ORDER BY name").fetchall())


def test_version_0_upgrades_to_the_full_schema(tmp_path, db):
    key = new_data_key()
    p = tmp_path / "v0.db"
    con = sqlcipher3.connect(str(p), isolation_level=None)
    con.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    assert con.execute("PRAGMA user_version").fetchone()[0] == 0
    assert migrations.upgrade(con) == 0
    assert con.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert con.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    # The same tables and indexes as a database made by the program.
    assert _tables(con) == _tables(db.con)
    from shelterdesk.core.codes import ALL_LISTS
    n_codes = sum(len(cl.codes) for cl in ALL_LISTS.values())
    assert con.execute("SELECT count(*) FROM code").fetchone()[0] == n_codes
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Upgrading again is a no-op.
    assert migrations.upgrade(con) == migrations.LATEST
    con.close()


def test_a_failing_step_leaves_the_database_at_its_version(tmp_path, monkeypatch):
    """All pending steps run in one transaction: a step that fails half-way
    leaves nothing of itself and the earlier steps behind."""
    fixture = VERSIONED[0]
    maker = _maker(fixture)
    path = _copy(fixture, tmp_path)
    before = migrations.LATEST

    def ok(con):
        """Adds a table."""
        con.execute("CREATE TABLE step_ok(x)")

    def broken(con):
        """Adds a column, then fails."""
        con.execute("ALTER TABLE resident ADD COLUMN step_broken TEXT")
        raise RuntimeError("step failed")

    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, ok, broken])
    monkeypatch.setattr(migrations, "LATEST", before + 2)
    with pytest.raises(RuntimeError):
        sessions.unlock(path, maker.LOGIN, maker.PASSWORD)
    monkeypatch.undo()
    s = sessions.unlock(path, maker.LOGIN, maker.PASSWORD)
    try:
        assert s.db.query("PRAGMA user_version")[0][0] == before
        names = [r[0] for r in s.db.query("SELECT name FROM sqlite_master")]
        assert "step_ok" not in names
        cols = [r[1] for r in s.db.query("PRAGMA table_info(resident)")]
        assert "step_broken" not in cols
    finally:
        s.db.close()


def test_newer_database_is_refused(tmp_path):
    fixture = VERSIONED[0]
    maker = _maker(fixture)
    path = _copy(fixture, tmp_path)
    s = sessions.unlock(path, maker.LOGIN, maker.PASSWORD)
    key = s._data_key
    s.db.con.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    s.db.close()
    with pytest.raises(StoreError) as e:
        Database.open(path, key)
    assert "newer ShelterDesk" in str(e.value)
