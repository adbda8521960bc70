"""Facility settings: one audited call each; administrators only."""

from __future__ import annotations

import pytest

from shelterdesk.core.validation import ValidationError
from shelterdesk.store import access
from shelterdesk.store.errors import Forbidden
from shelterdesk.store.facility_settings import set_board_shows_alias, set_idle_lock_minutes


def _last_setting(db) -> str:
    return db.query_one("SELECT detail FROM audit WHERE entity='setting' ORDER BY id DESC")[0]


def test_board_alias_and_idle_minutes_are_saved_and_audited(session):
    set_board_shows_alias(session, False)
    assert session.db.get_meta("board_shows_alias") == "0"
    assert _last_setting(session.db) == "board_shows_alias=0"
    set_idle_lock_minutes(session, 12)
    assert session.facility().idle_lock_minutes == 12
    assert _last_setting(session.db) == "idle_lock_minutes=12"


def test_out_of_range_minutes_name_the_field(session):
    with pytest.raises(ValidationError) as e:
        set_idle_lock_minutes(session, 0)
    assert e.value.errors[0].field == "idle_lock_minutes"


def test_only_an_administrator_changes_settings(session):
    access.add_account(session, "night", "夜勤 テスト", {"intake"}, "night shift 1")
    night = access.unlock(session.db.path, "night", "night shift 1")
    try:
        with pytest.raises(Forbidden):
            set_board_shows_alias(night, False)
        with pytest.raises(Forbidden):
            set_idle_lock_minutes(night, 10)
    finally:
        night.lock()
