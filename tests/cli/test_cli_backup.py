"""``shelterdesk backup`` / ``restore`` (issue 12's contract): backup exits 0
only after the read-back check and prints the file and its size; restore
refuses an existing NEWPATH or companion, and on any failure exits 1 with one
line and writes nothing; the restored database passes ``verify`` and lists the
same residents; ``verify`` reports the last verified backup."""

from __future__ import annotations

from datetime import date

from shelterdesk.store import residents
from tests.cli.test_cli import PASSWORD, _one_line, run


def test_backup_restore_verify_and_the_same_listing(session, db_path, tmp_path):
    for i in range(3):
        residents.insert_resident(session.db, residents.Resident(alias=f"見本{i}（架空）"))
    session.lock()
    out = tmp_path / "backup.sdbk"
    p = run("backup", "--db", str(db_path), "--user", "admin", "--out", str(out),
            stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    assert str(out) in p.stdout and str(out.stat().st_size) in p.stdout
    new = tmp_path / "drill" / "restored.db"
    new.parent.mkdir()
    p = run("restore", "--backup", str(out), "--db", str(new), "--user", "admin",
            stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stderr
    p = run("verify", "--db", str(new), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.returncode == 0, p.stdout
    # The snapshot predates its own verification: the restored copy has none.
    assert p.stdout.splitlines()[-1] == "last_verified_backup: none"
    p = run("verify", "--db", str(db_path), "--user", "admin", stdin=PASSWORD + "\n")
    assert p.stdout.splitlines()[-1] == f"last_verified_backup: {date.today().isoformat()}"
    a = run("residents", "--db", str(db_path), "--user", "admin", "--view", "all",
            stdin=PASSWORD + "\n")
    b = run("residents", "--db", str(new), "--user", "admin", "--view", "all",
            stdin=PASSWORD + "\n")
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout and len(
        a.stdout.splitlines()) == 4
    # Never over an existing database: refused before a password is read.
    before = new.read_bytes()
    p = run("restore", "--backup", str(out), "--db", str(new), "--user", "admin", stdin="")
    assert p.returncode == 1 and "already exists" in _one_line(p.stderr)
    assert new.read_bytes() == before
    # Nor over an existing backup.
    p = run("backup", "--db", str(db_path), "--user", "admin", "--out", str(out),
            stdin=PASSWORD + "\n")
    assert p.returncode == 1
    _one_line(p.stderr)


def test_restore_failures_write_nothing(session, db_path, tmp_path):
    session.lock()
    out = tmp_path / "b.sdbk"
    assert run("backup", "--db", str(db_path), "--user", "admin", "--out", str(out),
               stdin=PASSWORD + "\n").returncode == 0
    folder = tmp_path / "into"
    folder.mkdir()
    data = out.read_bytes()
    bad = tmp_path / "truncated.sdbk"
    bad.write_bytes(data[:-4096])
    for backup_file, stdin in ((out, "wrong password\n"), (bad, PASSWORD + "\n")):
        p = run("restore", "--backup", str(backup_file), "--db", str(folder / "new.db"),
                "--user", "admin", stdin=stdin)
        assert p.returncode == 1
        _one_line(p.stderr)
        assert list(folder.iterdir()) == []
