"""A full or read-only disk (issue 8, item 4) is told apart from damage, says
what to do, and never depends on whether the password was right."""

from __future__ import annotations

import errno
import os
import subprocess
import uuid

import pytest

from shelterdesk.store import session as sessions
from shelterdesk.store import throttle as throttle_mod
from shelterdesk.store.database import Database
from shelterdesk.store.errors import DiskFull, ReadOnlyLocation, WrongPassword
from tests.conftest import ADMIN, PASSWORD, copy_database


@pytest.fixture
def tiny_disk(tmp_path):
    """A 4 MB tmpfs (needs root, as in CI's container); skipped elsewhere."""
    mount = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
                       capture_output=True)
    if r.returncode:
        pytest.skip("cannot mount a small tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder):
    with open(folder / "filler", "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as e:
            assert e.errno == errno.ENOSPC


def test_full_disk_says_so_for_every_password(db_path, tiny_disk):
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.lock()
    db = copy_database(db_path, tiny_disk / "shelter.db")
    _fill(tiny_disk)
    messages = set()
    for password in (PASSWORD, "wrong password 1", "wrong password 2"):
        with pytest.raises(DiskFull) as caught:
            sessions.unlock(db, ADMIN, password)
        messages.add(str(caught.value))
    assert len(messages) == 1
    (msg,) = messages
    assert "full" in msg and "damaged" not in msg and "backup" not in msg
    os.unlink(tiny_disk / "filler")
    sessions.unlock(db, ADMIN, PASSWORD).lock()  # healthy all along


def test_read_only_disk_says_so(db_path, tiny_disk):
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.lock()
    db = copy_database(db_path, tiny_disk / "shelter.db")
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    for password in (PASSWORD, "wrong password 1"):
        with pytest.raises(ReadOnlyLocation) as caught:
            sessions.unlock(db, ADMIN, password)
        assert "another folder" in str(caught.value)


def test_a_failed_attempt_that_cannot_be_recorded_is_a_full_disk(db_path, monkeypatch):
    """Not the guess's answer: the same sentence as the correct password gets."""
    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(throttle_mod.Throttle, "record_failure", full)
    with pytest.raises(DiskFull):
        sessions.unlock(db_path, ADMIN, "wrong password")
    monkeypatch.undo()
    with pytest.raises(WrongPassword):
        sessions.unlock(db_path, ADMIN, "wrong password")


def test_sqlite_full_and_readonly_become_sentences(db_path, monkeypatch):
    import sqlcipher3

    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        db: Database = s.db
        for code, kind in ((13, DiskFull), (8, ReadOnlyLocation)):
            e = sqlcipher3.OperationalError("x")
            e.sqlite_errorcode = code
            monkeypatch.setattr("shelterdesk.store.database.writable_problem", lambda f: None)
            assert isinstance(db._translate(e), kind)
        assert not db.damaged
    finally:
        s.lock()
