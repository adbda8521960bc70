"""Drafts: unfinished intakes kept inside the encrypted database."""

from __future__ import annotations

from shelterdesk.store import drafts

PAYLOAD = {"essentials": {"family_name": "見本", "given_name": "花子"}, "children": []}


def _audit_rows(db, entity="draft"):
    return db.query("SELECT action, entity_id, detail FROM audit WHERE entity=? ORDER BY id",
                    (entity,))


def test_save_load_roundtrip_keeps_japanese_text(db):
    did = drafts.save_draft(db, drafts.INTAKE, PAYLOAD)
    d = drafts.load_draft(db, did)
    assert d.payload == PAYLOAD
    assert d.kind == drafts.INTAKE
    assert d.account_id == db.account_id


def test_saving_again_updates_the_same_draft(db):
    did = drafts.save_draft(db, drafts.INTAKE, PAYLOAD)
    changed = PAYLOAD | {"page": 2}
    assert drafts.save_draft(db, drafts.INTAKE, changed, did) == did
    assert drafts.load_draft(db, did).payload["page"] == 2
    assert len(drafts.list_drafts(db, drafts.INTAKE)) == 1


def test_a_draft_deleted_meanwhile_is_written_anew(db):
    did = drafts.save_draft(db, drafts.INTAKE, PAYLOAD)
    drafts.delete_draft(db, did)
    new = drafts.save_draft(db, drafts.INTAKE, PAYLOAD, did)
    assert drafts.load_draft(db, new).payload == PAYLOAD
    assert [a for a, *_ in _audit_rows(db)] == ["create", "delete", "create"]


def test_list_is_per_account_and_kind_newest_first(db):
    a = drafts.save_draft(db, drafts.INTAKE, {"n": 1})
    b = drafts.save_draft(db, drafts.INTAKE, {"n": 2})
    drafts.save_draft(db, "other_kind", {"n": 3})
    listed = drafts.list_drafts(db, drafts.INTAKE)
    assert {d.id for d in listed} == {a, b}
    assert listed[0].id == b
    assert drafts.list_drafts(db, drafts.INTAKE, account_id=None) == []


def test_create_and_delete_are_audited_without_content(db):
    did = drafts.save_draft(db, drafts.INTAKE, PAYLOAD)
    drafts.save_draft(db, drafts.INTAKE, PAYLOAD, did)  # an autosave: not audited
    drafts.delete_draft(db, did)
    drafts.delete_draft(db, did)  # already gone: no error, no second row
    rows = _audit_rows(db)
    assert [(r[0], r[1]) for r in rows] == [("create", did), ("delete", did)]
    assert all("見本" not in r[2] and "花子" not in r[2] for r in rows)
    assert db.verify_audit() == []


def test_load_missing_draft_says_so(db):
    import pytest

    from shelterdesk.store.errors import NotFound
    with pytest.raises(NotFound):
        drafts.load_draft(db, 999)


def test_draft_text_is_not_in_the_database_file_in_the_clear(db, db_path):
    drafts.save_draft(db, drafts.INTAKE, {"family_name": "架空桜子見本"})
    db.close()
    for suffix in ("", "-wal"):
        p = db_path.parent / (db_path.name + suffix)
        if p.exists():
            assert "架空桜子見本".encode() not in p.read_bytes()
