"""One audit head (``Database.audit_head``): the key file's anchor, a backup's
manifest and its copied key file, and the reports' footers all carry the head
that ``verify`` checks — the last row of the chain, with its keyed MAC. (The
aftercare hand-over's manifest: tests/transfer/test_handover.py.)"""

from __future__ import annotations

import subprocess
from datetime import date, datetime

from shelterdesk.store import backup as backups
from shelterdesk.store import session as sessions
from shelterdesk.store import statistics as stats
from shelterdesk.store.database import AuditHead
from shelterdesk.store.vault import SlotFile
from tests.conftest import ADMIN, PASSWORD


def _chain_end(db) -> str:
    """The head as verify sees it: the chain intact, its last row id:MAC."""
    assert db.verify_audit() == []
    rid, mac = db.query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")[0]
    return f"{rid}:{mac}"


def test_the_head_is_the_chains_last_row_keyed(db):
    db.audit("view", "stay", 1, "test")
    head = db.audit_head()
    assert isinstance(head, AuditHead) and str(head) == _chain_end(db)
    assert head.id > int(db.get_meta("audit_keyed_from"))  # a keyed MAC, not a plain hash


def test_reports_carry_the_head_verify_sees(db):
    from shelterdesk.reports import occupancy_reports
    db.audit("view", "stay", 1, "test")
    end = _chain_end(db)
    monthly = stats.monthly_report(db, 2026, 6, today=date(2026, 11, 21))
    fiscal = stats.fiscal_year_report(db, 2026)
    assert monthly.audit_head == end and monthly.to_json()["audit_head"] == end
    assert fiscal.audit_head == end and fiscal.to_json()["audit_head"] == end
    assert ["記録", "監査ログの先頭", end] in monthly.csv_rows()
    pdf = occupancy_reports.build_monthly(db, monthly, now=datetime(2026, 11, 21, 9)).data
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert end.split(":")[0] + ":" + end.split(":")[1][:12] in text.replace("\n", "")


def test_lock_anchors_the_head_in_the_key_file(session, db_path):
    session.db.audit("view", "stay", 1, "test")
    session.lock()
    anchor = SlotFile.load(db_path).audit_anchor
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        row = s.db.query("SELECT hash FROM audit WHERE id=?", (anchor[0],))
        assert row == [(anchor[1],)] and s.db.verify_audit(s.slots.audit_anchor) == []
    finally:
        s.lock()


def test_a_backups_key_file_is_anchored_at_its_copys_head(session, tmp_path):
    db = session.db
    for i in range(3):  # rows after the key file was last anchored on disk
        db.audit("view", "stay", i + 1, "test")
    end = _chain_end(db)
    assert SlotFile.load(db.path).audit_anchor != db.audit_head()  # the disk's is older
    target = tmp_path / "b.sdbk"
    result = backups.backup(session, target)
    assert result.info.audit_head == end  # the backup row itself comes after the copy
    session.lock()
    new = tmp_path / "restored" / "shelter.db"
    new.parent.mkdir()
    info = backups.restore(target, new, ADMIN, PASSWORD)
    assert info.audit_head == end
    anchor = SlotFile.load(new).audit_anchor
    assert f"{anchor[0]}:{anchor[1]}" == end
    s = sessions.unlock(new, ADMIN, PASSWORD)
    try:
        assert s.warnings == []
        assert s.db.verify_audit(SlotFile.load(new).audit_anchor) == []
    finally:
        s.lock()
