"""Facility settings: typed reads with defaults, checked and audited writes."""

from __future__ import annotations

import pytest

from shelterdesk.core.validation import ValidationError
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import session as sessions
from shelterdesk.store import settings
from shelterdesk.store.errors import Forbidden


def _audit_tail(db, n):
    return [r for r in db.query("SELECT action, entity, entity_id, detail FROM audit "
                                "ORDER BY id DESC LIMIT ?", (n,))][::-1]


def test_a_new_facility_reads_its_settings_and_the_defaults(session):
    db = session.db
    assert settings.facility_name(db) == "テスト施設（架空）"
    assert settings.capacity(db) == 6
    assert settings.idle_lock_minutes(db) == 5
    assert settings.board_shows_alias(db) is True
    assert settings.house_rules(db) == settings.HouseRules(None, "", "")
    assert settings.consent_language(db) == "ja"
    assert session.facility() == settings.facility(db)


def test_update_writes_typed_values_and_audits_each_key(session):
    db = session.db
    settings.update(session, {settings.IDLE_LOCK_MINUTES: 15,
                              settings.BOARD_SHOWS_ALIAS: False,
                              settings.RECORD_RETENTION_YEARS: 5,
                              settings.CURFEW: "22:00",
                              settings.CONSENT_LANGUAGE: "vi"})
    assert settings.idle_lock_minutes(db) == 15
    assert settings.board_shows_alias(db) is False
    assert settings.house_rules(db) == settings.HouseRules(5, "22:00", "")
    assert settings.consent_language(db) == "vi"
    assert _audit_tail(db, 5) == [
        ("update", "setting", None, "idle_lock_minutes=15"),
        ("update", "setting", None, "board_shows_alias=0"),
        ("update", "setting", None, "record_retention_years=5"),
        ("update", "setting", None, "curfew"),  # free text: the key only
        ("update", "setting", None, "consent_language=vi"),
    ]


def test_one_wrong_value_writes_nothing(session):
    db = session.db
    audit_rows = db.query_one("SELECT count(*) FROM audit")[0]
    with pytest.raises(ValidationError) as e:
        settings.update(session, {settings.IDLE_LOCK_MINUTES: 30,
                                  settings.CAPACITY: 0,
                                  settings.FACILITY_NAME: " ",
                                  settings.RECORD_RETENTION_YEARS: 1000,
                                  settings.CONSENT_LANGUAGE: "xx",
                                  settings.QUIET_HOURS: "x" * 41})
    assert {err.field for err in e.value.errors} == {
        "capacity", "facility_name", "record_retention_years", "consent_language",
        "quiet_hours"}
    assert settings.idle_lock_minutes(db) == 5
    assert db.query_one("SELECT count(*) FROM audit")[0] == audit_rows


def test_a_failure_while_writing_leaves_every_setting_as_it_was(session, monkeypatch):
    db = session.db
    real_audit = db.audit

    def audit(action, entity="", entity_id=None, detail="", **kw):
        if detail.startswith("board_shows_alias"):
            raise OSError("disk gone")
        return real_audit(action, entity, entity_id, detail, **kw)

    monkeypatch.setattr(db, "audit", audit)
    with pytest.raises(OSError):
        settings.update(session, {settings.IDLE_LOCK_MINUTES: 30,
                                  settings.BOARD_SHOWS_ALIAS: False})
    monkeypatch.undo()
    assert settings.idle_lock_minutes(db) == 5
    assert settings.board_shows_alias(db) is True


def test_only_an_administrator_changes_settings(session, db_path):
    accounts_repo.add_account(session, "mgr1", "施設長 架空", {"manager"}, "manager pass 1")
    s = sessions.unlock(db_path, "mgr1", "manager pass 1")
    try:
        with pytest.raises(Forbidden):
            settings.update(s, {settings.IDLE_LOCK_MINUTES: 10})
        assert settings.idle_lock_minutes(s.db) == 5
    finally:
        s.db.close()


def test_an_unreadable_stored_value_gives_the_default(session):
    db = session.db
    db.set_meta("idle_lock_minutes", "soon")
    db.set_meta("record_retention_years", "many")
    db.set_meta("consent_language", "klingon")
    assert settings.idle_lock_minutes(db) == 5
    assert settings.house_rules(db).record_retention_years is None
    assert settings.consent_language(db) == "ja"


def test_unknown_keys_are_a_programming_error(session):
    with pytest.raises(KeyError):
        settings.update(session, {"database_id": "x"})
