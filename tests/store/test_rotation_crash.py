"""Issue 8, "Tests that let these through": a crash after ``PRAGMA rekey``
and before the key file is saved. The design keeps the previous seal
(``sealed_prev``) until the rekey is done and finishes an interrupted
rotation at the next open; the files left by the crash open with every
password and the recovery code, the old data key no longer opens the
database, and no temporary file is left."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import files
from shelterdesk.store import session as sessions
from shelterdesk.store.database import Database
from shelterdesk.store.errors import DatabaseDamaged
from shelterdesk.store.vault import TEST_KDF, SlotFile

ADMIN = "admin"
PASSWORD = "correct horse 1"
STAFF = "case1"
STAFF_PASSWORD = "staff password 2"


class Crash(BaseException):
    """The power going: not an Exception, so nothing on the way catches it."""


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _pending(db_path: Path) -> bool:
    doc = json.loads(SlotFile.path_for(db_path).read_text(encoding="utf-8"))
    return any("sealed_prev" in s for s in doc["body"]["slots"])


def _everyone_opens(db_path: Path, recovery_code: str) -> None:
    for login, pw in ((ADMIN, PASSWORD), (STAFF, STAFF_PASSWORD)):
        s = sessions.unlock(db_path, login, pw)
        try:
            assert s.warnings == []
            assert not any(s.db.integrity_problems().values())
            assert s.db.verify_audit(s.slots.audit_anchor) == []
        finally:
            s.lock()
    sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF).lock()


@pytest.fixture
def staffed(session):
    accounts_repo.add_account(session, STAFF, "職員 テスト", {"caseworker"}, STAFF_PASSWORD)
    return session


def test_crash_right_after_the_rekey_before_the_key_file_is_saved(staffed, db_path,
                                                                   recovery_code, monkeypatch):
    session = staffed
    old_key = session.data_key
    rekey = Database.rekey

    def rekey_then_crash(self, key):
        rekey(self, key)
        raise Crash

    monkeypatch.setattr(Database, "rekey", rekey_then_crash)
    with pytest.raises(Crash):
        accounts_repo.rotate_data_key(session)
    session.db.close()  # the process is gone; nothing more is written
    monkeypatch.undo()
    # What the crash left: the database under the new key, the key file with
    # both seals, no temporary file.
    assert _pending(db_path)
    assert _temporaries(db_path.parent) == []
    with pytest.raises(DatabaseDamaged):
        Database.open(db_path, old_key)

    _everyone_opens(db_path, recovery_code)
    # The next open finished the rotation in both copies of the key file.
    assert not _pending(db_path)
    bak = SlotFile.path_for(db_path).with_name("shelter.db.keys.bak")
    assert not any("sealed_prev" in s for s in json.loads(bak.read_text())["body"]["slots"])
    assert _temporaries(db_path.parent) == []


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_failing_final_save_after_the_rekey(staffed, db_path, recovery_code, monkeypatch,
                                              where):
    """The rekey is done; writing the finished key file fails (full disk at
    the write, the fsync or the rename): the files still open for everyone,
    and the temporary file is gone."""
    session = staffed
    old_key = session.data_key
    rekeyed = []
    rekey = Database.rekey

    def rekey_and_note(self, key):
        rekey(self, key)
        rekeyed.append(True)

    monkeypatch.setattr(Database, "rekey", rekey_and_note)
    real = {"write": os.write, "fsync": os.fsync, "replace": os.replace}
    full = OSError(errno.ENOSPC, "No space left on device")

    def failing(*args, **kwargs):
        if rekeyed:
            raise full
        return real[where](*args, **kwargs)

    if where == "write":
        # write_atomic writes through a file object: fail its write.
        real_open = os.fdopen

        class Failing:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, data):
                if rekeyed:
                    raise full
                return self.f.write(data)

            def __getattr__(self, name):
                return getattr(self.f, name)

        monkeypatch.setattr(files.os, "fdopen", lambda *a, **k: Failing(real_open(*a, **k)))
    else:
        monkeypatch.setattr(files.os, where, failing)
    with pytest.raises(OSError):
        accounts_repo.rotate_data_key(session)
    monkeypatch.undo()
    session.db.close()
    assert rekeyed
    assert _temporaries(db_path.parent) == []
    assert _pending(db_path)
    with pytest.raises(DatabaseDamaged):
        Database.open(db_path, old_key)
    _everyone_opens(db_path, recovery_code)
    assert not _pending(db_path)
    assert _temporaries(db_path.parent) == []
