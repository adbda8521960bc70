"""自立支援計画書 — her independence plan, for her to read and sign.

In Japanese or in her language (the nine of the consent sheet). Headings,
labels, statuses and the explanation go through the catalog of the *document*
language; the goals and milestones stay exactly as the caseworker typed them
(translating them would put words in her mouth). Non-Japanese catalogs are
drafts awaiting review: each such sheet carries the same note to staff, in
Japanese, as the consent sheet.

A stay without a plan prints a blank form with her name, one block per domain
with empty lines, for a plan made by hand with her. Like the consent sheet, it
names neither the facility nor its address: she keeps a copy.
"""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from shelterdesk.core import codes
from shelterdesk.core.plans import Goal, Plan
from shelterdesk.i18n import DOCUMENT_LANGUAGES, N_
from shelterdesk.reports.common import (
    CONFIDENTIAL,
    CONTENT_W,
    GREY,
    LINE,
    RED,
    Page,
    PdfResult,
    build_pdf,
    format_doc_date,
    format_doc_datetime,
    gettext_for,
    new_styles,
    signature_lines,
    table_style,
)
from shelterdesk.reports.consent_sheet import DRAFT_NOTE_JA, NAME_LINE, PRINTED
from shelterdesk.store import plans as plans_repo
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import stays as stays_repo

TITLE = N_("Independence support plan")
TITLE_JA = "自立支援計画書"
INTRO = N_("This plan sets out the goals you have chosen together with us for your life "
           "after the shelter, and the steps towards each goal. It is your plan: you can "
           "change it with us at any time. Please read it, ask about anything that is not "
           "clear, and sign below if you agree.")
BLANK_INTRO = N_("Write the goals you choose together with us and the steps towards each "
                 "goal. It is your plan: you can change it with us at any time.")
MADE_ON = N_("Plan made on: {date}")
LAST_REVIEW = N_("Last review: {date}")
NEXT_REVIEW = N_("Next review: {date}")
GOALS_HEAD = N_("Your goals and the steps towards them")
GOAL = N_("Goal:")
COLUMNS = (N_("Step"), N_("By"), N_("Status"), N_("Who helps"))
OVERDUE = N_("overdue")
NO_STEPS = N_("No steps written yet.")
PARTNER = N_("with {agency}")
SIGN_HEAD = N_("Signatures")
DECLARATION = N_("I have read this plan, I understand it, and I agree to work on it "
                 "together with the staff.")
SIGN_LABELS = (N_("Date"), N_("Signature (resident)"), N_("Caseworker"),
               N_("Interpreter (if any)"))
BLANK_ROWS = 3


def build_plan_sheet(db, stay_id: int, lang: str, *, now: datetime | None = None) -> PdfResult:
    """The plan of stay ``stay_id`` in ``lang`` (a blank form when she has no
    plan yet). ValueError for a language not offered, NotFound for an unknown
    stay. The caller audits the print; reading here is not a view."""
    if lang not in DOCUMENT_LANGUAGES:
        raise ValueError(f"no plan sheet in language {lang!r}")
    stay = stays_repo.get_stay(db, stay_id)
    resident = residents_repo.get_resident(db, stay.resident_id, audit_view=False)
    plan = plans_repo.get_plan(db, stay_id, audit_view=False)
    now = now or datetime.now()
    t = gettext_for(lang)
    page = Page(facility="", title=TITLE_JA if lang == "ja" else f"{TITLE_JA} / {t(TITLE)}",
                footer_left=t(PRINTED).format(when=format_doc_datetime(now, lang)),
                lang=lang, confidential_local="" if lang == "ja" else t(CONFIDENTIAL))
    name = resident.legal_name or resident.alias

    def story(s) -> list:
        return _story(s, t, lang, name, stay.admitted_on, plan, now.date())

    return build_pdf(page, styles=new_styles(lang), story_factory=story)


def _domain_label(t, lang: str, code: str) -> str:
    c = codes.PLAN_DOMAIN.get(code)
    if c is None:
        return code
    return c.ja_label if lang == "ja" else t(c.label)


def _status_label(t, lang: str, code: str) -> str:
    c = codes.MILESTONE_STATUS.get(code)
    if c is None:
        return code
    return c.ja_label if lang == "ja" else t(c.label)


def _story(s, t, lang: str, name: str, admitted: date | None, plan: Plan | None,
           today: date) -> list:
    out: list = []
    if lang != "ja":
        out.append(s.p(TITLE_JA, s.ja_title, ja=True))
    out.append(s.p(t(TITLE), s.h1))
    if lang != "ja":
        note = Table([[s.p(DRAFT_NOTE_JA, s.ja_small, ja=True)]], colWidths=[CONTENT_W])
        note.setStyle(table_style([("BOX", (0, 0), (-1, -1), 0.5, RED),
                                  ("TOPPADDING", (0, 0), (-1, -1), 2),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        out += [Spacer(0, 1 * mm), note]
    out += [Spacer(0, 2 * mm),
            s.p(t(NAME_LINE).format(name=name, date=format_doc_date(admitted, lang)), s.body)]
    blank = "____________"
    if plan is None:
        made = last = nxt = blank
    else:
        made = format_doc_date(plan.created_on, lang)
        last = format_doc_date(plan.last_review.reviewed_on, lang) if plan.last_review else "—"
        nxt = format_doc_date(plan.next_review_on, lang) if plan.next_review_on else blank
    out.append(s.p("    ".join((t(MADE_ON).format(date=made), t(LAST_REVIEW).format(date=last),
                                t(NEXT_REVIEW).format(date=nxt))), s.body))
    out += [Spacer(0, 1.5 * mm), s.p(t(INTRO if plan is not None else BLANK_INTRO), s.body),
            s.p(t(GOALS_HEAD), s.h2)]
    if plan is None:
        goals = [Goal(domain=c.code) for c in codes.PLAN_DOMAIN]
    else:
        goals = plan.goals
    for goal in goals:
        out.append(_goal_block(s, t, lang, goal, today, blank=plan is None))
    out.append(KeepTogether([
        s.p(t(SIGN_HEAD), s.h2), s.p(t(DECLARATION), s.body),
        signature_lines(s, [t(x) for x in SIGN_LABELS])]))
    return out


def _goal_block(s, t, lang: str, goal: Goal, today: date, *, blank: bool) -> KeepTogether:
    head = s.p(_domain_label(t, lang, goal.domain), s.h2)
    goal_line = s.p(f"{t(GOAL)} {goal.goal}" if goal.goal else f"{t(GOAL)} " + "_" * 40,
                    s.body)
    widths = [CONTENT_W * 0.35, 33 * mm, 30 * mm]
    widths.append(CONTENT_W - sum(widths))
    rows = [[s.p(t(c), s.label) for c in COLUMNS]]
    red_rows = []
    for m in goal.milestones:
        status = _status_label(t, lang, m.status)
        if m.status == "dropped" and m.dropped_reason:
            status += f": {m.dropped_reason}"
        if m.overdue(today):
            status += f" ({t(OVERDUE)})"
            red_rows.append(len(rows))
        who = ", ".join(x for x in (m.responsible,
                                    t(PARTNER).format(agency=m.partner_agency)
                                    if m.partner_agency else "") if x)
        rows.append([s.p(m.title, s.cell), s.p(format_doc_date(m.target_on, lang), s.cell),
                     s.p(status, s.flag if m.overdue(today) else s.cell), s.p(who, s.cell)])
    if blank:
        rows += [["", "", "", ""] for _ in range(BLANK_ROWS)]
    elif not goal.milestones:
        rows.append([s.p(t(NO_STEPS), s.small), "", "", ""])
    table = Table(rows, colWidths=widths, repeatRows=1,
                  rowHeights=None if not blank else [None] + [8 * mm] * BLANK_ROWS)
    table.setStyle(table_style([
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *[("TEXTCOLOR", (0, r), (-1, r), colors.HexColor("#C00000")) for r in red_rows],
    ]))
    return KeepTogether([head, goal_line, Spacer(0, 1 * mm), table])
