"""Issue 10's command-line contract: discharge with a schedule, list, record,
partner, consent, export (none without consent: exit 1, no file) and the
results import with a conflict."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, timedelta

import pyrage
from test_cli import PASSWORD, run

from shelterdesk.core.aftercare import default_schedule
from shelterdesk.core.models import Resident, Stay
from shelterdesk.store import aftercare, stays
from shelterdesk.store import session as sessions
from shelterdesk.transfer import age

ADMIN = "admin"
PW = PASSWORD + "\n"


def _admit(db_path) -> tuple[int, int]:
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        admitted = datetime(2025, 12, 1, 10, 0)
        st = stays.admit(s.db, stays.Admission(
            Resident(family_name="見本", given_name="花子", family_kana="みほん",
                     given_kana="はなこ", birth_date=date(1990, 4, 1)),
            Stay(admitted_at=admitted, admission_type="temporary_protection",
                 main_complaint="dv_spouse", referral_source="police")),
            now=datetime(2025, 12, 22, 12, 0))
        return st.resident_id, st.id
    finally:
        s.lock()


def base(db_path):
    return ("--db", str(db_path), "--user", ADMIN)


def test_the_whole_contract(db_path, tmp_path):
    rid, sid = _admit(db_path)
    p = run("discharge", *base(db_path), "--stay", str(sid), "--on", "2025-12-22",
            "--destination", "independent", stdin=PW)
    assert p.returncode == 0, p.stderr
    assert [ln.split("\t")[2] for ln in p.stdout.strip().splitlines()] == [
        i.due_on.isoformat() for i in default_schedule(date(2025, 12, 22))]

    p = run("aftercare", "list", *base(db_path), "--stay", str(sid), "--json", stdin=PW)
    assert p.returncode == 0, p.stderr
    items = json.loads(p.stdout)
    assert len(items) == 6
    assert {"id", "stay_id", "resident_id", "kind", "due_on", "assignee", "outcome",
            "done_on", "note"} <= set(items[0])
    assert items[0]["due_on"] == "2026-01-05" and items[0]["kind"] == "phone"
    p = run("aftercare", "list", *base(db_path), "--due-before", "2026-01-07", "--json",
            stdin=PW)
    assert len(json.loads(p.stdout)) == 2

    partner_key = pyrage.x25519.Identity.generate()
    p = run("partner", "add", *base(db_path), "--name", "架空市", "--recipient",
            str(partner_key.to_public()), stdin=PW)
    assert p.returncode == 0, p.stderr
    p = run("partner", "add", *base(db_path), "--name", "別の市", "--recipient", "age1nope",
            stdin=PW)
    assert p.returncode == 1 and "age1" in p.stderr

    out = tmp_path / "handover.age"
    p = run("export", "aftercare", *base(db_path), "--partner", "架空市", "--out", str(out),
            stdin=PW)
    assert p.returncode == 1 and "consent" in p.stderr and not out.exists()

    today = date.today()
    p = run("consent", "add", *base(db_path), "--resident", str(rid), "--scope",
            "municipality_aftercare", "--recipient", "架空市", "--given",
            (today - timedelta(days=1)).isoformat(), stdin=PW)
    assert p.returncode == 0, p.stderr
    p = run("export", "aftercare", *base(db_path), "--partner", "架空市", "--out", str(out),
            stdin=PW)
    assert p.returncode == 0, p.stderr
    plain = age.decrypt(out.read_bytes(), [str(partner_key)])
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        rows = list(csv.reader(io.StringIO(z.read("schedule.csv").decode("utf-8-sig"))))
        reply_to = json.loads(z.read("manifest.json"))["reply_to"]

    first, second = int(rows[1][0]), int(rows[2][0])
    p = run("aftercare", "record", *base(db_path), "--item", str(first), "--outcome",
            "not_reached", "--on", today.isoformat(), "--note", "当方", stdin=PW)
    assert p.returncode == 0, p.stderr

    rows[1][10:13] = ["実施", "2025/12/30", "相手"]
    rows[2][10:13] = ["要支援", "R8.1.5", "相手の記録"]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    results = tmp_path / "results.age"
    results.write_bytes(pyrage.encrypt(buf.getvalue().encode("cp932"),
                                       [pyrage.x25519.Recipient.from_str(reply_to)]))
    p = run("import", "aftercare-results", *base(db_path), "--file", str(results), stdin=PW)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert lines[0] == "updated 1, unchanged 4, conflicts 1"
    assert lines[1].startswith(f"conflict item {first}")
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        assert aftercare.get_item(s.db, first).outcome == "not_reached"
        assert aftercare.get_item(s.db, second).outcome == "needs_support"
    finally:
        s.lock()

    bad = tmp_path / "bad.age"
    bad.write_bytes(results.read_bytes()[:-1])
    p = run("import", "aftercare-results", *base(db_path), "--file", str(bad), stdin=PW)
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1
    assert "見本" not in p.stderr


def test_no_aftercare_needs_a_reason(db_path):
    _rid, sid = _admit(db_path)
    p = run("discharge", *base(db_path), "--stay", str(sid), "--on", "2025-12-22",
            "--destination", "relatives", "--aftercare", "none", stdin=PW)
    assert p.returncode == 1 and "why" in p.stderr
    p = run("discharge", *base(db_path), "--stay", str(sid), "--on", "2025-12-22",
            "--destination", "relatives", "--aftercare", "none", "--reason", "本人の希望",
            stdin=PW)
    assert p.returncode == 0, p.stderr
