"""The reports' figures read from a real database: the seed's Tables 3–5 from
a ledger built here (synthetic names), person-days of stays written through
the store, capacity over time, programme sessions, aftercare and the audit head."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime, timedelta

from shelterdesk.core import ledger
from shelterdesk.core import report_figures as rf
from shelterdesk.core.models import Resident, Stay
from shelterdesk.reports import occupancy_reports
from shelterdesk.store import ledger_import, settings, stays
from shelterdesk.store import statistics as stats
from shelterdesk.store.rooms import free_beds

TODAY = date(2026, 11, 21)
AGES = [18, 25, 33, 44, 55, 66]
ORDER = ["dv_spouse", "dating_dv", "family", "other_violence", "stalking", "no_home", "other",
         "trafficking"]


def seed_ledger(fy: int, ages: list[int], complaints: list[int], kids: list[int]) -> tuple:
    """stays.csv and children.csv lines for one fiscal year of the seed."""
    stay_lines, child_lines = [], []
    ages_each = [a for a, n in zip(AGES, ages, strict=True) for _ in range(n)]
    complaint_each = [c for c, n in zip(ORDER, complaints, strict=True) for _ in range(n)]
    for i, (age, complaint) in enumerate(zip(ages_each, complaint_each, strict=True)):
        lid = f"R{fy}-{i:03d}"
        admitted = date(fy, 4, 1) + timedelta(days=i * 6)
        birth = date(admitted.year - age, 1, 1) if admitted.month > 1 else \
            date(admitted.year - age - 1, 1, 1)
        birth = birth.replace(day=1 + i % 28)
        discharged = admitted + timedelta(days=10)
        stay_lines.append(
            f"{lid},見本,花子,みほん,はなこ,,{birth.isoformat()},日本,ja,{admitted.isoformat()},"
            f"{discharged.isoformat()},temporary_protection,{complaint},police,independent,")
        for k in range(kids[i] if i < len(kids) else 0):
            child_lines.append(f"{lid},見本,子{k},みほん,こ,{(admitted - timedelta(days=400 + k)).isoformat()},F")
    return stay_lines, child_lines


def test_the_seeds_tables_from_an_imported_ledger(session, db):
    s22, c22 = seed_ledger(2022, [3, 16, 12, 9, 7, 2], [38, 2, 5, 0, 1, 1, 2, 0],
                           [2] * 20 + [1] * 8)
    s21, c21 = seed_ledger(2021, [1, 14, 17, 8, 7, 7], [46, 2, 4, 1, 0, 1, 0, 0], [1] * 5)
    stays_csv = "\n".join([",".join(ledger.STAY_COLUMNS), *s21, *s22]) + "\n"
    children_csv = "\n".join([",".join(ledger.CHILD_COLUMNS), *c21, *c22]) + "\n"
    plan = ledger.read_ledger(stays_csv.encode(), children_csv.encode(), today=TODAY)
    assert not plan.errors, plan.errors[:3]
    ledger_import.apply(session, plan)

    data = stats.fiscal_year_report(db, 2022).to_json()
    assert data["fiscal_year"] == 2022 and data["label"] == "令和4年度"
    assert data["admissions"] == 49
    assert [data["age_brackets"][k] for k in ("under18", "18-19", "20s", "30s", "40s", "50s",
                                              "60+", "unknown")] == [0, 3, 16, 12, 9, 7, 2, 0]
    assert [data["age_brackets_pct"][k] for k in ("18-19", "20s", "30s", "40s", "50s", "60+")] \
        == [6.1, 32.7, 24.5, 18.4, 14.3, 4.1]
    assert [data["main_complaint"][k] for k in ORDER] == [38, 2, 5, 0, 1, 1, 2, 0]
    assert data["main_complaint_pct"]["dv_spouse"] == 77.6
    assert (data["companion_children"], data["admissions_with_children"],
            data["companion_rate_pct"]) == (48, 28, 57.1)
    assert data["referral_source"]["police"] == 49
    assert data["discharge_destination"]["independent"] == 49
    assert data["average_stay_days"] == 10.0
    prev = data["previous_year"]
    assert prev["label"] == "令和3年度" and prev["admissions"] == 54
    assert [prev["age_brackets"][k] for k in ("18-19", "20s", "30s", "40s", "50s", "60+")] \
        == [1, 14, 17, 8, 7, 7]
    assert [prev["main_complaint"][k] for k in ORDER] == [46, 2, 4, 1, 0, 1, 0, 0]
    json.dumps(data)  # plain JSON

    small = stats.fiscal_year_report(db, 2022, suppress=True).to_json()
    assert small["age_brackets"]["60+"] == "<3" and small["age_brackets_pct"]["60+"] is None
    assert small["age_brackets"]["20s"] == 16 and small["age_brackets_pct"]["20s"] == 32.7
    assert small["main_complaint"]["other_violence"] == 0
    assert small["main_complaint_pct"]["other_violence"] == 0.0


def _admit(db, admitted: datetime, *, birth=date(1990, 4, 1), children=0, est=None):
    bed = free_beds(db)[0]
    from shelterdesk.core.models import Child
    kids = [Child(family_name="見本", given_name=f"子{i}", family_kana="みほん", given_kana="こ",
                  birth_date=date(2020, 1, 1 + i), sex="F") for i in range(children)]
    r = Resident(family_name="見本", given_name="花子", family_kana="みほん", given_kana="はなこ",
                 birth_date=birth, estimated_age=est)
    return stays.admit(db, stays.Admission(r, Stay(
        admitted_at=admitted, admission_type="temporary_protection",
        main_complaint="dv_spouse", referral_source="police", bed_id=bed.bed_id),
        kids), now=datetime(2026, 11, 21, 12, 0))


def test_monthly_figures_from_stays_written_by_the_store(db):
    a = _admit(db, datetime(2026, 5, 28, 21, 0), children=2)  # across the month boundary
    stays.discharge(db, a.id, date(2026, 6, 5), "relatives")
    b = _admit(db, datetime(2026, 6, 10, 10, 0), birth=date(2000, 3, 3))  # open
    c = _admit(db, datetime(2026, 6, 12, 9, 0), birth=date(1980, 1, 1))
    stays.discharge(db, c.id, date(2026, 6, 12), "returned")  # same day
    assert b.id
    r = stats.monthly_report(db, 2026, 6, today=TODAY)
    j = r.to_json()
    assert (j["month"], j["days"], j["capacity"], j["capacity_source"]) == (
        "2026-06", 30, 6, "current_setting")
    assert j["resident_person_days"] == 4 + 21 + 1
    assert j["child_person_days"] == 8
    assert j["occupancy_rate_pct"] == round(26 / 180 * 100, 1)
    assert (j["in_residence_start"], j["admissions"], j["discharges"],
            j["in_residence_end"]) == (1, 2, 2, 1)
    assert j["average_stay_days"] == (8 + 1) / 2
    assert j["discharge_destination"]["relatives"] == 1
    assert j["label"] == "令和8年6月"
    assert len(j["daily"]) == 30 and j["daily"][0]["residents"] == 1
    assert j["audit_head"] == db.get_meta("audit_head")


def test_capacity_history_and_its_fallback(session, db):
    """Capacity over time comes from the settings page's history (one source):
    20 → 25 from 16 June, and the month's capacity-days, occupancy rate, JSON
    and PDF follow it."""
    _admit(db, datetime(2026, 5, 1, 10, 0))
    j = stats.monthly_report(db, 2026, 6, today=TODAY).to_json()
    assert j["capacity_days"] == 180 and j["capacity_source"] == "current_setting"
    settings.update(session, {settings.CAPACITY: 20}, capacity_from=date(2026, 1, 1),
                    today=date(2026, 1, 1))
    settings.update(session, {settings.CAPACITY: 25}, capacity_from=date(2026, 6, 16),
                    today=date(2026, 6, 1))
    r = stats.monthly_report(db, 2026, 6, today=TODAY)
    j = r.to_json()
    assert j["capacity_source"] == "history"
    assert j["capacity_days"] == 15 * 20 + 15 * 25 and j["capacity"] == 25
    assert [d["capacity"] for d in j["daily"][14:16]] == [20, 25]
    assert j["occupancy_rate_pct"] == round(30 / 675 * 100, 1)
    may = stats.monthly_report(db, 2026, 5, today=TODAY).to_json()
    assert may["capacity_days"] == 31 * 20 and may["capacity_source"] == "history"
    pdf = occupancy_reports.build_monthly(db, r, now=datetime(2026, 11, 21, 9, 0)).data
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert occupancy_reports.CAPACITY_NOTE[rf.CAPACITY_FROM_HISTORY] in text.replace(" ", "")
    assert db.get_meta("capacity_history") is None  # no second format


def test_programme_sessions_and_aftercare(db):
    a = _admit(db, datetime(2026, 4, 1, 10, 0))
    stays.discharge(db, a.id, date(2026, 5, 1), "independent")
    with db.transaction() as con:
        con.executemany("INSERT INTO programme_session(title, held_on) VALUES ('講座', ?)",
                        [("2026-06-01",), ("2026-06-30",), ("2026-07-01",), ("2025-04-01",)])
        con.executemany("INSERT INTO aftercare(stay_id, kind, due_on, outcome, done_on) "
                        "VALUES (?, 'phone', ?, ?, ?)",
                        [(a.id, "2026-06-02", "completed", "2026-06-02"),
                         (a.id, "2026-06-20", None, None),
                         (a.id, "2026-06-29", "not_reached", "2026-07-01")])
    j = stats.monthly_report(db, 2026, 6, today=date(2026, 6, 25)).to_json()
    assert j["programme_sessions"] == 2
    assert (j["aftercare_due"], j["aftercare_done"], j["aftercare_overdue"]) == (3, 2, 1)
    fy = stats.fiscal_year_report(db, 2026).to_json()
    assert fy["programme_sessions"] == 3 and fy["programme_kpi"] == 50
    assert fy["programme_kpi_met"] is False
    assert fy["aftercare_done_by_outcome"] == {"completed": 1, "not_reached": 1}
    assert fy["previous_year"]["programme_sessions"] == 1


def test_estimated_age_only_and_no_age(db):
    _admit(db, datetime(2026, 6, 1, 10, 0), birth=None, est=35)
    _admit(db, datetime(2026, 6, 2, 10, 0), birth=None)
    j = stats.fiscal_year_report(db, 2026).to_json()
    assert j["age_brackets"]["30s"] == 1 and j["age_brackets"]["unknown"] == 1
