"""Backups (issue 12): one file, opens with the passwords and the recovery code
of its time, verified before "done"; restore only into a new path; anything
damaged, truncated, foreign or wrongly unlocked is refused with nothing left
behind; a full disk or a pulled stick leaves no partial file."""

from __future__ import annotations

import errno
import os
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from shelterdesk.core.models import Facility
from shelterdesk.store import backup as backups
from shelterdesk.store import facility as facility_repo
from shelterdesk.store import residents, settings
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import (
    DatabaseExists,
    DiskFull,
    OutputRefused,
    StoreError,
    WrongPassword,
)
from shelterdesk.store.vault import TEST_KDF
from tests.conftest import ADMIN, PASSWORD, test_rooms


def _people(db, n=3):
    for i in range(n):
        residents.insert_resident(db, residents.Resident(alias=f"見本{i}（架空）"))


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _listing(path: Path) -> list:
    s = sessions.unlock(path, ADMIN, PASSWORD)
    try:
        return [(r.resident_id, r.display_name) for r in
                residents.list_residents(s.db, residents.VIEW_ALL, limit=1000)]
    finally:
        s.lock()


def test_backup_restore_and_the_same_records(session, db_path, tmp_path, recovery_code):
    _people(session.db)
    out = tmp_path / "stick"
    out.mkdir()
    target = out / backups.default_name(datetime(2026, 11, 21, 15, 30))
    assert target.name == "backup-2026-11-21-1530.sdbk"
    result = backups.backup(session, target)
    assert result.path == target and result.size == target.stat().st_size
    assert _files(out) == {target.name}  # no temporary file, no -wal beside it
    assert result.info.counts["resident"] == 3 and result.info.made_by == ADMIN
    assert backups.last_verified(session.db) is not None
    assert session.db.query("SELECT action FROM audit ORDER BY id DESC LIMIT 1")[0][0] == "backup"
    # Nothing about the facility in the clear.
    raw = target.read_bytes()
    assert "テスト施設".encode() not in raw and "見本".encode() not in raw
    session.lock()
    info = backups.inspect(target, ADMIN, PASSWORD)
    assert info.counts == result.info.counts and info.made_by == ADMIN
    new = tmp_path / "restored" / "shelter.db"
    new.parent.mkdir()
    backups.restore(target, new, ADMIN, PASSWORD)
    assert _listing(new) == _listing(db_path)
    s = sessions.unlock(new, ADMIN, PASSWORD)
    try:
        assert not any(s.db.integrity_problems().values()) and s.db.verify_audit() == []
    finally:
        s.lock()
    # The recovery code of its time opens it too.
    other = tmp_path / "restored" / "by-recovery.db"
    assert backups.inspect(target, recovery_code=recovery_code).counts == info.counts
    backups.restore(target, other, recovery_code=recovery_code)
    assert other.exists()


def test_backup_while_another_connection_writes(session, db_path, tmp_path):
    _people(session.db, 20)
    other = sessions.unlock(db_path, ADMIN, PASSWORD)
    stop = threading.Event()
    written = []

    def writer():
        # Another writer as the program has them (a second window, the CLI): a
        # write now and then, not a loop that never lets the write lock go.
        while not stop.is_set():
            residents.insert_resident(other.db, residents.Resident(alias="並行（架空）"))
            written.append(1)
            time.sleep(0.01)

    calls = []

    def progress(done, total):
        calls.append((done, total))
        if len(calls) == 1:
            t.start()
            while not written:
                pass

    t = threading.Thread(target=writer)
    backups._STEP_PAGES, saved = 2, backups._STEP_PAGES
    try:
        result = backups.backup(session, tmp_path / "b.sdbk", progress=progress)
    finally:
        backups._STEP_PAGES = saved
        stop.set()
        if t.is_alive():
            t.join()
        other.lock()
    assert len(calls) > 1 and calls[-1][0] == calls[-1][1]
    new = tmp_path / "r.db"
    info = backups.restore(tmp_path / "b.sdbk", new, ADMIN, PASSWORD)
    assert info.counts == result.info.counts  # the snapshot, checked on restore


def test_restore_refuses_an_existing_database_or_companion(session, db_path, tmp_path):
    target = backups.backup(session, tmp_path / "b.sdbk").path
    session.lock()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseExists):
        backups.restore(target, db_path, ADMIN, PASSWORD)
    assert db_path.read_bytes() == before
    lone = tmp_path / "new.db"
    for suffix in ("-wal", ".keys", ".lockout"):
        Path(str(lone) + suffix).write_bytes(b"x")
        with pytest.raises(DatabaseExists):
            backups.restore(target, lone, ADMIN, PASSWORD)
        assert not lone.exists()
        Path(str(lone) + suffix).unlink()


def _refused(target: Path, tmp_path: Path, exc=StoreError, **kw):
    folder = tmp_path / "into"
    folder.mkdir(exist_ok=True)
    before = _files(folder)
    with pytest.raises(exc):
        backups.restore(target, folder / "new.db", kw.pop("login", ADMIN),
                        kw.pop("password", PASSWORD), **kw)
    assert _files(folder) == before  # nothing left behind


def test_damaged_truncated_foreign_and_wrong_password_are_refused(session, tmp_path):
    _people(session.db)
    good = backups.backup(session, tmp_path / "b.sdbk").path
    session.lock()
    data = good.read_bytes()

    flipped = tmp_path / "flipped.sdbk"
    pos = len(data) - 5000
    flipped.write_bytes(data[:pos] + bytes([data[pos] ^ 1]) + data[pos + 1:])
    _refused(flipped, tmp_path)

    truncated = tmp_path / "truncated.sdbk"
    truncated.write_bytes(data[: len(data) // 2])
    _refused(truncated, tmp_path)

    header_flip = tmp_path / "header.sdbk"
    i = data.index(b'"created_at"') + 20
    header_flip.write_bytes(data[:i] + bytes([data[i] ^ 1]) + data[i + 1:])
    _refused(header_flip, tmp_path)

    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 5000)
    _refused(pdf, tmp_path)

    _refused(good, tmp_path, WrongPassword, password="wrong password")
    _refused(good, tmp_path, WrongPassword, login="nobody")


def test_a_backup_of_another_facility_is_refused(session, tmp_path):
    mine = backups.backup(session, tmp_path / "mine.sdbk").path
    other_db = tmp_path / "other" / "shelter.db"
    s2, _code = facility_repo.create_facility(other_db, Facility("別の施設（架空）", 4),
                                              test_rooms(), ADMIN, "管理者", PASSWORD,
                                              kdf=TEST_KDF)
    theirs = backups.backup(s2, tmp_path / "theirs.sdbk").path
    s2.lock()
    # The restore drill of this database refuses the other facility's backup.
    with pytest.raises(StoreError, match="another database"):
        backups.drill(session, theirs, ADMIN, PASSWORD)
    assert backups.drill(session, mine, ADMIN, PASSWORD).database_id == session.db.database_id
    # Our header (slots) with their pages: the pages do not open with our key.
    a, b = mine.read_bytes(), theirs.read_bytes()
    head_a = a[: len(a) - backups._parse(mine).clear["size"]]
    spliced = tmp_path / "spliced.sdbk"
    spliced.write_bytes(head_a + b[len(b) - backups._parse(theirs).clear["size"]:][
        : backups._parse(mine).clear["size"]].ljust(backups._parse(mine).clear["size"], b"\0"))
    _refused(spliced, tmp_path)


def test_backup_never_replaces_a_file_and_refuses_protected_targets(session, db_path, tmp_path):
    first = backups.backup(session, tmp_path / "b.sdbk").path
    before = first.read_bytes()
    with pytest.raises(OutputRefused):
        backups.backup(session, first)
    assert first.read_bytes() == before
    with pytest.raises(OutputRefused):
        backups.backup(session, db_path)
    with pytest.raises(OutputRefused):
        backups.backup(session, Path(str(db_path) + ".keys"))


def test_full_disk_during_backup_leaves_nothing(session, db_path, tmp_path, monkeypatch):
    out = tmp_path / "stick"
    out.mkdir()
    live = db_path.read_bytes()
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.f.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.f, name)

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(real_fdopen(fd, *a, **k)))
    with pytest.raises(DiskFull) as e:
        backups.backup(session, out / "b.sdbk")
    assert "full" in str(e.value)
    assert _files(out) == set()
    monkeypatch.undo()
    assert db_path.read_bytes() == live or not any(session.db.integrity_problems().values())
    assert backups.last_verified(session.db) is None


def test_removed_destination_during_backup(session, tmp_path):
    out = tmp_path / "stick"
    out.mkdir()

    def pull(done, total):
        if out.exists():
            for p in out.iterdir():
                p.unlink()
            out.rmdir()

    with pytest.raises(StoreError) as e:
        backups.backup(session, out / "b.sdbk", progress=pull)
    assert "no longer there" in str(e.value)
    assert not out.exists()
    assert backups.last_verified(session.db) is None
    assert not any(session.db.integrity_problems().values())


def test_reminder_after_the_set_days(session):
    db = session.db
    assert backups.reminder_due(db, date(2026, 11, 21))  # never backed up
    db.set_meta(backups.LAST_VERIFIED, "2026-11-20T10:00:00")
    assert not backups.reminder_due(db, date(2026, 11, 26))
    assert backups.reminder_due(db, date(2026, 11, 27))  # 7 days by default
    settings.update(session, {settings.BACKUP_REMINDER_DAYS: 30})
    assert not backups.reminder_due(db, date(2026, 12, 1))


def test_only_managers_and_administrators_back_up(session, tmp_path):
    from shelterdesk.store import accounts as accounts_repo
    from shelterdesk.store.errors import Forbidden
    accounts_repo.add_account(session, "case1", "支援員", {"caseworker"}, "case password 1")
    s = sessions.unlock(session.db.path, "case1", "case password 1")
    try:
        with pytest.raises(Forbidden):
            backups.backup(s, tmp_path / "b.sdbk")
    finally:
        s.lock()
    assert not (tmp_path / "b.sdbk").exists()


def _flipped(data: bytes, pos: int) -> bytes:
    return data[:pos] + bytes([data[pos] ^ 1]) + data[pos + 1:]


def test_a_flipped_byte_anywhere_in_the_header_is_refused_cleanly(session, tmp_path):
    """Every region of the clear header: its keys, the slot file it carries
    (including the slot list's seal) and the sealed manifest. Each flip is a
    StoreError (never a raw KeyError) and leaves nothing behind."""
    _people(session.db)
    good = backups.backup(session, tmp_path / "b.sdbk").path
    session.lock()
    data = good.read_bytes()
    offset = backups._parse(good).offset
    mac = data.index(b'\\"mac\\": \\"') + 11
    name = data.index(b'"database_id"')
    positions = sorted({*range(0, offset, 7), *range(mac, mac + 64), *range(name, name + 13)})
    folder = tmp_path / "into"
    folder.mkdir()
    bad = tmp_path / "bad.sdbk"
    accepted = []
    for pos in positions:
        bad.write_bytes(_flipped(data, pos))
        try:
            backups.restore(bad, folder / "new.db", ADMIN, PASSWORD)
            accepted.append(pos)
            for p in folder.iterdir():
                p.unlink()
        except StoreError:
            pass
        assert _files(folder) == set(), pos
    assert accepted == [], [data[p - 20:p + 20] for p in accepted]


@pytest.mark.parametrize("suffix", ["", "-wal", ".keys", ".lockout"])
def test_restore_refuses_a_link_at_newpath_or_a_companion(session, tmp_path, suffix):
    """A symbolic link (even one pointing nowhere) is there: restoring would
    write through it or replace it."""
    good = backups.backup(session, tmp_path / "b.sdbk").path
    session.lock()
    folder = tmp_path / "into"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = folder / f"new.db{suffix}"
    link.symlink_to(elsewhere / "target")
    with pytest.raises(DatabaseExists):
        backups.restore(good, folder / "new.db", ADMIN, PASSWORD)
    assert _files(folder) == {link.name} and link.is_symlink()
    assert _files(elsewhere) == set()


def test_a_really_full_disk_says_so(session, db_path, tmp_path):
    """A small tmpfs that fills up during the copy of the pages (SQLite's
    backup API reports it, not an OSError): the sentence says the disk is
    full, nothing is left on it, the live database is intact."""
    import subprocess
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
            capture_output=True).returncode != 0:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        with session.db.transaction() as con:
            con.execute("INSERT INTO meta(key, value) VALUES ('test_padding', "
                        "hex(randomblob(1500000)))")
        with pytest.raises(DiskFull) as e:
            backups.backup(session, mnt / "b.sdbk")
        assert "full" in str(e.value)
        assert _files(mnt) == set()
        assert backups.last_verified(session.db) is None
        assert not any(session.db.integrity_problems().values())
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
