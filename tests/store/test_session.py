"""Sessions: locking forgets the key; the facility a session reads."""

from __future__ import annotations

import pytest

from shelterdesk.store import session as sessions
from shelterdesk.store.errors import StoreError

ADMIN = "admin"  # as in conftest.py
PASSWORD = "correct horse 1"


def test_lock_closes_and_forgets_the_key(session):
    db = session.db
    session.lock()
    assert session._data_key is None
    assert not db.is_open
    with pytest.raises(StoreError):
        db.query("SELECT 1")
    last = sessions.unlock(db.path, ADMIN, PASSWORD)
    try:
        actions = [r[0] for r in last.db.query("SELECT action FROM audit ORDER BY id DESC "
                                               "LIMIT 2")]
        assert actions == ["login", "lock"]
    finally:
        last.db.close()


def test_facility_settings_read_back(session):
    f = session.facility()
    assert f.name == "テスト施設（架空）" and f.capacity == 6
    assert f.idle_lock_minutes == 5
    assert f.database_id == session.slots.database_id
