"""A damaged page (issue 8, item 3): every command that meets one stops with
one sentence naming the page and writes nothing into the file; ``verify``
still runs every check and reports each.

Reproduced as the attack did it: one flipped byte in a data page of a copy of
a test database (cheap test KDF)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from shelterdesk.store import residents
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import DatabaseDamaged
from tests.conftest import ADMIN, PASSWORD, copy_database

PAGE = 4096


def _pages(path: Path) -> int:
    return path.stat().st_size // PAGE


def damaged_copy(src: Path, folder: Path, page: int) -> Path:
    """A copy of ``src`` with one byte flipped inside page index ``page`` (0-based)."""
    dst = copy_database(src, folder / f"damaged{page}.db")
    raw = bytearray(dst.read_bytes())
    raw[page * PAGE + 200] ^= 0x01
    dst.write_bytes(bytes(raw))
    return dst


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_damaged_page_stops_the_login_and_writes_nothing(db_path, tmp_path):
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.lock()  # checkpointed: every page is in the main file
    n = _pages(db_path)
    assert n > 10
    for page in range(1, n):
        bad = damaged_copy(db_path, tmp_path, page)
        before = _digest(bad)
        with pytest.raises(DatabaseDamaged) as caught:
            s = sessions.unlock(bad, ADMIN, PASSWORD)
            s.lock()
        message = str(caught.value)
        assert f"page {page + 1}" in message, message
        assert "verify" in message and "backup" in message
        assert _digest(bad) == before, page  # no login row, nothing written
        assert not Path(str(bad) + "-wal").exists() or \
            Path(str(bad) + "-wal").stat().st_size == 0


def test_verify_reports_every_check_on_a_damaged_page(db_path, tmp_path):
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.lock()
    for page in range(1, _pages(db_path)):
        bad = damaged_copy(db_path, tmp_path, page)
        before = _digest(bad)
        s = sessions.unlock(bad, ADMIN, PASSWORD, damaged_ok=True)
        try:
            assert s.db.damaged
            problems = s.db.integrity_problems()
            assert list(problems) == ["cipher_integrity_check", "integrity_check",
                                      "foreign_key_check"]
            assert any(f"page {page + 1}" in p for p in problems["cipher_integrity_check"])
            try:
                residents.list_residents(s.db, residents.VIEW_ALL, "", limit=10**6)
            except DatabaseDamaged as e:
                assert f"page {page + 1}" in str(e)
            with pytest.raises(DatabaseDamaged):
                s.db.audit("list", "resident")
        finally:
            s.lock()
        assert _digest(bad) == before, page
