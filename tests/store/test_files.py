"""Atomic writes and a database's companion files."""

from __future__ import annotations

import os
import stat

import pytest

from shelterdesk.store import files


def test_write_atomic_replaces_keeping_the_previous_copy(tmp_path):
    target = tmp_path / "slots.keys"
    files.write_atomic(target, b"first")
    files.write_atomic(target, b"second", keep_previous=True)
    assert target.read_bytes() == b"second"
    assert (tmp_path / "slots.keys.bak").read_bytes() == b"first"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["slots.keys", "slots.keys.bak"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.pdf"]


def test_database_files_are_found_and_removed_together(tmp_path):
    db = tmp_path / "shelter.db"
    assert not files.database_files_exist(db)
    (tmp_path / "shelter.db-wal").write_bytes(b"x")
    assert files.database_files_exist(db)
    for suffix in ("", ".keys", ".keys.bak"):
        (tmp_path / f"shelter.db{suffix}").write_bytes(b"x")
    (tmp_path / "other.db").write_bytes(b"keep")
    files.remove_database_files(db)
    assert [p.name for p in tmp_path.iterdir()] == ["other.db"]


def test_create_owner_only_never_opens_an_existing_file(tmp_path):
    path = tmp_path / "new.db"
    files.create_owner_only(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(FileExistsError):
        files.create_owner_only(path)


# -- output paths chosen by a person (issue 8, item 1) -----------------------------

def test_output_path_refuses_an_existing_file_unless_forced(tmp_path):
    out = tmp_path / "sheet.pdf"
    assert files.check_output_path(out) == out.resolve()
    out.write_bytes(b"%PDF-1.4 old")
    with pytest.raises(files.OutputExists):
        files.check_output_path(out)
    files.write_output(out, b"%PDF-1.4 new", force=True)
    assert out.read_bytes() == b"%PDF-1.4 new"
    with pytest.raises(files.OutputExists):
        files.write_output(out, b"%PDF-1.4 newer")
    assert out.read_bytes() == b"%PDF-1.4 new"


@pytest.mark.parametrize("suffix", files.DATABASE_FILE_SUFFIXES + files.LOCKOUT_SUFFIXES)
def test_output_path_never_replaces_a_database_file(db_path, suffix):
    """The database, its WAL/SHM, key file and its copy, the lockout file:
    refused even with force, whether or not they exist yet."""
    target = files.Path(str(db_path) + suffix)
    before = target.read_bytes() if target.exists() else None
    with pytest.raises(files.ProtectedPath):
        files.write_output(target, b"%PDF-1.4", force=True)
    assert (target.read_bytes() if target.exists() else None) == before


def test_output_path_sniffs_content_and_follows_links(db_path, tmp_path):
    # A database renamed to look like a PDF: recognised by its companions.
    renamed = tmp_path / "renamed.pdf"
    for suffix in ("", ".keys"):
        os.link(str(db_path) + suffix, str(renamed) + suffix)
    with pytest.raises(files.ProtectedPath):
        files.check_output_path(renamed, force=True)
    # A key file under another name: recognised by its content.
    keys = tmp_path / "slots.txt"
    keys.write_bytes(files.Path(str(db_path) + ".keys").read_bytes())
    with pytest.raises(files.ProtectedPath):
        files.check_output_path(keys, force=True)
    # A plain SQLite file.
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(b"SQLite format 3\x00" + bytes(4080))
    with pytest.raises(files.ProtectedPath):
        files.check_output_path(plain, force=True)
    # An encrypted database alone (its key file lost): whole pages of noise.
    lone = tmp_path / "lone.bin"
    lone.write_bytes(files.Path(db_path).read_bytes())
    with pytest.raises(files.ProtectedPath):
        files.check_output_path(lone, force=True)
    # A symbolic link to the database, and the open database itself.
    link = tmp_path / "link.pdf"
    link.symlink_to(db_path)
    with pytest.raises(files.ProtectedPath):
        files.check_output_path(link, force=True)
    other = tmp_path / "elsewhere.pdf"
    other.write_bytes(b"%PDF-1.4")
    with pytest.raises(files.ProtectedPath):
        files.check_output_path(other, force=True, protect=[other])
    # A folder is no file to write.
    with pytest.raises(files.OutputRefused):
        files.check_output_path(tmp_path, force=True)


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_write_atomic_never_writes_in_place(tmp_path, monkeypatch, step):
    """Issue 8: a failure at any step leaves the old file intact and no
    temporary file (fails if write_atomic wrote in place)."""
    target = tmp_path / "slots.keys"
    target.write_bytes(b"old content")

    def fail(*a, **k):
        raise OSError(28, "No space left on device")

    if step == "write":
        real_fdopen = os.fdopen

        class Failing:
            def __init__(self, fd, mode):
                self.f = real_fdopen(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            write = fail

        monkeypatch.setattr(os, "fdopen", Failing)
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    else:
        monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new content", keep_previous=(step != "replace"))
    monkeypatch.undo()
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_write_new_output_never_replaces_and_sweeps_a_killed_write(tmp_path):
    from shelterdesk.store.errors import OutputExists
    target = tmp_path / "out.age"
    stale = tmp_path / ".out.age.0a1b2c3d.tmp"
    stale.write_bytes(b"half")
    other = tmp_path / ".other.age.0a1b2c3d.tmp"
    other.write_bytes(b"not ours to remove")
    assert files.write_new_output(target, b"whole") == target.resolve()
    assert target.read_bytes() == b"whole"
    assert not stale.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.age.0a1b2c3d.tmp", "out.age"]
    with pytest.raises(OutputExists):
        files.write_new_output(target, b"again")
    assert target.read_bytes() == b"whole"
