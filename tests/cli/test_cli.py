"""The command line is a contract for scripts (issue 2): exit 0 on success, 1
with one line on stderr on failure, 2 on a usage error; passwords from
standard input, never from arguments. Runs the real program in a subprocess.

init and demo calibrate the real KDF (about half a second per unlock), so
each is called once per test session."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse 1"  # the conftest fixture's admin password


def run(*args: str, stdin: str = "", lang: str = "en", env: dict | None = None):
    e = dict(os.environ)
    e.pop("SHELTERDESK_DB", None)
    e["SHELTERDESK_LANG"] = lang
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "shelterdesk.cli", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=e, timeout=120)


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(scope="module")
def created(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    db = folder / "new.db"
    p = run("init", "--db", str(db), "--facility", "テスト施設（架空）", "--capacity", "12",
            "--admin", "boss", stdin="init password 1\ninit password 1\n")
    return db, p


def test_init_creates_and_prints_a_recovery_code(created):
    db, p = created
    assert p.returncode == 0, p.stderr
    assert db.exists() and Path(str(db) + ".keys").exists()
    codes = re.findall(r"\b(?:[0-9A-Z]{4}-){12}[0-9A-Z]{4}\b", p.stdout)
    assert len(codes) == 1
    assert p.stderr == ""
    assert "init password 1" not in p.stdout
    # The printed code opens the database; the code is not in the key file.
    from shelterdesk.store import session as sessions
    from shelterdesk.store.vault import TEST_KDF
    s = sessions.unlock_with_recovery(db, codes[0], kdf=TEST_KDF)
    try:
        assert s.facility().name == "テスト施設（架空）"
        assert s.facility().capacity == 12
    finally:
        s.db.close()
    assert codes[0] not in Path(str(db) + ".keys").read_text(encoding="utf-8")
    # The real KDF was calibrated, not the test setting.
    import json
    slots = json.loads(Path(str(db) + ".keys").read_text(encoding="utf-8"))["body"]["slots"]
    kdf = next(s["kdf"] for s in slots if s.get("login") == "boss")
    assert kdf["m"] >= 64 * 1024 and kdf["t"] >= 2


def test_init_refuses_an_existing_database(created):
    db, _ = created
    before = db.read_bytes()
    p = run("init", "--db", str(db), "--facility", "x", "--capacity", "3", "--admin", "boss",
            stdin="another pass 1\nanother pass 1\n")
    assert p.returncode == 1
    assert "already exists" in _one_line(p.stderr)
    assert db.read_bytes() == before


def test_verify_on_the_new_database(created):
    db, _ = created
    p = run("verify", "--db", str(db), "--user", "boss", stdin="init password 1\ninit password 1\n")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["cipher_integrity_check: ok", "integrity_check: ok",
                                     "foreign_key_check: ok", "audit_chain: ok",
                                     "key_file: ok", "last_verified_backup: none"]


def test_demo(tmp_path):
    db = tmp_path / "demo.db"
    p = run("demo", "--db", str(db), stdin="demo pass 123\ndemo pass 123\n")
    assert p.returncode == 0, p.stderr
    assert "admin" in p.stdout
    p = run("residents", "--db", str(db), "--user", "admin", "--view", "all",
            stdin="demo pass 123\ndemo pass 123\n")
    assert p.returncode == 0, p.stderr
    rows = p.stdout.splitlines()
    assert rows[0].split("\t") == ["stay_id", "resident_id", "name", "admitted", "discharged"]
    assert len(rows) > 20  # about two years of history
    p = run("demo", "--db", str(db), stdin="demo pass 123\ndemo pass 123\n")
    assert p.returncode == 1
    _one_line(p.stderr)


def test_verify_prints_one_line_per_check(db_path):
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert [ln.split(":")[0] for ln in lines] == ["cipher_integrity_check", "integrity_check",
                                                   "foreign_key_check", "audit_chain",
                                                   "key_file", "last_verified_backup"]
    assert all(ln.endswith(": ok") for ln in lines[:-1])
    assert lines[-1] == "last_verified_backup: none"


def test_verify_fails_on_a_tampered_audit_log(session, db_path):
    session.db.con.execute("UPDATE audit SET detail='changed' WHERE id=1")
    session.db.close()
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 1
    lines = p.stdout.splitlines()
    assert lines[0] == "cipher_integrity_check: ok"
    chain = next(ln for ln in lines if ln.startswith("audit_chain: "))
    assert "changed" in chain
    assert lines[-1] == "last_verified_backup: none"


def test_wrong_password_is_exit_1_with_one_line(db_path):
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin="wrong password\n")
    assert p.returncode == 1
    assert _one_line(p.stderr) == "shelterdesk: Wrong login or password."
    assert p.stdout == ""


def test_wrong_password_in_japanese(db_path):
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin="wrong password\n",
            lang="ja")
    assert p.returncode == 1
    line = _one_line(p.stderr)
    assert line.startswith("shelterdesk: ")
    # Japanese characters, not the English msgid (fails with no catalog).
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", line), line
    assert "Wrong login" not in line


def test_repeated_failures_are_throttled(db_path):
    for _ in range(3):
        run("verify", "--db", str(db_path), "--user", "admin", stdin="wrong password\n")
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 1
    assert "try again in" in _one_line(p.stderr)


def test_no_password_on_stdin(db_path):
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin="")
    assert p.returncode == 1
    assert "password" in _one_line(p.stderr).lower()


def test_missing_database(tmp_path):
    p = run("verify", "--db", str(tmp_path / "nothing.db"), "--user", "admin",
            stdin=PASSWORD + "\n")
    assert p.returncode == 1
    _one_line(p.stderr)
    assert not (tmp_path / "nothing.db").exists()  # never created by a failed open


def test_damaged_key_file(db_path):
    Path(str(db_path) + ".keys").write_text("{", encoding="utf-8")
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 1
    assert "key file" in _one_line(p.stderr)


@pytest.mark.parametrize("args", [
    ("frobnicate",),
    ("init", "--db", "x.db"),  # --facility, --capacity, --admin missing
    ("init", "--facility", "x", "--capacity", "many", "--admin", "a"),
    ("verify", "--db", "x.db"),  # --user missing
    ("verify", "--db", "x.db", "--user", "admin", "--password", "secret"),  # never an argument
])
def test_usage_errors_exit_2(args, tmp_path):
    p = run(*args, stdin=PASSWORD + "\n")
    assert p.returncode == 2, p.stderr
    assert "usage" in p.stderr.lower()
    assert not (ROOT / "x.db").exists()


def test_database_path_from_the_environment(db_path):
    p = run("verify", "--user", "admin", stdin=PASSWORD + "\n",
            env={"SHELTERDESK_DB": str(db_path)})
    assert p.returncode == 0, p.stderr


def test_damaged_database_is_one_line(db_path):
    """A damaged database says so in one sentence; SQLCipher's own warnings do
    not leak onto stderr."""
    raw = bytearray(db_path.read_bytes())
    raw[16:4096] = bytes(4096 - 16)
    db_path.write_bytes(bytes(raw))
    r = run("verify", "--db", str(db_path), "--user", "admin", stdin="correct horse 1\n")
    assert r.returncode == 1
    assert "damaged" in _one_line(r.stderr)


def _flip(db_path: Path, page: int) -> None:
    raw = bytearray(db_path.read_bytes())
    raw[page * 4096 + 200] ^= 0x01
    db_path.write_bytes(bytes(raw))


@pytest.mark.parametrize("page", [3, 13, 27])
def test_verify_reports_every_check_on_a_damaged_page(db_path, page):
    """Issue 8, item 3: no traceback; every check has its line; exit 1; and
    any other command stops with one line naming the page, writing nothing."""
    _flip(db_path, page)
    before = db_path.read_bytes()
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 1, p.stderr
    assert p.stderr == ""
    lines = p.stdout.splitlines()
    assert [ln.split(":")[0] for ln in lines] == ["cipher_integrity_check", "integrity_check",
                                                   "foreign_key_check", "audit_chain",
                                                   "key_file", "last_verified_backup"]
    assert lines[0] == f"cipher_integrity_check: damaged page {page + 1}"
    assert lines[-1] == "last_verified_backup: unknown"
    p = run("residents", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 1 and p.stdout == ""
    assert f"damaged at page {page + 1}: run verify" in _one_line(p.stderr)
    assert db_path.read_bytes() == before


def test_pathological_inputs_are_one_line(db_path, tmp_path):
    """Issue 8, item 10: /dev/zero, a FIFO, an oversized file as --stays; a
    folder, /dev/null or a FIFO as --db. One line, exit 1, promptly."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for stays in ("/dev/zero", str(fifo), str(tmp_path)):
        p = run("import-ledger", "--db", str(db_path), "--user", "admin", "--stays", stays,
                stdin=PASSWORD + "\n")
        assert p.returncode == 1
        assert "regular file" in _one_line(p.stderr) or "folder" in p.stderr
    for db in (str(tmp_path), "/dev/null", str(fifo)):
        p = run("residents", "--db", db, "--user", "admin", stdin=PASSWORD + "\n")
        assert p.returncode == 1
        line = _one_line(p.stderr)
        assert ("folder" in line or "regular file" in line) and "key file" not in line


def test_an_oversized_ledger_is_refused_before_reading(db_path, tmp_path, monkeypatch):
    from shelterdesk.store import files
    from shelterdesk.store.errors import StoreError
    big = tmp_path / "stays.csv"
    with open(big, "wb") as f:
        f.truncate(files.MAX_INPUT_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(StoreError, match="larger than"):
        files.read_input_file(big)
    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * 100)
    with pytest.raises(StoreError, match="larger than"):
        files.read_input_file(small, limit=10)


def test_residents_output_cannot_be_forged(session, db_path):
    """Issue 8, item 9: a tab or newline in a name stays inside its field; a
    formula-leading name is neutralised."""
    from tests.unit.test_reports_documents import admit
    admit(session.db, "見本", "花子")
    admit(session.db, "架空", "優子")
    session.db.con.execute("UPDATE resident SET alias=? WHERE id=1", ("見本\t99\t1\nforged",))
    session.db.con.execute("UPDATE resident SET alias=? WHERE id=2", ("=HYPERLINK(1)",))
    session.lock()
    p = run("residents", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == 3
    assert all(ln.count("\t") == 4 for ln in lines)
    assert "'=HYPERLINK(1)" in p.stdout


def test_verify_reports_a_key_file_changed_outside_shelterdesk(session, db_path):
    """A slot planted in the key file (issue 8): verify says so and exits 1."""
    import hashlib
    import json
    session.lock()
    keys = Path(str(db_path) + ".keys")
    doc = json.loads(keys.read_text(encoding="utf-8"))
    planted = dict(doc["body"]["slots"][0], id="account:999", login="helper")
    doc["body"]["slots"].append(planted)
    doc["sha256"] = hashlib.sha256(json.dumps(doc["body"], sort_keys=True).encode()).hexdigest()
    keys.write_text(json.dumps(doc), encoding="utf-8")
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 1
    line = next(ln for ln in p.stdout.splitlines() if ln.startswith("key_file: "))
    assert "changed outside ShelterDesk" in line
    assert "changed outside ShelterDesk" in p.stderr
