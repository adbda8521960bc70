"""What every printed document shares: A4 pages with the 取扱注意 mark, the
running header and footer ("1 / 2", printed-at, staff), paragraph styles that
draw through the font fallback chains, and :class:`PdfResult`.

Documents are built in memory and returned as bytes. Nothing here writes a
file, logs, or puts personal data in an exception: the caller decides where
the PDF goes (preview, printer, or a path the user chose). Every document
carries the confidential mark on every page; do not add a way to turn it off.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

from shelterdesk.core.dates import format_date
from shelterdesk.i18n import N_, translation
from shelterdesk.reports import fonts

PAGE_W, PAGE_H = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X

RED = colors.HexColor("#C00000")
GREY = colors.HexColor("#EDEDED")
LINE = colors.HexColor("#555555")

#: The confidential mark, in Japanese on every document (staff file them).
CONFIDENTIAL_JA = "取扱注意"
CONFIDENTIAL = N_("Confidential")


@dataclass
class PdfResult:
    """A finished document: the PDF bytes and the characters it could not draw.

    Show :attr:`missing` to staff *before* printing (they may choose to print
    anyway; the characters appear as 〓). It holds code points only, never the
    text around them."""
    data: bytes
    pages: int
    missing: tuple[str, ...] = ()

    @property
    def missing_codepoints(self) -> list[str]:
        return [f"U+{ord(c):04X}" for c in self.missing]


def format_doc_date(d: date | None, lang: str) -> str:
    """Japanese documents use the era (令和8年11月21日), others the locale format."""
    return format_date(d, lang=lang, era=True)


def format_doc_datetime(dt: datetime, lang: str) -> str:
    return f"{format_doc_date(dt.date(), lang)} {dt:%H:%M}"


@dataclass
class Page:
    """Text of the running header and footer (already translated)."""
    facility: str
    title: str
    footer_left: str
    lang: str
    confidential_local: str = ""  # the mark in her language, under 取扱注意
    #: Whose sheet (resident and stay numbers), in the footer of every page:
    #: a page 2 that slips out of the file still says where it belongs.
    whose: str = ""


class _Styles:
    def __init__(self, lang: str, report: fonts.GlyphReport):
        self.lang = lang
        self.report = report
        cjk = lang in ("ja", "zh")
        self.regular = fonts.chain("regular", lang)
        self.bold = fonts.chain("bold", lang)
        self.ja = fonts.chain("regular", "ja")
        self.ja_bold = fonts.chain("bold", "ja")
        wrap = "CJK" if cjk else None

        def style(name, chain, size, leading=None, **kw):
            return ParagraphStyle(name, fontName=chain.primary, fontSize=size,
                                  leading=leading or size * 1.45, wordWrap=wrap,
                                  shaping=1, **kw)

        self.body = style("body", self.regular, 9.5)
        self.small = style("small", self.regular, 8)
        self.cell = style("cell", self.regular, 9.5, 13)
        self.label = style("label", self.regular, 8.5, 12, textColor=colors.HexColor("#333333"))
        self.h1 = style("h1", self.bold, 16, 22, alignment=TA_CENTER, spaceAfter=2)
        # A heading is kept with what follows it: never alone at a page's foot.
        self.h2 = style("h2", self.bold, 11, 15, spaceBefore=7, spaceAfter=3, keepWithNext=1)
        self.flag = style("flag", self.bold, 9.5, 13, textColor=RED)
        self.header = style("header", self.regular, 8, 10)
        self.ja_small = ParagraphStyle("ja_small", parent=self.small, fontName=self.ja.primary,
                                       wordWrap="CJK")
        self.ja_title = ParagraphStyle("ja_title", parent=self.h1, fontName=self.ja_bold.primary,
                                       wordWrap="CJK", fontSize=12, leading=16)

    def p(self, text: str, style: ParagraphStyle | None = None, *, bold: bool = False,
          ja: bool = False) -> Paragraph:
        """A paragraph of plain text (escaped here; never pass markup)."""
        style = style or self.body
        if ja:
            chain = self.ja_bold if bold else self.ja
        else:
            chain = self.bold if bold or style in (self.h1, self.h2, self.flag) else self.regular
        return Paragraph(chain.markup(text, self.report), style)


def table_style(cmds: list) -> TableStyle:
    """A TableStyle whose plain-string cells use an embedded font: ReportLab's
    default cell font is Helvetica, which is never embedded."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.chain().primary), *cmds])


def label_value_table(rows: list[tuple[Paragraph, object]], label_w: float = 34 * mm,
                      width: float = CONTENT_W) -> Table:
    """Two columns, grey labels: the form look staff know from paper."""
    t = Table([list(r) for r in rows], colWidths=[label_w, width - label_w])
    t.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BACKGROUND", (0, 0), (0, -1), GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def grid_table(data: list[list], col_widths: list[float], header: bool = True) -> Table:
    t = Table(data, colWidths=col_widths, repeatRows=1 if header else 0)
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), GREY))
    t.setStyle(table_style(cmds))
    return t


def _canvas_class(page: Page, styles: _Styles, counter: list[int]) -> type[Canvas]:
    """A canvas that holds pages back until the end, so each can say "n / N"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            # Never let ReportLab fall back to its unembedded Helvetica.
            kwargs["initialFontName"] = styles.regular.primary
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []
            self.setTitle(page.title)
            self.setCreator("ShelterDesk")
            self.setAuthor("")
            self.setSubject("")

        def showPage(self):
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved)
            counter.append(total)
            for state in self._saved:
                self.__dict__.update(state)
                _decorate(self, page, styles, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _decorate(c: Canvas, page: Page, styles: _Styles, n: int, total: int) -> None:
    rep = styles.report
    top = PAGE_H - 12 * mm
    c.saveState()
    # 取扱注意: red, boxed, top right, on every page.
    c.setStrokeColor(RED)
    c.setFillColor(RED)
    c.setLineWidth(1.6)
    size = 13
    w = styles.ja_bold.width(CONFIDENTIAL_JA, size)
    sub = page.confidential_local
    sub_w = styles.bold.width(sub, 7) if sub else 0
    box_w = max(w, sub_w) + 6 * mm
    box_h = (10 if not sub else 13.5) * mm * 0.75
    x1 = PAGE_W - MARGIN_X
    c.rect(x1 - box_w, top - box_h + 5.5 * mm, box_w, box_h, stroke=1, fill=0)
    styles.ja_bold.draw(c, x1 - box_w / 2, top, CONFIDENTIAL_JA, size, rep, align="center")
    if sub:
        styles.bold.draw(c, x1 - box_w / 2, top - 3.3 * mm, sub, 7, rep, align="center")
    # Facility and title, top left.
    c.setFillColor(colors.black)
    styles.ja.draw(c, MARGIN_X, top + 1.5 * mm, page.facility, 9, rep)
    # The title is in her language (with the Japanese title for staff). Drawn
    # as a paragraph in her language's chain: Vietnamese words stay in one
    # font, and Devanagari is shaped (canvas.drawString does not shape).
    title = styles.p(page.title, styles.header)
    title.wrapOn(c, CONTENT_W * 0.7, 20 * mm)
    title.drawOn(c, MARGIN_X, top - 3 * mm - 2)
    c.setStrokeColor(LINE)
    c.setLineWidth(0.5)
    c.line(MARGIN_X, PAGE_H - MARGIN_TOP + 3 * mm, PAGE_W - MARGIN_X,
           PAGE_H - MARGIN_TOP + 3 * mm)
    # Footer: printed at / by, page n / N.
    y = 10 * mm
    c.line(MARGIN_X, y + 4 * mm, PAGE_W - MARGIN_X, y + 4 * mm)
    styles.regular.draw(c, MARGIN_X, y, page.footer_left, 7.5, rep)
    if page.whose:
        styles.bold.draw(c, PAGE_W - MARGIN_X - 16 * mm, y, page.whose, 8, rep, align="right")
    styles.regular.draw(c, PAGE_W - MARGIN_X, y, f"{n} / {total}", 9, rep, align="right")
    c.restoreState()


def build_pdf(page: Page, styles: _Styles, story_factory: Callable[[_Styles], list]) -> PdfResult:
    """Lay out ``story_factory(styles)`` on numbered, marked A4 pages."""
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=page.title,
                          author="", subject="", creator="ShelterDesk",
                          invariant=False)
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    counter: list[int] = []
    story = story_factory(styles)
    doc.build(story, canvasmaker=_canvas_class(page, styles, counter))
    return PdfResult(buf.getvalue(), counter[-1] if counter else 0,
                     tuple(sorted(styles.report.missing)))


def new_styles(lang: str) -> _Styles:
    return _Styles(lang, fonts.GlyphReport())


def gettext_for(lang: str) -> Callable[[str], str]:
    return translation(lang).gettext


def signature_lines(styles: _Styles, labels: list[str], width: float = CONTENT_W) -> Table:
    """Label, then a long rule to sign on; one row per label."""
    rows = [[styles.p(lab, styles.label), ""] for lab in labels]
    t = Table(rows, colWidths=[55 * mm, width - 55 * mm], rowHeights=[11 * mm] * len(rows))
    t.setStyle(table_style([
        ("LINEBELOW", (1, 0), (1, -1), 0.7, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return t


def checkbox(ticked: bool) -> str:
    return "☑" if ticked else "☐"
