"""The audit log viewer: filters, reading audited, verify (intact and
tampered), saving the filtered list, managers only."""

from __future__ import annotations

import csv
import io

import pytest

from shelterdesk.gui.views.audit_log import AuditLogPage
from shelterdesk.store import accounts, audit_log
from shelterdesk.store import session as sessions
from shelterdesk.store.errors import Forbidden


def page(qtbot, session) -> AuditLogPage:
    p = AuditLogPage(session)
    qtbot.addWidget(p)
    p.resize(1366, 768)
    p.show()
    return p


def test_filter_verify_and_save(qtbot, session, tmp_path):
    db = session.db
    db.audit("update", "resident", 7, "field=alias")
    db.audit("print", "stay", 3, "doc=intake lang=ja")
    p = page(qtbot, session)
    assert p.table.rowCount() >= 3
    first_view = db.query_one("SELECT action, entity FROM audit ORDER BY id DESC LIMIT 1")
    assert first_view == ("view", "audit")  # reading is itself audited
    p.action.setCurrentIndex(p.action.findData("update"))
    p.apply()
    assert {p.table.item(i, 3).text() for i in range(p.table.rowCount())} == {"update"}
    assert db.query_one("SELECT detail FROM audit ORDER BY id DESC LIMIT 1")[0] \
        == "action=update"
    p.action.setCurrentIndex(0)
    p.resident.setText("abc")
    p.apply()
    assert "digits" in p.error.text()
    p.resident.setText("7")
    p.apply()
    assert [p.table.item(i, 4).text() for i in range(p.table.rowCount())] == ["resident 7"]
    p.grab().save("/tmp/shots/audit_log.png")
    assert p.verify() == [] and "intact" in p.status.text()
    assert p.save_to(tmp_path / "log")
    rows = list(csv.reader(io.StringIO((tmp_path / "log.csv").read_text("utf-8-sig"))))
    assert rows[0][0] == "番号" and rows[1][3] == "update"
    assert not p.save_to(tmp_path / "pulled" / "log.csv") and p.error.text()


def test_tampering_is_shown(qtbot, session):
    db = session.db
    db.audit("update", "resident", 7, "field=alias")
    with db.transaction() as con:
        con.execute("UPDATE audit SET detail='x' WHERE action='update'")
    p = page(qtbot, session)
    assert p.verify() and "tampered" in p.error.text()


def test_only_managers_and_administrators(session):
    accounts.add_account(session, "desk", "受付 架空", {"intake"}, "desk password 1")
    desk = sessions.unlock(session.db.path, "desk", "desk password 1")
    try:
        with pytest.raises(Forbidden):
            audit_log.open_view(desk)
        with pytest.raises(Forbidden):
            audit_log.verify(desk)
    finally:
        desk.db.close()


def test_pages_by_id(session):
    db = session.db
    for i in range(5):
        db.audit("update", "resident", i)
    first = audit_log.entries(db, limit=2)
    older = audit_log.entries(db, before_id=first[-1].id, limit=2)
    assert [e.id for e in first] == sorted([e.id for e in first], reverse=True)
    assert older[0].id == first[-1].id - 1
