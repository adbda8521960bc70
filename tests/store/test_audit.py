"""The audit log: who did what and when, hash-chained so that an edited or
deleted row is found. Tampering is simulated with raw SQL on the keyed
connection (someone who has the data key and a SQLCipher shell)."""

from __future__ import annotations

from datetime import date

import pytest

from shelterdesk.core.models import Resident
from shelterdesk.store import residents
from shelterdesk.store import session as sessions

ADMIN = "admin"  # as in conftest.py
PASSWORD = "correct horse 1"


@pytest.fixture
def busy(session):
    """A session with a few dozen audit rows of different kinds."""
    db = session.db
    for i in range(8):
        rid = residents.insert_resident(db, Resident(family_name="見本", given_name=f"花子{i}",
                                                     family_kana="みほん", given_kana="はなこ",
                                                     birth_date=date(1990, 1, 1 + i)))
        residents.get_resident(db, rid)
    session.lock()
    s = sessions.unlock(session.db.path, ADMIN, PASSWORD)
    yield s
    if s.db.is_open:
        s.db.close()


def _ids(db) -> list[int]:
    return [r[0] for r in db.query("SELECT id FROM audit ORDER BY id")]


def test_every_action_is_audited_with_account_and_time(busy):
    rows = busy.db.query("SELECT action, entity, account_id, at FROM audit ORDER BY id")
    actions = [r[0] for r in rows]
    assert actions[0] == "create_facility"
    assert actions.count("create") == 8 and actions.count("view") == 8
    assert actions.count("login") == 2 and actions.count("lock") == 2
    assert all(r[2] == busy.account.id for r in rows)
    assert all(len(r[3]) == 19 and r[3][10] == "T" for r in rows)


def test_chain_verifies(busy):
    assert busy.db.verify_audit() == []
    busy.db.close()
    # ... and still after closing and reopening.
    s = sessions.unlock(busy.db.path, ADMIN, PASSWORD)
    try:
        assert s.db.verify_audit() == []
    finally:
        s.db.close()


@pytest.mark.parametrize("column, value", [
    ("action", "'login'"),
    ("detail", "'nothing to see'"),
    ("at", "'2020-01-01T00:00:00'"),
    ("account_id", "NULL"),
    ("entity_id", "entity_id + 1"),
])
def test_edited_row_is_detected(busy, column, value):
    db = busy.db
    target = _ids(db)[len(_ids(db)) // 2]
    db.con.execute(f"UPDATE audit SET {column} = {value} WHERE id = ?", (target,))
    problems = db.verify_audit()
    assert problems
    assert any(str(target) in p and "changed" in p for p in problems)


def test_edited_row_with_recomputed_hash_is_detected(busy):
    """Recomputing the edited row's own hash breaks the link to the next row."""
    from shelterdesk.store.database import audit_hash
    db = busy.db
    ids = _ids(db)
    target = ids[3]
    row = db.query("SELECT id, at, account_id, action, entity, entity_id, detail, prev_hash "
                   "FROM audit WHERE id=?", (target,))[0]
    forged = list(row)
    forged[6] = "forged"
    h = audit_hash(*forged)
    db.con.execute("UPDATE audit SET detail='forged', hash=? WHERE id=?", (h, target))
    problems = db.verify_audit()
    assert any(str(target + 1) in p for p in problems)


def test_deleted_middle_row_is_detected(busy):
    db = busy.db
    ids = _ids(db)
    gone = ids[len(ids) // 2]
    db.con.execute("DELETE FROM audit WHERE id = ?", (gone,))
    problems = db.verify_audit()
    assert any(f"{gone}–{gone}" in p and "missing" in p for p in problems)


def test_deleted_middle_row_with_renumbering_is_detected(busy):
    db = busy.db
    ids = _ids(db)
    gone = ids[5]
    db.con.execute("DELETE FROM audit WHERE id = ?", (gone,))
    db.con.execute("UPDATE audit SET id = id - 1 WHERE id > ?", (gone,))
    assert db.verify_audit()


@pytest.mark.parametrize("n", [1, 3])
def test_deleted_last_rows_are_detected(busy, n):
    db = busy.db
    last = _ids(db)[-n:]
    db.con.execute(f"DELETE FROM audit WHERE id IN ({','.join('?' * n)})", last)
    problems = db.verify_audit()
    assert any("last audit rows were removed" in p for p in problems)


def test_deleted_last_rows_stay_detected_after_more_work(busy):
    """Somebody removes the record of what she just did, then the program goes
    on writing: the new rows must not paper over the gap."""
    db = busy.db
    last = _ids(db)[-2:]
    db.con.execute("DELETE FROM audit WHERE id IN (?, ?)", last)
    residents.insert_resident(db, Resident(alias="アオイ（仮）"))
    busy.lock()
    s = sessions.unlock(db.path, ADMIN, PASSWORD)
    try:
        assert s.db.verify_audit(), "the deleted tail went unnoticed"
    finally:
        s.db.close()


def test_deleted_everything_is_detected(busy):
    busy.db.con.execute("DELETE FROM audit")
    assert busy.db.verify_audit()


def test_failed_writes_leave_no_audit_row(busy):
    from shelterdesk.core.validation import ValidationError
    before = _ids(busy.db)
    with pytest.raises(ValidationError):
        residents.insert_resident(busy.db, Resident())  # no name, no alias
    assert _ids(busy.db) == before
    assert busy.db.verify_audit() == []


def test_details_carry_ids_not_names(busy):
    for (detail,) in busy.db.query("SELECT detail FROM audit"):
        assert "見本" not in detail and "花子" not in detail


# -- issue 8: a keyed chain, anchored in the key file ------------------------------------

def test_chain_recomputed_without_the_key_is_detected(busy):
    """Someone rewrites a row and recomputes every later hash the unkeyed way
    (as a copy of the file outside ShelterDesk could): the keyed chain fails."""
    from shelterdesk.store.database import audit_hash
    db = busy.db
    rows = db.query("SELECT id, at, account_id, action, entity, entity_id, detail "
                    "FROM audit ORDER BY id")
    keyed_from = int(db.get_meta("audit_keyed_from"))
    prev = "0" * 64
    for r in rows:
        detail = "forged" if r[0] == rows[3][0] else r[6]
        h = audit_hash(*r[:6], detail, prev)
        db.con.execute("UPDATE audit SET detail=?, prev_hash=?, hash=? WHERE id=?",
                       (detail, prev, h, r[0]))
        prev = h
    db.con.execute("UPDATE meta SET value=? WHERE key='audit_head'", (f"{rows[-1][0]}:{prev}",))
    assert keyed_from == 1
    assert db.verify_audit()


def test_deleting_the_tail_and_the_head_record_is_detected_by_the_anchor(busy):
    db_path = busy.db.path
    busy.lock()  # the head goes into the key file
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    anchor = s.slots.audit_anchor
    assert anchor is not None
    ids = _ids(s.db)
    s.db.con.execute("DELETE FROM audit WHERE id > ?", (anchor[0] - 3,))
    last = s.db.query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")[0]
    s.db.con.execute("UPDATE meta SET value=? WHERE key='audit_head'", (f"{last[0]}:{last[1]}",))
    assert len(_ids(s.db)) < len(ids)
    assert s.db.verify_audit() == []  # the database alone cannot tell
    problems = s.db.verify_audit(anchor)
    assert any("rows were removed" in p for p in problems)
    s.db.close()


def test_a_row_inserted_past_the_head_does_not_stop_logins_and_is_reported(busy):
    db = busy.db
    top = _ids(db)[-1]
    db.con.execute("INSERT INTO audit(id, at, account_id, action, entity, entity_id, detail, "
                   "prev_hash, hash) VALUES (?, '2026-01-01T00:00:00', NULL, 'x', '', NULL, '', "
                   "'0', '0')", (top + 1,))
    busy.lock()
    s = sessions.unlock(db.path, ADMIN, PASSWORD)  # used to crash every later login
    try:
        assert s.db.verify_audit()
    finally:
        s.db.close()


def test_a_rewrite_of_the_key_file_does_not_lower_the_anchor(busy):
    """The tail is cut, then something makes the unlock rewrite the key file
    (here: a planted slot): the anchor keeps the old head, still reported."""
    import hashlib
    import json
    db_path = busy.db.path
    busy.lock()
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    anchor = s.slots.audit_anchor
    s.db.con.execute("DELETE FROM audit WHERE id > ?", (anchor[0] - 3,))
    last = s.db.query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")[0]
    s.db.con.execute("UPDATE meta SET value=? WHERE key='audit_head'", (f"{last[0]}:{last[1]}",))
    s.db.close()
    keys = db_path.with_name(db_path.name + ".keys")
    doc = json.loads(keys.read_text(encoding="utf-8"))
    doc["body"]["slots"].append(dict(doc["body"]["slots"][0], id="account:999"))
    doc["sha256"] = hashlib.sha256(json.dumps(doc["body"], sort_keys=True).encode()).hexdigest()
    keys.write_text(json.dumps(doc), encoding="utf-8")
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        assert s.warnings
        assert s.slots.audit_anchor[0] >= anchor[0]
        # The rows written since took the cut rows' numbers: the anchored row
        # is there again, but not the row the key file recorded.
        problems = s.db.verify_audit(s.slots.audit_anchor)
        assert any(str(anchor[0]) in p and ("differs" in p or "removed" in p) for p in problems)
    finally:
        s.db.close()
