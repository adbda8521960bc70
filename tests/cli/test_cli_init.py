"""Creating a database from the command line (issue 8, items 7 and 11): the
repeated password, the owner-only folder, the recovery code shown before the
database can be used, and a password that is not text."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from shelterdesk.core.models import Facility
from shelterdesk.store import facility as facility_repo
from shelterdesk.store.vault import TEST_KDF
from tests.cli.test_cli import PASSWORD, ROOT, _one_line, run


def test_init_stops_when_the_repeated_password_differs(tmp_path):
    db = tmp_path / "new.db"
    p = run("init", "--db", str(db), "--facility", "x", "--capacity", "3", "--admin", "boss",
            stdin="init password 1\ninit password 2\n")
    assert p.returncode == 1
    assert "do not match" in _one_line(p.stderr)
    p = run("init", "--db", str(db), "--facility", "x", "--capacity", "3", "--admin", "boss",
            stdin="init password 1\n")
    assert p.returncode == 1
    _one_line(p.stderr)
    assert list(tmp_path.iterdir()) == []


def test_the_folder_init_creates_is_owner_only(tmp_path):
    folder = tmp_path / "new-folder"
    facility_repo.create_facility(folder / "s.db", Facility("x", 3), [], "boss", "Boss",
                                  "init password 1", kdf=TEST_KDF)[0].lock()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_the_recovery_code_is_shown_before_the_database_is_usable(tmp_path):
    db = tmp_path / "s.db"
    seen = []

    def show(code):
        seen.append((code, db.exists(), Path(str(db) + ".keys").exists()))

    s, code = facility_repo.create_facility(db, Facility("x", 3), [], "boss", "Boss",
                                            "init password 1", kdf=TEST_KDF,
                                            show_recovery_code=show)
    s.lock()
    assert seen == [(code, False, False)]
    # The database, its key file and the login throttle's lock file; no staging leftovers.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.db", "s.db.keys",
                                                          "s.db.lockout.lock"]


def test_if_the_code_cannot_be_shown_nothing_is_created(tmp_path):
    db = tmp_path / "s.db"

    def broken(code):
        raise OSError(5, "Input/output error")

    try:
        facility_repo.create_facility(db, Facility("x", 3), [], "boss", "Boss",
                                      "init password 1", kdf=TEST_KDF, show_recovery_code=broken)
    except OSError:
        pass
    assert list(tmp_path.iterdir()) == []


def test_a_password_that_is_not_text_says_so_for_every_login(db_path):
    """Not "slot damaged" for a known login and a traceback for an unknown one."""
    lines = set()
    for login in ("admin", "nobody"):
        p = subprocess.run([sys.executable, "-m", "shelterdesk.cli", "--lang", "en", "verify",
                            "--db", str(db_path), "--user", login], input=b"\xff\xfepass\n",
                           capture_output=True, cwd=ROOT, timeout=60)
        assert p.returncode == 1
        lines.add(_one_line(p.stderr.decode()))
    assert lines == {"shelterdesk: The password is not valid text (UTF-8)."}
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
