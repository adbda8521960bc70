"""Printed sheets across pages: a heading never stays alone at a page's foot,
and every page names whose sheet it is. Checked with poppler's pdftotext, page
by page. All names are plainly fictitious."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

from reportlab.platypus import Spacer

from shelterdesk.core.models import Child, Consent, Resident, SafetyFlags, Stay
from shelterdesk.reports import common
from shelterdesk.reports.common import MARGIN_BOTTOM, MARGIN_TOP, PAGE_H, Page, build_pdf
from shelterdesk.reports.consent_sheet import build_consent_sheet
from shelterdesk.reports.intake_sheet import build_intake_sheet
from shelterdesk.store import rooms, stays

NOW = datetime(2026, 11, 21, 22, 5)


def _pages(data: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    return text.split("\f")[:-1]


def test_a_heading_moves_to_the_next_page_with_its_table():
    styles = common.new_styles("ja")
    room = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

    def story(s):
        table = common.grid_table([[s.p("項目", s.label), s.p("内容", s.label)],
                                   [s.p("架空の行", s.cell), s.p("架空の値", s.cell)]],
                                  [40 * 2.83, 100 * 2.83])
        # Room for the heading alone at the foot of page 1, not for its table.
        return [Spacer(0, room - 30), s.p("見出し（架空）", s.h2), table]

    pages = _pages(build_pdf(Page("施設", "題", "印刷", "ja"), styles, story).data)
    assert len(pages) == 2
    assert "見出し（架空）" not in pages[0]
    assert "見出し（架空）" in pages[1] and "架空の行" in pages[1]


def _two_page_stay(db, consents: int) -> int:
    bed = next(b for b in rooms.free_beds(db) if b.family_room)
    kids = [Child(family_name="見本", given_name=g, family_kana="みほん", given_kana="こ",
                  birth_date=date(2019, 5, i + 1), sex="F") for i, g in enumerate("結陽凛")]
    r = Resident(family_name="見本", given_name="花子", family_kana="みほん", given_kana="はなこ",
                 birth_date=date(1990, 4, 1), nationality="VN", language="vi",
                 health_notes="架空の記録。" * 60,
                 safety=SafetyFlags(True, "issued", "high", "架空の注意事項", True))
    cons = [Consent(scope="municipality_aftercare", recipient=f"架空市{i}",
                    given_on=date(2026, 11, 21)) for i in range(consents)]
    s = stays.admit(db, stays.Admission(r, Stay(
        admitted_at=datetime(2026, 11, 21, 21, 30), admission_type="temporary_protection",
        main_complaint="dv_spouse", referral_source="police", bed_id=bed.bed_id), kids, [],
        cons), now=datetime(2026, 11, 21, 22, 0))
    return s.id


HEADINGS = ("安全", "基本情報", "入所", "同伴児", "健康", "同意")


def test_every_page_of_both_sheets_names_her_numbers(db):
    from shelterdesk.i18n import set_language
    set_language("ja")
    sid = _two_page_stay(db, 3)
    rid = stays.get_stay(db, sid).resident_id
    whose = f"入所者番号 {rid}／入所番号 {sid}"
    for data in (build_intake_sheet(db, sid, lang="ja", now=NOW).data,
                 build_consent_sheet(db, sid, "ja", now=NOW).data):
        pages = _pages(data)
        assert len(pages) >= 2
        for page in pages:
            assert whose in page


def test_no_heading_of_the_intake_sheet_is_left_at_a_page_foot(db):
    """Whatever the length of what comes before, a heading's last line on a
    page is never the heading itself."""
    for consents in range(0, 9):
        sid = _two_page_stay(db, consents)
        for page in _pages(build_intake_sheet(db, sid, lang="ja", now=NOW).data)[:-1]:
            lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
            body = [ln for ln in lines if not ln.startswith("印刷日時")]
            assert body[-1] not in HEADINGS, (consents, body[-3:])
        stays.discharge(db, sid, date(2026, 11, 21), "relatives")


def test_nationality_and_language_print_as_names_never_codes(db):
    sid = _two_page_stay(db, 0)
    text = "".join(_pages(build_intake_sheet(db, sid, lang="ja", now=NOW).data))
    assert "ベトナム" in text and "ベトナム語" in text
    assert " VN" not in text and "(vi)" not in text
