"""The audit log viewer: filters, reading audited, verify (intact and
tampered), saving the filtered list, managers only."""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedWidget, QWidget

from shelterdesk.gui.views import audit_log as audit_view
from shelterdesk.gui.views.audit_log import AuditLogPage
from shelterdesk.i18n import set_language
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
    assert {p.table.item(i, 3).data(Qt.ItemDataRole.UserRole)
            for i in range(p.table.rowCount())} == {"update"}
    assert {p.table.item(i, 3).text() for i in range(p.table.rowCount())} == {"Updated"}
    assert db.query_one("SELECT detail FROM audit ORDER BY id DESC LIMIT 1")[0] \
        == "action=update"
    p.action.setCurrentIndex(0)
    p.resident.setText("abc")
    p.apply()
    assert "digits" in p.error.text()
    p.resident.setText("7")
    p.apply()
    assert [p.table.item(i, 4).text() for i in range(p.table.rowCount())] == ["Resident 7"]
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


def test_read_when_shown_not_when_built(qtbot, session):
    """The main window builds every page at login: the log is read (and its
    reading audited) only when the manager opens the page, and each visit
    shows the rows written since."""
    db = session.db
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    other = QWidget()
    stack.addWidget(other)
    p = AuditLogPage(session, stack)
    stack.addWidget(p)
    stack.show()
    assert db.query_one("SELECT count(*) FROM audit WHERE entity='audit'")[0] == 0
    stack.setCurrentWidget(p)
    assert p.table.rowCount() >= 1
    stack.setCurrentWidget(other)
    db.audit("save", "report", None, "doc=monthly period=2022-06 format=csv suppress=0")
    stack.setCurrentWidget(p)
    assert p.table.item(0, 3).data(Qt.ItemDataRole.UserRole) == "view"  # this visit
    assert p.table.item(1, 3).data(Qt.ItemDataRole.UserRole) == "save"
    assert p.action.findData("save") >= 0  # a new action joins the pick list


def test_codes_read_in_japanese(qtbot, session):
    """Every action and record kind the program audits has a Japanese label."""
    set_language("ja")
    try:
        assert audit_view.action_label("login") == "ログイン"
        assert audit_view.record_label("resident", 7) == "入所者 7"
        for code in list(audit_view.ACTIONS) + list(audit_view.RECORDS):
            label = audit_view.action_label(code) if code in audit_view.ACTIONS else \
                audit_view.record_label(code, None)
            assert not label.isascii(), code
        assert audit_view.action_label("something_new") == "something_new"
    finally:
        set_language("en")
