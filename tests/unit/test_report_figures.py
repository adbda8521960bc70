"""The reports' figures objects: the JSON keys of the contract, suppression in
one place, CSV cells neutralised, era labels."""

from __future__ import annotations

import csv
import io
from datetime import date

from shelterdesk.core import report_figures as rf
from shelterdesk.core import statistics as st
from shelterdesk.core.statistics import StayRow


def monthly(stays, suppress=False):
    p = st.month_period(2022, 6)
    return rf.MonthlyReport(2022, 6, st.occupancy(stays, p, [4] * 30), st.movement(stays, p),
                            3, rf.AftercareMonth(5, 2, 1), rf.CAPACITY_FROM_CURRENT, "9:abc",
                            suppress)


def test_month_labels():
    assert rf.month_label(2022, 6) == "令和4年6月"
    assert rf.month_label(2019, 4) == "平成31年4月"
    assert rf.month_label(2019, 5) == "令和元年5月"


def test_monthly_suppression_and_formula_cells():
    stays = [StayRow(1, 1, date(2022, 6, 1), date(2022, 6, 5), "dv_spouse", "police",
                     "relatives", room="=HYPERLINK(\"x\")")]
    j = monthly(stays, suppress=True).to_json()
    assert j["admissions"] == "<3" and j["discharges"] == "<3"
    assert j["average_stay_days"] is None and "daily" not in j
    assert j["resident_person_days"] == 4  # person-days are kept
    assert j["aftercare_due"] == 5 and j["aftercare_done"] == "<3"
    plain = monthly(stays).to_json()
    assert plain["admissions"] == 1 and plain["average_stay_days"] == 4.0
    assert len(plain["daily"]) == 30 and plain["occupancy_rate_pct"] == 3.3  # 4 / 120
    data = rf.csv_bytes(monthly(stays).csv_rows())
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    room = next(r for r in rows if r[0] == "居室別延べ人数")
    assert room[1].startswith("'=")


def test_fiscal_year_json_keys():
    y = rf.YearFigures(2022, st.movement([], st.fiscal_year_period(2022)), 0, None, 51)
    prev = rf.YearFigures(2021, st.movement([], st.fiscal_year_period(2021)), 0, None, 0)
    j = rf.FiscalYearReport(y, prev, rf.CAPACITY_FROM_CURRENT, "").to_json()
    for key in ("fiscal_year", "admissions", "age_brackets", "age_brackets_pct",
                "main_complaint", "main_complaint_pct", "companion_children",
                "admissions_with_children", "companion_rate_pct", "referral_source",
                "discharge_destination", "average_stay_days", "programme_sessions"):
        assert key in j
    assert list(j["age_brackets"]) == list(st.AGE_BRACKETS)
    assert list(j["main_complaint"]) == list(st.COMPLAINT_ORDER)
    assert j["companion_rate_pct"] is None and j["programme_kpi_met"] is True
    assert j["label"] == "令和4年度" and j["previous_year"]["label"] == "令和3年度"
    assert rf.YearFigures(2019, y.movement, 0, None, 0).label == "令和元年度"
