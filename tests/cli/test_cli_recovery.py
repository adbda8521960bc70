"""``shelterdesk recovery-code``: a new recovery code on stdout (issue 8, item 7)."""

from __future__ import annotations

import re

from shelterdesk.store import session as sessions
from shelterdesk.store.errors import WrongPassword
from shelterdesk.store.vault import TEST_KDF
from tests.cli.test_cli import PASSWORD, _one_line, run

CODE = re.compile(r"\b(?:[0-9A-Z]{4}-){12}[0-9A-Z]{4}\b")


def test_recovery_code_prints_a_new_code_that_opens(db_path, recovery_code):
    p = run("recovery-code", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    codes = CODE.findall(p.stdout)
    assert len(codes) == 1 and codes[0] != recovery_code
    sessions.unlock_with_recovery(db_path, codes[0], kdf=TEST_KDF).lock()
    try:
        sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF).lock()
    except WrongPassword:
        pass
    else:
        raise AssertionError("the old recovery code still opens the database")
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stdout + p.stderr
    lines = p.stdout.splitlines()
    assert all(ln.endswith(": ok") for ln in lines[:-1])
    assert lines[-1] == "last_verified_backup: none"  # information, not a check


def test_recovery_code_is_refused_to_a_non_administrator(session, db_path, recovery_code):
    from shelterdesk.store import accounts as accounts_repo
    accounts_repo.add_account(session, "case1", "職員 テスト", {"caseworker"},
                              "staff password 2")
    session.lock()
    p = run("recovery-code", "--db", str(db_path), "--user", "case1",
            stdin="staff password 2\n")
    assert p.returncode == 1
    assert _one_line(p.stderr).startswith("shelterdesk: ")
    assert not CODE.findall(p.stdout)
    sessions.unlock_with_recovery(db_path, recovery_code, kdf=TEST_KDF).lock()


def test_recovery_code_in_the_help():
    p = run("--help")
    assert "recovery-code" in p.stdout
