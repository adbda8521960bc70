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
