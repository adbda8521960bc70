"""Shared fixtures. The expensive part happens once: one keyed empty database
(cheap test KDF) is built per test session and copied for each test."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shelterdesk.core.models import Bed, Facility, Room
from shelterdesk.i18n import set_language
from shelterdesk.store import facility as facility_repo
from shelterdesk.store import session as sessions
from shelterdesk.store.vault import TEST_KDF

ADMIN = "admin"
PASSWORD = "correct horse 1"
TODAY = date(2026, 11, 21)


def test_rooms() -> list[Room]:
    return [
        Room(None, "101", beds=[Bed(None, None, "A")]),
        Room(None, "102", beds=[Bed(None, None, "A")]),
        Room(None, "201", family=True, beds=[Bed(None, None, x) for x in "ABC"]),
        Room(None, "301", out_of_service=True, beds=[Bed(None, None, "A")]),
    ]


test_rooms.__test__ = False  # a helper, not a test


@pytest.fixture(autouse=True)
def _english_messages():
    """Tests read messages in English unless they switch to Japanese."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "shelter.db"
    session, recovery = facility_repo.create_facility(
        path, Facility("テスト施設（架空）", 6), test_rooms(), ADMIN, "管理者 テスト", PASSWORD,
        kdf=TEST_KDF)
    session.lock()
    return path, recovery


def copy_database(src: Path, dst: Path) -> Path:
    """Copy a database together with its key file (and the key file's backup)."""
    for suffix in ("", ".keys", ".keys.bak"):
        s = Path(str(src) + suffix)
        if s.exists():
            shutil.copy2(s, str(dst) + suffix)
    return dst


@pytest.fixture
def copy_db():
    """:func:`copy_database`, for conftests below this one."""
    return copy_database


@pytest.fixture
def db_path(_template_db, tmp_path) -> Path:
    """A fresh copy of the empty facility database (and its key file)."""
    src, _ = _template_db
    return copy_database(src, tmp_path / "shelter.db")


@pytest.fixture
def recovery_code(_template_db) -> str:
    return _template_db[1]


@pytest.fixture
def session(db_path):
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    s.kdf = TEST_KDF
    yield s
    if s.db.is_open:
        s.db.close()


@pytest.fixture
def db(session):
    return session.db
