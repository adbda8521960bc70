"""Retention (issue 12, item 5): residents past the retention period are listed
for a manager and purged in one transaction with an audit row of ids and
counts; past fiscal-year figures are unchanged (computed from stay ∪
retained_stay); no name is left anywhere in the file (secure_delete)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from shelterdesk.core import statistics as st
from shelterdesk.core.models import Child, Resident, Stay
from shelterdesk.core.retention import age_bracket, is_past_retention, keep_until
from shelterdesk.store import retention, settings, stays
from shelterdesk.store import statistics as stats
from shelterdesk.store.errors import Conflict, Forbidden

OLD_NAME = "廃棄予定"  # synthetic
KEEP_NAME = "保存継続"
TODAY = date(2026, 11, 21)


def _stay(at, **kw):
    return Stay(admitted_at=at, admission_type="temporary_protection", main_complaint="dv_spouse",
                referral_source="police", issue_tags=("poverty",), **kw)


def _admit(db, family, at, out, dest, children=0, born=date(1985, 6, 1)):
    r = Resident(family_name=family, given_name="花子", family_kana="はいき",
                 given_kana="はなこ", birth_date=born)
    kids = [Child(family_name=family, given_name=f"子{i}", birth_date=date(2018, 1, 1 + i),
                  sex="F") for i in range(children)]
    s = stays.admit(db, stays.Admission(r, _stay(at), kids), now=datetime(2026, 11, 21, 9))
    stays.discharge(db, s.id, out, dest)
    return s


def _extras(db, s, account_id):
    with db.transaction() as con:
        plan = con.execute("INSERT INTO plan(stay_id, created_on) VALUES (?, '2018-05-01')",
                           (s.id,)).lastrowid
        g = con.execute("INSERT INTO plan_goal(plan_id, domain, goal) VALUES (?, 'housing', ?)",
                        (plan, OLD_NAME + "の住まい")).lastrowid
        con.execute("INSERT INTO milestone(goal_id, title) VALUES (?, ?)", (g, OLD_NAME))
        con.execute("INSERT INTO plan_review(plan_id, reviewed_on, note) VALUES (?, "
                    "'2018-06-01', ?)", (plan, OLD_NAME))
        con.execute("INSERT INTO case_note(resident_id, stay_id, written_at, category, "
                    "author_account_id, body) VALUES (?, ?, '2018-05-02T10:00:00', 'other', ?, ?)",
                    (s.resident_id, s.id, account_id, OLD_NAME + "と面談"))
        con.execute("INSERT INTO aftercare(stay_id, kind, due_on, note) VALUES (?, 'phone', "
                    "'2018-08-01', ?)", (s.id, OLD_NAME))
        ses = con.execute("INSERT INTO programme_session(title, held_on) VALUES ('講座', "
                          "'2018-05-10')").lastrowid
        con.execute("INSERT INTO programme_attendance(session_id, resident_id) VALUES (?, ?)",
                    (ses, s.resident_id))
        for cid in s.child_ids:
            con.execute("INSERT INTO child_support(child_id, stay_id, kind, on_date, note) "
                        "VALUES (?, ?, 'schooling', '2018-05-03', ?)", (cid, s.id, OLD_NAME))


def _figures(db, fy: int) -> dict:
    """The fiscal-year figures of DOMAIN.md as the reports count them."""
    start, end = date(fy, 4, 1), date(fy + 1, 3, 31)
    rows = retention.statistic_stays(db, start, end)
    admitted = [r for r in rows if start <= r.admitted_on <= end]
    discharged = [r for r in rows if r.discharged_on and start <= r.discharged_on <= end]

    def days(r):
        a = max(r.admitted_on, start)
        b = min(r.discharged_on or end, end)
        return max((b - a).days, 1)
    return {"admissions": len(admitted), "discharges": len(discharged),
            "complaints": Counter(r.main_complaint for r in admitted),
            "referral": Counter(r.referral_source for r in admitted),
            "destinations": Counter(r.discharge_destination for r in discharged),
            "ages": Counter(st.bracket_at_admission(r) for r in admitted),
            "with_children": sum(1 for r in admitted if r.children),
            "children": sum(r.children for r in admitted),
            "person_days": sum(days(r) for r in rows),
            "child_days": sum(days(r) * r.children for r in rows)}


def _reports(db) -> dict:
    """Every table of the fiscal-year report (2018 with 2017 beside it) and the
    monthly summaries of months of 2018, as JSON and CSV, without the audit
    head (the purge itself is audited, so the head moves on)."""
    def strip(report):
        data = report.to_json()
        data.pop("audit_head")
        rows = [r for r in report.csv_rows() if r[1] != "監査ログの先頭"]
        return data, rows
    out = {"FY2018": strip(stats.fiscal_year_report(db, 2018)),
           "FY2019": strip(stats.fiscal_year_report(db, 2019))}
    for month in (5, 7, 8, 9):
        out[f"2018-{month:02d}"] = strip(stats.monthly_report(db, 2018, month, today=TODAY))
    return out


def _pages(db_path, key: bytes, page_size=4096, reserve=80):
    """Every page of the file decrypted with the raw data key (SQLCipher 4:
    AES-256-CBC, the IV in the page's reserved tail; page 1 after the salt)."""
    raw = db_path.read_bytes()
    for n in range(len(raw) // page_size):
        page = raw[n * page_size:(n + 1) * page_size]
        start = 16 if n == 0 else 0
        body, iv = page[start:page_size - reserve], page[page_size - reserve:][:16]
        d = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        yield d.update(body) + d.finalize()


def test_pure_rules():
    assert keep_until(date(2020, 2, 29), 5) == date(2025, 2, 28)
    assert not is_past_retention(date(2020, 3, 31), 5, date(2025, 3, 31))
    assert is_past_retention(date(2020, 3, 31), 5, date(2025, 4, 1))
    assert not is_past_retention(date(2000, 1, 1), None, TODAY)
    assert age_bracket(date(2000, 4, 2), None, date(2018, 4, 1)) == "under18"
    assert age_bracket(None, 34, date(2018, 4, 1)) == "30s"
    assert age_bracket(None, None, date(2018, 4, 1)) == "unknown"


def test_purge_keeps_past_statistics_and_leaves_no_name(session, db_path):
    db = session.db
    old = _admit(db, OLD_NAME, datetime(2018, 5, 1, 10), date(2018, 7, 31), "independent", 2)
    _extras(db, old, session.account.id)
    keep = _admit(db, KEEP_NAME, datetime(2018, 6, 1, 10), date(2024, 1, 10), "relatives")
    _admit(db, "同年度", datetime(2018, 9, 1, 10), date(2019, 2, 1), "public_housing",
           born=date(1950, 1, 1))
    assert retention.past_retention(session, TODAY) == []  # no period set
    settings.update(session, {settings.RECORD_RETENTION_YEARS: 5})
    listed = retention.past_retention(session, TODAY)
    assert [p.display_name for p in listed] == [f"{OLD_NAME} 花子", "同年度 花子"]
    assert listed[0].keep_until == date(2023, 7, 31) and listed[0].children == 2
    assert keep.resident_id not in {p.resident_id for p in listed}

    before = {fy: _figures(db, fy) for fy in (2017, 2018, 2019, 2023)}
    reports_before = _reports(db)
    assert reports_before["FY2018"][0]["admissions"] == 3
    assert reports_before["2018-08"][0]["aftercare_due"] == 1
    assert before[2018]["admissions"] == 3 and before[2018]["children"] == 2
    db.close()
    found = any(OLD_NAME.encode() in p for p in _pages(db_path, session.data_key))
    assert found  # the method sees names when they are there
    from shelterdesk.store import session as sessions
    from tests.conftest import ADMIN, PASSWORD
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        with pytest.raises(Conflict):
            retention.purge(s, [keep.resident_id], TODAY)
        counts = retention.purge(s, [old.resident_id], TODAY)
        assert counts["resident"] == 1 and counts["child"] == 2 and counts["stay"] == 1
        for table in ("plan", "plan_goal", "milestone", "plan_review", "case_note",
                      "aftercare", "programme_attendance", "child_support", "consent"):
            assert s.db.query(f"SELECT count(*) FROM {table}")[0][0] == 0, table
        assert s.db.query("SELECT count(*) FROM programme_session")[0][0] == 1  # the KPI stays
        action, detail = s.db.query("SELECT action, detail FROM audit ORDER BY id DESC "
                                    "LIMIT 1")[0]
        assert action == "purge" and f"ids={old.resident_id}" in detail
        assert "resident=1" in detail and OLD_NAME not in detail
        after = {fy: _figures(s.db, fy) for fy in (2017, 2018, 2019, 2023)}
        assert after == before
        assert _reports(s.db) == reports_before
        key = s.data_key
    finally:
        s.lock()
    pages = list(_pages(db_path, key))
    assert not any(OLD_NAME.encode() in p for p in pages)
    assert any(KEEP_NAME.encode() in p for p in pages)


def test_caseworkers_may_not_purge(session):
    from shelterdesk.store import accounts as accounts_repo
    from shelterdesk.store import session as sessions
    accounts_repo.add_account(session, "case1", "支援員", {"caseworker"}, "case password 1")
    s = sessions.unlock(session.db.path, "case1", "case password 1")
    try:
        with pytest.raises(Forbidden):
            retention.past_retention(s, TODAY)
        with pytest.raises(Forbidden):
            retention.purge(s, [1], TODAY)
    finally:
        s.lock()


def test_purge_removes_child_steps_and_exported_items(session, db_path):
    """A resident whose child had support steps and whose aftercare was handed
    to a partner: the purge removes those rows too (they hold notes and a
    contact) instead of failing on their references."""
    db = session.db
    old = _admit(db, OLD_NAME, datetime(2018, 5, 1, 10), date(2018, 7, 31), "independent", 1)
    _extras(db, old, session.account.id)
    with db.transaction() as con:
        con.execute("INSERT INTO child_step(child_id, stay_id, step, contact, note, updated_at) "
                    "VALUES (?, ?, 'school_transfer', ?, ?, '2018-05-04T10:00:00')",
                    (old.child_ids[0], old.id, OLD_NAME + "の学校", OLD_NAME))
        partner = con.execute("INSERT INTO partner(name) VALUES ('市役所（架空）')").lastrowid
        export = con.execute("INSERT INTO aftercare_export(partner_id, created_at, items) "
                             "VALUES (?, '2018-08-01T09:00:00', 1)", (partner,)).lastrowid
        item = con.execute("SELECT id FROM aftercare WHERE stay_id=?", (old.id,)).fetchone()[0]
        con.execute("INSERT INTO aftercare_export_item(export_id, item_id, sequence) "
                    "VALUES (?, ?, 0)", (export, item))
    settings.update(session, {settings.RECORD_RETENTION_YEARS: 5})
    counts = retention.purge(session, [old.resident_id], TODAY)
    assert counts["resident"] == 1 and counts["child_step"] == 1
    for table in ("child_step", "aftercare_export_item", "aftercare", "child"):
        assert db.query(f"SELECT count(*) FROM {table}")[0][0] == 0, table
    key = session.data_key
    session.lock()
    assert not any(OLD_NAME.encode() in p for p in _pages(db_path, key))
