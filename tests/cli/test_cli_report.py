"""``shelterdesk report``: the contract of issue 11 — PDF, CSV and JSON of the
monthly summary and the fiscal-year statistics, managers only, exit 0/1/2,
nothing replaced without --force, a full disk in one line."""

from __future__ import annotations

import csv
import errno
import io
import json
import subprocess
import sys
from datetime import date, datetime

import pytest

from shelterdesk import cli
from shelterdesk.core.models import Resident, Stay
from shelterdesk.store import accounts, stays
from shelterdesk.store import session as sessions
from shelterdesk.store.rooms import free_beds

PASSWORD = "correct horse 1"


@pytest.fixture
def filled(db_path):
    s = sessions.unlock(db_path, "admin", PASSWORD)
    try:
        for day, kids, out in ((date(2022, 5, 30), 1, date(2022, 6, 3)),
                               (date(2022, 6, 10), 0, None), (date(2022, 6, 15), 2, None)):
            st = stays.admit(s.db, stays.Admission(
                Resident(family_name="見本", given_name="花子", family_kana="みほん",
                         given_kana="はなこ", birth_date=date(1990, day.month, day.day)),
                Stay(admitted_at=datetime.combine(day, datetime.min.time()),
                     admission_type="temporary_protection", main_complaint="dv_spouse",
                     referral_source="police", bed_id=free_beds(s.db)[0].bed_id),
                [_child(i) for i in range(kids)]), now=datetime(2026, 11, 21, 12, 0))
            if out:
                stays.discharge(s.db, st.id, out, "relatives")
        accounts.add_account(s, "desk", "受付 架空", {"intake"}, "desk password 1")
    finally:
        s.lock()
    return db_path


def _child(i):
    from shelterdesk.core.models import Child
    return Child(family_name="見本", given_name=f"子{i}", family_kana="みほん", given_kana="こ",
                 birth_date=date(2018, 1, 1 + i), sex="F")


def run(monkeypatch, capsys, *args, password=PASSWORD):
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    try:
        code = cli.main(list(args))
    except SystemExit as e:
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err


def test_monthly_json_is_the_contract(filled, tmp_path, monkeypatch, capsys):
    out = tmp_path / "m.json"
    code, _, err = run(monkeypatch, capsys, "report", "monthly", "--db", str(filled), "--user",
                       "admin", "--month", "2022-06", "--format", "json", "--out", str(out))
    assert code == 0, err
    data = json.loads(out.read_text("utf-8"))
    for key in ("month", "days", "capacity", "resident_person_days", "child_person_days",
                "occupancy_rate_pct", "admissions", "discharges", "in_residence_start",
                "in_residence_end", "average_stay_days"):
        assert key in data
    assert (data["month"], data["days"], data["capacity"]) == ("2022-06", 30, 6)
    assert data["resident_person_days"] == 2 + 21 + 16
    assert data["child_person_days"] == 2 + 32
    assert (data["in_residence_start"], data["admissions"], data["discharges"],
            data["in_residence_end"]) == (1, 2, 1, 2)
    assert data["average_stay_days"] == 4.0
    assert data["occupancy_rate_pct"] == 21.7  # 39 / 180
    # audited, with the period and format only
    s = sessions.unlock(filled, "admin", PASSWORD)
    try:
        row = s.db.query_one("SELECT action, entity, detail FROM audit WHERE entity='report'")
        assert row == ("save", "report", "doc=monthly period=2022-06 format=json suppress=0")
    finally:
        s.db.close()


def test_fiscal_year_csv_and_suppression(filled, tmp_path, monkeypatch, capsys):
    out = tmp_path / "fy.csv"
    code, _, err = run(monkeypatch, capsys, "report", "fiscal-year", "--db", str(filled),
                       "--user", "admin", "--fy", "2022", "--format", "csv", "--out", str(out),
                       "--suppress-small")
    assert code == 0, err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0] == ["表", "項目", "令和3年度 件数", "令和3年度 割合", "令和4年度 件数",
                       "令和4年度 割合"]
    admissions = next(r for r in rows if r[1] == "入所者数")
    assert admissions[4] == "3"
    kids = next(r for r in rows if r[1] == "同伴児童がいる入所者数")
    assert kids[4] == "<3" and kids[5] == "—"
    j = tmp_path / "fy.json"
    run(monkeypatch, capsys, "report", "fiscal-year", "--db", str(filled), "--user", "admin",
        "--fy", "2022", "--format", "json", "--out", str(j), "--suppress-small")
    data = json.loads(j.read_text("utf-8"))
    assert data["admissions"] == 3 and data["companion_children"] == 3
    assert data["admissions_with_children"] == "<3" and data["companion_rate_pct"] is None
    assert data["age_brackets"]["30s"] == 3 and data["age_brackets_pct"]["30s"] == 100.0
    assert set(data["age_brackets"]) == {"under18", "18-19", "20s", "30s", "40s", "50s", "60+",
                                         "unknown"}


def test_pdfs_text_and_fonts(filled, tmp_path, monkeypatch, capsys):
    for kind, period in (("monthly", ("--month", "2022-06")), ("fiscal-year", ("--fy", "2022"))):
        out = tmp_path / f"{kind}.pdf"
        code, _out, err = run(monkeypatch, capsys, "report", kind, "--db", str(filled),
                                "--user", "admin", *period, "--format", "pdf", "--out",
                                str(out))
        assert code == 0, err
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "取扱注意" in text and "監査ログ先頭" in text
        if kind == "monthly":
            assert "月次入所状況報告（令和4年6月分）" in text and "入所率" in text
        else:
            assert "年度統計（令和4年度）" in text and "表5 主訴別一時保護の状況" in text
            assert "令和3年度" in text
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts if line.strip()), fonts


def test_refusals(filled, tmp_path, monkeypatch, capsys):
    out = tmp_path / "x.json"
    base = ("report", "monthly", "--db", str(filled), "--format", "json", "--out", str(out))
    code, _, err = run(monkeypatch, capsys, *base, "--user", "desk", "--month", "2022-06",
                       password="desk password 1")
    assert code == 1 and len(err.strip().splitlines()) == 1 and not out.exists()
    code, _, err = run(monkeypatch, capsys, *base, "--user", "admin", "--month", "2022-13")
    assert code == 2
    code, _, err = run(monkeypatch, capsys, "report", "fiscal-year", "--db", str(filled),
                       "--user", "admin", "--fy", "22", "--format", "csv", "--out", str(out))
    assert code == 2
    out.write_text("keep")
    code, _, err = run(monkeypatch, capsys, *base, "--user", "admin", "--month", "2022-06")
    assert code == 1 and "--force" in err and out.read_text() == "keep"
    code, _, err = run(monkeypatch, capsys, *base, "--user", "admin", "--month", "2022-06",
                       "--force")
    assert code == 0 and out.read_text().startswith("{")
    code, _, err = run(monkeypatch, capsys, "report", "monthly", "--db", str(filled),
                       "--user", "admin", "--month", "2022-06", "--format", "pdf", "--out",
                       str(filled), "--force")
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_full_disk_is_one_line_and_leaves_nothing(filled, tmp_path, monkeypatch, capsys):
    from shelterdesk.store import files

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_atomic", full)
    out = tmp_path / "m.csv"
    code, _, err = run(monkeypatch, capsys, "report", "monthly", "--db", str(filled), "--user",
                       "admin", "--month", "2022-06", "--format", "csv", "--out", str(out))
    assert code == 1 and len(err.strip().splitlines()) == 1 and not out.exists()
    gone = tmp_path / "pulled" / "m.csv"
    code, _, err = run(monkeypatch, capsys, "report", "monthly", "--db", str(filled), "--user",
                       "admin", "--month", "2022-06", "--format", "csv", "--out", str(gone))
    assert code == 1 and len(err.strip().splitlines()) == 1
