"""Attacks on the command line's outputs, run again after issue 8: every
output path meets a full or read-only disk with the store's sentence (what to
do), never a raw errno or the name of a temporary file."""

from __future__ import annotations

import errno
import io
import os
import sys

import pytest

from shelterdesk import cli
from tests.conftest import PASSWORD


def _fail_on(monkeypatch, marker: str, code: int, where: str) -> None:
    """Make the write of any file whose name contains ``marker`` fail with ``code``
    at ``where`` (the temporary file's creation, or its write)."""
    real_open, real_fdopen = os.open, os.fdopen

    def fake_open(path, flags, mode=0o777, *a, **k):
        if where == "open" and marker in os.fspath(path):
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real_open(path, flags, mode, *a, **k)

    class _Full(io.RawIOBase):
        def __init__(self, fd):
            self.fd = fd

        def writable(self):
            return True

        def write(self, b):
            raise OSError(code, os.strerror(code))

        def close(self):
            os.close(self.fd)
            super().close()

        def fileno(self):
            return self.fd

    def fake_fdopen(fd, mode="r", *a, **k):
        name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else ""
        if where == "write" and marker in name:
            return _Full(fd)
        return real_fdopen(fd, mode, *a, **k)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "fdopen", fake_fdopen)


@pytest.mark.parametrize(("code", "where", "words"), [
    (errno.ENOSPC, "write", "is full"),
    (errno.EROFS, "open", "cannot be written (a read-only disk"),
    (errno.EACCES, "open", "cannot be written (a read-only disk"),
])
@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_report_on_a_full_or_read_only_disk_says_what_to_do(
        session, db_path, tmp_path, monkeypatch, capsys, code, where, words, fmt):
    session.lock()
    out_dir = tmp_path / "stick"
    out_dir.mkdir()
    out = out_dir / f"report.{fmt}"
    _fail_on(monkeypatch, f".report.{fmt}.", code, where)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    rc = cli.main(["--lang", "en", "report", "monthly", "--db", str(db_path), "--user", "admin",
                   "--month", "2026-10", "--format", fmt, "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert rc == 1 and stdout == ""
    assert stderr.count("\n") == 1 and words in stderr, stderr
    assert "Errno" not in stderr and ".tmp" not in stderr, stderr
    assert "nothing was changed" in stderr
    assert os.listdir(out_dir) == []
