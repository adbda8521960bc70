"""The monthly occupancy summary and the fiscal-year statistics as figures:
what the PDF prints, the CSV lists and the JSON contract (issue 11) carries.

Pure: built from plain rows (``core.statistics``) and numbers the store read
(programme sessions, aftercare counts, the audit head). One object per report,
so the three formats cannot disagree. Small-cell suppression happens here, in
one place: counts of people or events of 1 or 2 become "<3" and the
percentages and averages derived from them are withheld; person-days,
capacity and occupancy rates are not counts of people and are kept. With
suppression the day-by-day figures (counts of women on a day) are left out.

JSON keys are a contract for scripts: add keys, never rename or remove one.
CSV labels are Japanese (the prefecture's Excel), code values by their
DOMAIN.md Japanese labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shelterdesk.core import codes
from shelterdesk.core import statistics as st
from shelterdesk.core.dates import fiscal_year_label, format_era

#: Where each day's capacity came from: the recorded changes, or the current
#: setting applied to every day (no history recorded yet).
CAPACITY_FROM_HISTORY = "history"
CAPACITY_FROM_CURRENT = "current_setting"


@dataclass(frozen=True)
class AftercareMonth:
    """Aftercare items due in the month: how many, how many have an outcome,
    how many have none and are past due on the report's day."""
    due: int = 0
    done: int = 0
    overdue: int = 0


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def month_label(year: int, month: int) -> str:
    """令和4年6月"""
    return format_era(date(year, month, 1)).rsplit("1日", 1)[0]


def ja_code(code_list: codes.CodeList, code: str) -> str:
    c = code_list.get(code)
    return c.ja_label if c else code


# -- monthly ------------------------------------------------------------------------------------

@dataclass
class MonthlyReport:
    year: int
    month: int
    occupancy: st.Occupancy
    movement: st.Movement
    programme_sessions: int
    aftercare: AftercareMonth
    capacity_source: str
    audit_head: str
    suppress: bool = False
    made_on: date | None = None

    @property
    def period(self) -> st.Period:
        return self.occupancy.period

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return month_label(self.year, self.month)

    @property
    def capacity(self) -> int:
        """The capacity on the month's last day (each day's is in ``capacity_by_day``)."""
        return self.occupancy.capacity_by_day[-1] if self.occupancy.capacity_by_day else 0

    def count(self, n: int) -> int | str:
        return st.shown_count(n, self.suppress)

    @property
    def average_stay_days(self) -> Decimal | None:
        if self.suppress and st.is_small(self.movement.discharges):
            return None
        return self.movement.average_stay_days

    def to_json(self) -> dict:
        o, m, c = self.occupancy, self.movement, self.count
        data = {
            "month": self.key,
            "label": self.label,
            "first_day": self.period.first.isoformat(),
            "last_day": self.period.last.isoformat(),
            "days": self.period.days,
            "capacity": self.capacity,
            "capacity_days": o.capacity_days,
            "capacity_source": self.capacity_source,
            "resident_person_days": o.resident_person_days,
            "child_person_days": o.child_person_days,
            "occupancy_rate_pct": _num(o.occupancy_rate_pct),
            "admissions": c(m.admissions),
            "discharges": c(m.discharges),
            "in_residence_start": c(o.in_residence_start),
            "in_residence_end": c(o.in_residence_end),
            "average_stay_days": _num(self.average_stay_days),
            "companion_children_admitted": c(m.companion_children),
            "main_complaint": {k: c(v) for k, v in m.main_complaint.items()},
            "referral_source": {k: c(v) for k, v in m.referral_source.items()},
            "discharge_destination": {k: c(v) for k, v in m.discharge_destination.items()},
            "person_days_by_room": dict(o.by_room),
            "programme_sessions": self.programme_sessions,
            "aftercare_due": c(self.aftercare.due),
            "aftercare_done": c(self.aftercare.done),
            "aftercare_overdue": c(self.aftercare.overdue),
            "small_cells_suppressed": self.suppress,
            "audit_head": self.audit_head,
        }
        if not self.suppress:
            data["daily"] = [
                {"date": d.isoformat(), "residents": w, "children": k, "capacity": cap}
                for d, w, k, cap in zip(self.period.each_day(), o.residents_by_day,
                                        o.children_by_day, o.capacity_by_day, strict=True)]
        return data

    def csv_rows(self) -> list[list[object]]:
        """区分, 項目, 値 — one table a spreadsheet opens as it is."""
        o, m, c = self.occupancy, self.movement, self.count
        rows: list[list[object]] = [["区分", "項目", "値"]]
        add = rows.append
        add(["概要", "対象月", self.label])
        add(["概要", "日数", self.period.days])
        add(["概要", "定員（月末）", self.capacity])
        add(["概要", "定員延べ（日ごとの定員の合計）", o.capacity_days])
        add(["概要", "入所者延べ人数", o.resident_person_days])
        add(["概要", "同伴児童延べ人数", o.child_person_days])
        add(["概要", "入所率（%）", st.format_decimal(o.occupancy_rate_pct)])
        add(["概要", "月初在所者数", c(o.in_residence_start)])
        add(["概要", "月末在所者数", c(o.in_residence_end)])
        add(["概要", "入所者数", c(m.admissions)])
        add(["概要", "退所者数", c(m.discharges)])
        add(["概要", "退所者の平均在所日数", st.format_decimal(self.average_stay_days)])
        add(["概要", "同伴児童数（当月入所）", c(m.companion_children)])
        for k, v in m.main_complaint.items():
            add(["主訴別入所者数", ja_code(codes.MAIN_COMPLAINT, k), c(v)])
        for k, v in m.referral_source.items():
            add(["来所経路別入所者数", ja_code(codes.REFERRAL_SOURCE, k), c(v)])
        for k, v in m.discharge_destination.items():
            add(["退所先別退所者数", ja_code(codes.DISCHARGE_DESTINATION, k), c(v)])
        for room, n in o.by_room.items():
            add(["居室別延べ人数", room or "（居室なし）", n])
        add(["自立支援講座", "実施回数", self.programme_sessions])
        add(["退所後支援", "予定件数", c(self.aftercare.due)])
        add(["退所後支援", "実施済み", c(self.aftercare.done)])
        add(["退所後支援", "期限超過", c(self.aftercare.overdue)])
        if not self.suppress:
            for d, w, k, cap in zip(self.period.each_day(), o.residents_by_day,
                                    o.children_by_day, o.capacity_by_day, strict=True):
                add(["日別", d.isoformat(), f"入所者 {w} / 同伴児童 {k} / 定員 {cap}"])
        add(["記録", "監査ログの先頭", self.audit_head])
        return rows


# -- fiscal year ---------------------------------------------------------------------------------

@dataclass
class YearFigures:
    """One fiscal year's column of the tables."""
    fiscal_year: int
    movement: st.Movement
    resident_person_days: int
    occupancy_rate_pct: Decimal | None
    programme_sessions: int
    aftercare_done: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


@dataclass
class FiscalYearReport:
    current: YearFigures
    previous: YearFigures
    capacity_source: str
    audit_head: str
    suppress: bool = False

    @property
    def fiscal_year(self) -> int:
        return self.current.fiscal_year

    @property
    def label(self) -> str:
        return self.current.label

    @property
    def key(self) -> str:
        return f"FY{self.fiscal_year}"

    def count(self, n: int) -> int | str:
        return st.shown_count(n, self.suppress)

    def pct(self, n: int, whole: int) -> Decimal | None:
        return st.shown_percent(st.percent(n, whole), n, self.suppress)

    def companion_rate(self, y: YearFigures) -> Decimal | None:
        return st.shown_percent(y.movement.companion_rate_pct,
                                y.movement.admissions_with_children, self.suppress)

    def average_stay(self, y: YearFigures) -> Decimal | None:
        if self.suppress and st.is_small(y.movement.discharges):
            return None
        return y.movement.average_stay_days

    def year_json(self, y: YearFigures) -> dict:
        m, c = y.movement, self.count
        return {
            "fiscal_year": y.fiscal_year,
            "label": y.label,
            "first_day": st.fiscal_year_period(y.fiscal_year).first.isoformat(),
            "last_day": st.fiscal_year_period(y.fiscal_year).last.isoformat(),
            "admissions": c(m.admissions),
            "discharges": c(m.discharges),
            "age_brackets": {k: c(v) for k, v in m.age_brackets.items()},
            "age_brackets_pct": {k: _num(self.pct(v, m.admissions))
                                 for k, v in m.age_brackets.items()},
            "main_complaint": {k: c(v) for k, v in m.main_complaint.items()},
            "main_complaint_pct": {k: _num(self.pct(v, m.admissions))
                                   for k, v in m.main_complaint.items()},
            "companion_children": c(m.companion_children),
            "admissions_with_children": c(m.admissions_with_children),
            "companion_rate_pct": _num(self.companion_rate(y)),
            "referral_source": {k: c(v) for k, v in m.referral_source.items()},
            "discharge_destination": {k: c(v) for k, v in m.discharge_destination.items()},
            "average_stay_days": _num(self.average_stay(y)),
            "resident_person_days": y.resident_person_days,
            "occupancy_rate_pct": _num(y.occupancy_rate_pct),
            "programme_sessions": y.programme_sessions,
            "programme_kpi": st.PROGRAMME_KPI,
            "programme_kpi_met": y.programme_sessions >= st.PROGRAMME_KPI,
            "aftercare_done_by_outcome": {k: c(v) for k, v in y.aftercare_done.items()},
        }

    def to_json(self) -> dict:
        data = self.year_json(self.current)
        data["previous_year"] = self.year_json(self.previous)
        data["capacity_source"] = self.capacity_source
        data["small_cells_suppressed"] = self.suppress
        data["audit_head"] = self.audit_head
        return data

    def csv_rows(self) -> list[list[object]]:
        """表, 項目, then count and percentage for the previous and this year."""
        cur, prev = self.current, self.previous
        rows: list[list[object]] = [["表", "項目", f"{prev.label} 件数", f"{prev.label} 割合",
                                     f"{cur.label} 件数", f"{cur.label} 割合"]]

        def line(table: str, item: str, get, with_pct: bool = True) -> None:
            out: list[object] = [table, item]
            for y in (prev, cur):
                n = get(y)
                out.append(self.count(n))
                out.append(st.format_percent(self.pct(n, y.movement.admissions))
                           if with_pct else "")
            rows.append(out)

        def value(table: str, item: str, get) -> None:
            rows.append([table, item, get(prev), "", get(cur), ""])

        line("表3 一時保護人数", "入所者数", lambda y: y.movement.admissions, False)
        line("表3 一時保護人数", "同伴児童数", lambda y: y.movement.companion_children, False)
        line("表3 一時保護人数", "同伴児童がいる入所者数",
             lambda y: y.movement.admissions_with_children, True)
        for k in st.AGE_BRACKETS:
            line("表4 年代別", st.AGE_BRACKET_JA[k], lambda y, k=k: y.movement.age_brackets[k])
        for k in cur.movement.main_complaint:
            line("表5 主訴別", ja_code(codes.MAIN_COMPLAINT, k),
                 lambda y, k=k: y.movement.main_complaint.get(k, 0))
        for k in cur.movement.referral_source:
            line("来所経路別", ja_code(codes.REFERRAL_SOURCE, k),
                 lambda y, k=k: y.movement.referral_source.get(k, 0))
        for k in cur.movement.discharge_destination:
            rows.append(["退所先別", ja_code(codes.DISCHARGE_DESTINATION, k),
                         self.count(prev.movement.discharge_destination.get(k, 0)), "",
                         self.count(cur.movement.discharge_destination.get(k, 0)), ""])
        value("その他", "同伴率（%）", lambda y: st.format_decimal(self.companion_rate(y)))
        line("その他", "退所者数", lambda y: y.movement.discharges, False)
        value("その他", "平均在所日数", lambda y: st.format_decimal(self.average_stay(y)))
        value("その他", "入所者延べ人数", lambda y: y.resident_person_days)
        value("その他", "入所率（%）", lambda y: st.format_decimal(y.occupancy_rate_pct))
        value("その他", f"自立支援講座の実施回数（目標{st.PROGRAMME_KPI}回）",
              lambda y: y.programme_sessions)
        for k in [c.code for c in codes.AFTERCARE_OUTCOME]:
            rows.append(["退所後支援の結果", ja_code(codes.AFTERCARE_OUTCOME, k),
                         self.count(prev.aftercare_done.get(k, 0)), "",
                         self.count(cur.aftercare_done.get(k, 0)), ""])
        rows.append(["記録", "監査ログの先頭", "", "", self.audit_head, ""])
        return rows


def csv_bytes(rows: list[list[object]]) -> bytes:
    """UTF-8 with BOM (Japanese Excel), CRLF, every cell neutralised."""
    import csv
    import io

    from shelterdesk.core.tabular import spreadsheet_cell

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        w.writerow([spreadsheet_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def json_bytes(data: dict) -> bytes:
    import json
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
