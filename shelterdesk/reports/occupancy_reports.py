"""月次入所状況報告 and 年度統計 — the manager's two reports, as A4 PDFs.

Built from the figures objects of ``core/report_figures.py`` (read by
``store/statistics.py``), so the PDF, the CSV and the JSON cannot disagree.
Both are the prefecture's forms: printed in Japanese whatever the screen's
language, with the seed plan's headings and the DOMAIN.md Japanese code labels
verbatim (as ``Code.ja_label`` is), so their text is written here in Japanese
rather than through the catalog. No names are printed: these are counts.

Every page carries 取扱注意 and, in the footer, the audit-chain head at the
time of printing, so a later check can compare it with the log.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from shelterdesk.core import codes
from shelterdesk.core import report_figures as rf
from shelterdesk.core import statistics as st
from shelterdesk.core.dates import fiscal_year_label, format_era
from shelterdesk.reports import fonts
from shelterdesk.reports.common import (
    CONTENT_W,
    GREY,
    LINE,
    Page,
    PdfResult,
    build_pdf,
    format_doc_datetime,
    new_styles,
    table_style,
)
from shelterdesk.store import settings as settings_repo

MONTHLY_TITLE = "月次入所状況報告"
FISCAL_TITLE = "年度統計"
CAPACITY_NOTE = {
    rf.CAPACITY_FROM_HISTORY: "定員は各日の定員（変更履歴）により計算",
    rf.CAPACITY_FROM_CURRENT: "定員の変更履歴がないため、現在の定員を全日に適用",
}
SUPPRESSION_NOTE = "小規模セル秘匿：1～2件は「<3」と表示し、その割合は表示しない"


def _footer(made: datetime, staff: str, head: str) -> str:
    who = f" {staff}" if staff else ""
    return f"作成 {format_doc_datetime(made, 'ja')}{who} ／ 監査ログ先頭 {head or '—'}"


def _grid(data: list[list], widths: list[float], *, header_rows: int = 1,
          label_cols: int = 1, size: float = 8.5) -> Table:
    t = Table(data, colWidths=widths, repeatRows=header_rows)
    cmds = [("GRID", (0, 0), (-1, -1), 0.5, LINE),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size + 2),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (label_cols, header_rows), (-1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if header_rows:
        cmds += [("BACKGROUND", (0, 0), (-1, header_rows - 1), GREY),
                 ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER")]
    t.setStyle(table_style(cmds))
    return t


def _side_by_side(tables: list, widths: list[float]) -> Table:
    t = Table([tables], colWidths=widths)
    t.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 4)]))
    return t


def _pct(value) -> str:
    return st.format_percent(value)


# -- monthly ------------------------------------------------------------------------------------

def _daily_chart(r: rf.MonthlyReport, width: float, height: float = 52 * mm) -> Drawing:
    """Women in residence each day (bars) against each day's capacity (line);
    the value axis starts at 0, labels in the embedded Japanese font."""
    font = fonts.chain("regular", "ja").primary
    o = r.occupancy
    d = Drawing(width, height)
    d.initialFontName = font  # the renderer's first font: never the unembedded Helvetica
    bc = VerticalBarChart()
    bc.x, bc.y, bc.width, bc.height = 28, 18, width - 48, height - 34
    bc.data = [o.residents_by_day]
    top = max([*o.residents_by_day, *o.capacity_by_day, 1])
    step = max(1, -(-top // 5))
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueMax = step * 5 if step * 5 >= top else step * 6
    bc.valueAxis.valueStep = step
    bc.valueAxis.labels.fontName = font
    bc.valueAxis.labels.fontSize = 7
    bc.categoryAxis.categoryNames = [str(day.day) if day.day in (1, 5, 10, 15, 20, 25)
                                     or day == o.period.last else ""
                                     for day in o.period.each_day()]
    bc.categoryAxis.labels.fontName = font
    bc.categoryAxis.labels.fontSize = 7
    bc.barLabels.fontName = font
    bc.bars[0].fillColor = colors.HexColor("#7A9CC6")
    bc.bars[0].strokeColor = None
    bc.barSpacing = 0.5
    d.add(bc)
    # the capacity, day by day, as a line over the bars
    lp = LinePlot()
    lp.x, lp.y, lp.width, lp.height = bc.x, bc.y, bc.width, bc.height
    n = len(o.capacity_by_day)
    lp.data = [[(i + 0.5, c) for i, c in enumerate(o.capacity_by_day)]]
    lp.xValueAxis.valueMin, lp.xValueAxis.valueMax = 0, n
    lp.xValueAxis.visible = False
    lp.yValueAxis.valueMin, lp.yValueAxis.valueMax = 0, bc.valueAxis.valueMax
    lp.yValueAxis.visible = False
    for axis in (lp.xValueAxis, lp.yValueAxis):
        axis.labels.fontName = font  # invisible, but never ReportLab's unembedded Helvetica
    lp.lineLabels.fontName = font
    lp.lines[0].strokeColor = colors.HexColor("#C00000")
    lp.lines[0].strokeWidth = 1.2
    d.add(lp)
    d.add(String(bc.x, height - 10, "日別在所者数（棒）と定員（赤線）　人", fontName=font,
                 fontSize=8))
    d.add(String(bc.x + bc.width + 10, 8, "日", fontName=font, fontSize=7, textAnchor="end"))
    return d


def _code_rows(code_list: codes.CodeList, counts: dict[str, int], count) -> list[list]:
    rows = [[rf.ja_code(code_list, k), count(v)] for k, v in counts.items() if v]
    return rows or [["（なし）", ""]]


def monthly_story(r: rf.MonthlyReport, s) -> list:
    o, m, c = r.occupancy, r.movement, r.count
    out: list = [s.p(f"{MONTHLY_TITLE}（{r.label}分）", s.h1, ja=True, bold=True),
                 Spacer(0, 1 * mm)]
    half = CONTENT_W / 2
    left = [["定員（月末）", f"{r.capacity}人"], ["日数", f"{r.period.days}日"],
            ["入所者延べ人数", f"{o.resident_person_days}人日"],
            ["同伴児童延べ人数", f"{o.child_person_days}人日"],
            ["入所率", _pct(o.occupancy_rate_pct)]]
    right = [["月初在所者数", c(o.in_residence_start)], ["入所者数", c(m.admissions)],
             ["退所者数", c(m.discharges)], ["月末在所者数", c(o.in_residence_end)],
             ["退所者の平均在所日数", st.format_decimal(r.average_stay_days)]]
    out.append(_side_by_side([_grid(left, [36 * mm, half - 40 * mm], header_rows=0),
                              _grid(right, [40 * mm, half - 40 * mm], header_rows=0)],
                             [half, half]))
    notes = [CAPACITY_NOTE[r.capacity_source] + (
        f"（定員延べ {o.capacity_days}人日）" if o.capacity_changed else "")]
    if r.suppress:
        notes.append(SUPPRESSION_NOTE + "。日別の図は省略")
    out.append(s.p("／".join(notes), s.small, ja=True))
    if not r.suppress:
        out.append(_daily_chart(r, CONTENT_W))
    third = CONTENT_W / 3
    out.append(s.p("入所・退所の内訳", s.h2, ja=True, bold=True))
    out.append(_side_by_side([
        _grid([["主訴別入所", "人"], *_code_rows(codes.MAIN_COMPLAINT, m.main_complaint, c)],
              [third - 16 * mm, 12 * mm], size=7.5),
        _grid([["来所経路別入所", "人"],
               *_code_rows(codes.REFERRAL_SOURCE, m.referral_source, c)],
              [third - 16 * mm, 12 * mm], size=7.5),
        _grid([["退所先別退所", "人"],
               *_code_rows(codes.DISCHARGE_DESTINATION, m.discharge_destination, c)],
              [third - 16 * mm, 12 * mm], size=7.5)], [third] * 3))
    out.append(s.p("居室別延べ人数・講座・退所後支援", s.h2, ja=True, bold=True))
    rooms = [(name or "（居室なし）", n) for name, n in o.by_room.items()] or [("（なし）", "")]
    pairs = 3
    per_col = -(-len(rooms) // pairs)
    grid = [["居室", "人日"] * pairs]
    for i in range(per_col):
        line: list = []
        for k in range(pairs):
            j = k * per_col + i
            line += list(rooms[j]) if j < len(rooms) else ["", ""]
        grid.append(line)
    left_w = CONTENT_W * 0.58
    rooms_box = _grid(grid, [left_w / pairs - 13 * mm, 12 * mm] * pairs, size=7.5)
    rooms_box.setStyle(table_style([("ALIGN", (0, 1), (-1, -1), "RIGHT"),
                                    *[("ALIGN", (2 * k, 1), (2 * k, -1), "LEFT")
                                      for k in range(pairs)],
                                    ("FONTSIZE", (0, 0), (-1, -1), 7.5)]))
    other = _grid([["自立支援講座の実施回数", r.programme_sessions],
                   ["退所後支援 予定", c(r.aftercare.due)],
                   ["　うち実施済み", c(r.aftercare.done)],
                   ["　うち期限超過（未実施）", c(r.aftercare.overdue)]],
                  [CONTENT_W * 0.42 - 20 * mm, 16 * mm], header_rows=0, size=7.5)
    out.append(_side_by_side([rooms_box, other], [left_w + 2 * mm, CONTENT_W * 0.42 - 2 * mm]))
    out.append(Spacer(0, 1.5 * mm))
    out.append(s.p("延べ人数：各日の在所者数の合計（入所日から退所日の前日まで。同日入退所は1）。"
                   "入所率＝入所者延べ人数÷（各日の定員の合計）。居室は最後に使用したベッドの居室。",
                   s.small, ja=True))
    return out


def build_monthly(db, r: rf.MonthlyReport, staff_name: str = "",
                  now: datetime | None = None) -> PdfResult:
    now = now or datetime.now()
    styles = new_styles("ja")
    page = Page(facility=settings_repo.facility_name(db), title=f"{MONTHLY_TITLE} {r.label}",
                footer_left=_footer(now, staff_name, r.audit_head), lang="ja")
    return build_pdf(page, styles, lambda s: monthly_story(r, s))


# -- fiscal year ---------------------------------------------------------------------------------

def fiscal_story(r: rf.FiscalYearReport, s) -> list:
    cur, prev = r.current, r.previous
    h2 = ParagraphStyle("h2_compact", parent=s.h2, spaceBefore=4, spaceAfter=2)
    c = r.count
    out: list = [s.p(f"{FISCAL_TITLE}（{r.label}）", s.h1, ja=True, bold=True),
                 s.p(f"対象：{_ymd(st.fiscal_year_period(cur.fiscal_year).first)}～"
                     f"{_ymd(st.fiscal_year_period(cur.fiscal_year).last)}"
                     f"（前年度 {prev.label} を併記）", s.small, ja=True)]
    notes = ["割合は小数点以下第2位を四捨五入", "同伴率＝同伴児童がいる入所者数÷入所者数",
             "年齢は入所日時点（生年月日不明は推定年齢、なければ不明）",
             CAPACITY_NOTE[r.capacity_source]]
    if r.suppress:
        notes.append(SUPPRESSION_NOTE)
    out.append(s.p("。".join(notes) + "。", s.small, ja=True))
    p_short, c_short = _short(prev.fiscal_year), _short(cur.fiscal_year)

    out.append(s.p("表3 一時保護人数の推移", h2, ja=True, bold=True))
    out.append(_grid([["", prev.label, cur.label],
                      ["一時保護人数（入所者数）", c(prev.movement.admissions),
                       c(cur.movement.admissions)],
                      ["同伴児童数", c(prev.movement.companion_children),
                       c(cur.movement.companion_children)],
                      ["同伴児童がいる入所者数", c(prev.movement.admissions_with_children),
                       c(cur.movement.admissions_with_children)],
                      ["同伴率", _pct(r.companion_rate(prev)), _pct(r.companion_rate(cur))]],
                     [70 * mm, 35 * mm, 35 * mm]))

    out.append(s.p("表4 年代別一時保護の状況", h2, ja=True, bold=True))
    head = ["", "", *[st.AGE_BRACKET_JA[k] for k in st.AGE_BRACKETS], "合計"]
    rows = [head]
    for short, y in ((c_short, cur), (p_short, prev)):
        n = y.movement.admissions
        rows.append([short, "人数", *[c(y.movement.age_brackets[k]) for k in st.AGE_BRACKETS],
                     c(n)])
        rows.append(["", "割合", *[_pct(r.pct(y.movement.age_brackets[k], n))
                                   for k in st.AGE_BRACKETS],
                     _pct(st.percent(n, n))])
    w = (CONTENT_W - 20 * mm) / 9
    t4 = _grid(rows, [9 * mm, 11 * mm, *[w] * 9], label_cols=2, size=7.5)
    t4.setStyle(table_style([("SPAN", (0, 1), (0, 2)), ("SPAN", (0, 3), (0, 4)),
                             ("FONTSIZE", (0, 0), (-1, -1), 7.5)]))
    out.append(t4)

    out.append(s.p("表5 主訴別一時保護の状況", h2, ja=True, bold=True))
    rows = [["主訴", f"{p_short}件数", f"{c_short}件数", f"{c_short}割合"]]
    for k in cur.movement.main_complaint:
        rows.append([rf.ja_code(codes.MAIN_COMPLAINT, k),
                     c(prev.movement.main_complaint.get(k, 0)),
                     c(cur.movement.main_complaint[k]),
                     _pct(r.pct(cur.movement.main_complaint[k], cur.movement.admissions))])
    rows.append(["合計", c(prev.movement.admissions), c(cur.movement.admissions),
                 _pct(st.percent(cur.movement.admissions, cur.movement.admissions))])
    out.append(_grid(rows, [62 * mm, 26 * mm, 26 * mm, 26 * mm]))

    half = CONTENT_W / 2

    def code_table(title, code_list, get):
        rows = [[title, p_short, c_short]]
        keys = list(dict.fromkeys([*get(cur), *get(prev)]))
        for k in keys:
            rows.append([rf.ja_code(code_list, k), c(get(prev).get(k, 0)),
                         c(get(cur).get(k, 0))])
        return _grid(rows, [half - 32 * mm, 13 * mm, 13 * mm], size=7.5)

    out.append(s.p("来所経路・退所先", h2, ja=True, bold=True))
    out.append(_side_by_side([
        code_table("来所経路別入所者数", codes.REFERRAL_SOURCE,
                   lambda y: y.movement.referral_source),
        code_table("退所先別退所者数", codes.DISCHARGE_DESTINATION,
                   lambda y: y.movement.discharge_destination)], [half, half]))

    out.append(s.p("在所日数・自立支援講座・退所後支援", h2, ja=True, bold=True))
    kpi = st.PROGRAMME_KPI
    left = _grid([["", p_short, c_short],
                  ["退所者数", c(prev.movement.discharges), c(cur.movement.discharges)],
                  ["平均在所日数", st.format_decimal(r.average_stay(prev)),
                   st.format_decimal(r.average_stay(cur))],
                  ["入所者延べ人数", prev.resident_person_days, cur.resident_person_days],
                  ["入所率", _pct(prev.occupancy_rate_pct), _pct(cur.occupancy_rate_pct)],
                  [f"自立支援講座（目標{kpi}回）", prev.programme_sessions,
                   cur.programme_sessions],
                  ["目標達成", "達成" if prev.programme_sessions >= kpi else "未達",
                   "達成" if cur.programme_sessions >= kpi else "未達"]],
                 [half - 32 * mm, 13 * mm, 13 * mm], size=7.5)
    right = _grid([["退所後支援の結果", p_short, c_short],
                   *[[o.ja_label, c(prev.aftercare_done.get(o.code, 0)),
                      c(cur.aftercare_done.get(o.code, 0))] for o in codes.AFTERCARE_OUTCOME]],
                  [half - 32 * mm, 13 * mm, 13 * mm], size=7.5)
    out.append(_side_by_side([left, right], [half, half]))
    return out


def _ymd(d) -> str:
    return format_era(d)


def _short(fy: int) -> str:
    """R4 for fiscal year 2022 (the seed's column heads)."""
    label = fiscal_year_label(fy)
    era = {"令和": "R", "平成": "H", "昭和": "S"}
    for name, letter in era.items():
        if label.startswith(name):
            y = label[len(name):].removesuffix("年度")
            return f"{letter}{1 if y == '元' else y}"
    return str(fy)


def build_fiscal_year(db, r: rf.FiscalYearReport, staff_name: str = "",
                      now: datetime | None = None) -> PdfResult:
    now = now or datetime.now()
    styles = new_styles("ja")
    page = Page(facility=settings_repo.facility_name(db), title=f"{FISCAL_TITLE} {r.label}",
                footer_left=_footer(now, staff_name, r.audit_head), lang="ja")
    return build_pdf(page, styles, lambda s: fiscal_story(r, s))
