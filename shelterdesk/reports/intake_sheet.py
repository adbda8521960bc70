"""入所受付票 — the intake sheet, printed at the intake desk and filed.

Read through the store's functions only (no SQL here) and built in memory.
The sheet holds everything sensitive about her (legal name, safety flags,
children); it is marked 取扱注意 on every page and never written anywhere but
where the caller puts the bytes. Do not add the facility's address to it, and
do not log or raise with any field of the record.

Labels are English msgids translated with the document language's catalog;
code values use the Japanese labels of DOMAIN.md verbatim on Japanese sheets
(``Code.ja_label``), so the sheet never shows an English code label by accident.
"""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from shelterdesk.core import codes
from shelterdesk.core.countries import nationality_name
from shelterdesk.core.dates import age_on
from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.i18n import N_
from shelterdesk.reports.common import (
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
    grid_table,
    label_value_table,
    new_styles,
    table_style,
)
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import rooms as rooms_repo
from shelterdesk.store import settings as settings_repo
from shelterdesk.store import stays as stays_repo

TITLE = N_("Intake sheet")
TITLE_JA = "入所受付票"


def code_label(code_list: codes.CodeList, code: str | None, lang: str, t) -> str:
    c = code_list.get(code) if code else None
    if c is None:
        return code or ""
    return c.ja_label if lang == "ja" else t(c.label)


def language_name(code: str, lang: str) -> str:
    """'vi' → ベトナム語 on a Japanese sheet (a name, never the raw code);
    what was typed if Babel has no name for it."""
    if not code:
        return ""
    try:
        name = Locale.parse({"tl": "fil"}.get(code, code)).get_display_name(
            {"tl": "fil", "zh": "zh_Hans"}.get(lang, lang))
    except Exception:  # an odd code typed by staff must not stop the sheet
        return code
    return name or code


#: Under the title of page 1 and in the footer of every page.
WHOSE = N_("Resident no. {rid} / Stay no. {sid}")


def build_intake_sheet(db, stay_id: int, *, staff_name: str = "", lang: str = "ja",
                       now: datetime | None = None) -> PdfResult:
    """The intake sheet of stay ``stay_id``.

    Raises ``store.errors.NotFound`` when there is no such stay (the message
    names the number only). The caller audits the print or save; this
    function reads without auditing a view (the print audit covers it).
    """
    stay = stays_repo.get_stay(db, stay_id)
    resident = residents_repo.get_resident(db, stay.resident_id, audit_view=False)
    kids = [c for c in residents_repo.children_of(db, resident.id) if c.id in stay.child_ids]
    consents = residents_repo.consents_of(db, resident.id)
    room, bed = rooms_repo.bed_label(db, stay.bed_id)
    facility = settings_repo.facility_name(db)
    now = now or datetime.now()
    t = gettext_for(lang)
    styles = new_styles(lang)
    printed = t(N_("Printed {when} by {staff}")).format(
        when=format_doc_datetime(now, lang), staff=staff_name or "—")
    page = Page(facility=facility, title=t(TITLE), footer_left=printed, lang=lang,
                whose=t(WHOSE).format(rid=resident.id, sid=stay.id))
    sheet = _Sheet(styles, t, lang, now.date())
    return build_pdf(page, styles, lambda s: sheet.story(
        resident, stay, kids, consents, room, bed, facility))


class _Sheet:
    def __init__(self, styles, t, lang: str, today: date):
        self.s, self.t, self.lang, self.today = styles, t, lang, today

    def d(self, value: date | None) -> str:
        return format_doc_date(value, self.lang)

    def yes_no(self, value: bool) -> str:
        return self.t(N_("Yes")) if value else self.t(N_("No"))

    def lv(self, rows: list[tuple[str, str]], label_w: float = 36 * mm):
        s = self.s
        return label_value_table([(s.p(self.t(k), s.label), s.p(v or "—", s.cell))
                                  for k, v in rows], label_w)

    def h2(self, text: str):
        return self.s.p(self.t(text), self.s.h2)

    def story(self, r: Resident, stay: Stay, kids: list[Child], consents: list[Consent],
              room: str, bed: str, facility: str) -> list:
        s, t = self.s, self.t
        out: list = [s.p(t(TITLE), s.h1),
                     s.p(t(WHOSE).format(rid=r.id, sid=stay.id), s.small),
                     Spacer(0, 2 * mm)]
        out += [self.h2(N_("Safety")), self.safety(r)]
        out += [self.h2(N_("Essentials")), self.essentials(r, stay)]
        out += [self.h2(N_("Admission")), self.admission(stay, room, bed)]
        out += [self.h2(N_("Companion children")), self.children(kids, stay)]
        out += [self.h2(N_("Health")), self.health(r)]
        out += [self.h2(N_("Consents")), self.consents(consents)]
        out += [Spacer(0, 4 * mm), KeepTogether(self.signatures())]
        return out

    def essentials(self, r: Resident, stay: Stay):
        t = self.t
        admitted = stay.admitted_on or self.today
        if r.birth_date:
            born = t(N_("{date} (age {age})")).format(
                date=self.d(r.birth_date), age=age_on(r.birth_date, admitted))
        elif r.estimated_age is not None:
            born = t(N_("Unknown (estimated age {age})")).format(age=r.estimated_age)
        else:
            born = ""
        lang = language_name(r.language, self.lang)
        interp = t(N_("Interpreter needed")) if r.interpreter_needed else t(
            N_("No interpreter needed"))
        return self.lv([
            (N_("Name"), r.legal_name),
            (N_("Kana"), r.kana),
            (N_("Alias"), r.alias),
            (N_("Date of birth"), born),
            (N_("Nationality"), nationality_name(r.nationality, self.lang)),
            (N_("Language"), f"{lang} / {interp}" if lang else interp),
            (N_("Safe phone"), r.safe_phone),
            (N_("Registered municipality"), r.registered_municipality),
        ])

    def safety(self, r: Resident):
        """Boxed in red. Every flag is printed, set or not, so a blank can
        never be read as "checked, nothing found"."""
        s, t, f = self.s, self.t, r.safety
        lang = self.lang

        def row(label, value, on: bool):
            return [s.p(t(label), s.label), s.p(value, s.flag if on else s.cell)]

        danger = code_label(codes.DANGER_LEVEL, f.danger_level, lang, t) if f.danger_level \
            else t(N_("Not assessed"))
        rows = [
            row(N_("Support measure (residence record access restricted)"),
                t(N_("Applied")) if f.support_measure else t(N_("Not applied")),
                f.support_measure),
            row(N_("Protection order"),
                code_label(codes.PROTECTION_ORDER, f.protection_order or "none", lang, t),
                f.protection_order in ("applied", "issued")),
            row(N_("Perpetrator danger"), danger, f.danger_level is not None),
            row(N_("Whereabouts secret"), self.yes_no(f.whereabouts_secret),
                f.whereabouts_secret),
        ]
        if f.danger_warning:
            rows.append(row(N_("Warning"), f.danger_warning, True))
        table = Table(rows, colWidths=[62 * mm, CONTENT_W - 62 * mm])
        table.setStyle(table_style([
            ("BOX", (0, 0), (-1, -1), 2, RED),
            ("INNERGRID", (0, 0), (-1, -1), 0.4, RED),
            ("BACKGROUND", (0, 0), (0, -1), GREY),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        return table

    def admission(self, stay: Stay, room: str, bed: str):
        t, lang = self.t, self.lang
        tags = "、".join(code_label(codes.ISSUE_TAG, c, lang, t) for c in stay.issue_tags) \
            if lang == "ja" else ", ".join(
                code_label(codes.ISSUE_TAG, c, lang, t) for c in stay.issue_tags)
        where = t(N_("Room {room}, bed {bed}")).format(room=room, bed=bed) if room else t(
            N_("Not assigned"))
        rows = [
            (N_("Admitted at"), format_doc_datetime(stay.admitted_at, lang)
             if stay.admitted_at else ""),
            (N_("Admission type"), code_label(codes.ADMISSION_TYPE, stay.admission_type, lang, t)),
            (N_("Primary complaint"), code_label(codes.MAIN_COMPLAINT, stay.main_complaint,
                                                 lang, t)),
            (N_("Other issues"), tags),
            (N_("Referral source"), code_label(codes.REFERRAL_SOURCE, stay.referral_source,
                                               lang, t)),
            (N_("Room and bed"), where),
            (N_("Review date"), self.d(stay.review_on)),
        ]
        if stay.discharged_on:
            rows.append((N_("Discharged on"), "{} / {}".format(
                self.d(stay.discharged_on), code_label(
                    codes.DISCHARGE_DESTINATION, stay.discharge_destination, lang, t))))
        return self.lv(rows)

    def children(self, kids: list[Child], stay: Stay):
        s, t, lang = self.s, self.t, self.lang
        if not kids:
            return s.p(t(N_("No companion children.")), s.body)
        admitted = stay.admitted_on or self.today
        head = [N_("Name"), N_("Kana"), N_("Date of birth"), N_("Sex"),
                N_("School or nursery"), N_("Allergies"), N_("Notes")]
        data = [[s.p(t(h), s.label) for h in head]]
        for ch in kids:
            born = ""
            if ch.birth_date:
                born = t(N_("{date} (age {age})")).format(
                    date=self.d(ch.birth_date), age=age_on(ch.birth_date, admitted))
            school = " → ".join(x for x in (ch.school_before, ch.school_after) if x)
            if ch.grade:
                school = f"{school} ({ch.grade})" if school else ch.grade
            notes = [x for x in (ch.health_notes, ch.special_needs) if x]
            if ch.child_guidance:
                notes.insert(0, t(N_("Child guidance centre involved")))
            data.append([s.p(x, s.cell) for x in (
                ch.name, ch.kana, born, code_label(codes.SEX, ch.sex, lang, t), school,
                ch.allergies, " / ".join(notes))])
        widths = [26, 31, 36, 11, 29, 18, 25]
        scale = CONTENT_W / (sum(widths) * mm)
        return grid_table(data, [w * mm * scale for w in widths])

    def health(self, r: Resident):
        t = self.t
        return self.lv([
            (N_("Allergies"), r.allergies),
            (N_("Medications"), r.medications),
            (N_("Pregnancy"), t(N_("Pregnant")) if r.pregnant else t(N_("Not pregnant"))),
            (N_("Disability certificate"), r.disability_certificate),
            (N_("Health notes"), r.health_notes),
        ])

    def consents(self, consents: list[Consent]):
        s, t, lang = self.s, self.t, self.lang
        if not consents:
            return s.p(t(N_("No consents recorded.")), s.body)
        head = [N_("Scope"), N_("Recipient"), N_("Given on"), N_("Expires on"), N_("Status")]
        data = [[s.p(t(h), s.label) for h in head]]
        for k in consents:
            if k.withdrawn_on:
                status = t(N_("Withdrawn on {date}")).format(date=self.d(k.withdrawn_on))
            elif k.valid_on(self.today):
                status = t(N_("Valid"))
            elif k.expires_on and k.expires_on < self.today:
                status = t(N_("Expired"))
            else:
                status = t(N_("Not yet valid"))
            data.append([s.p(x, s.cell) for x in (
                code_label(codes.CONSENT_SCOPE, k.scope, lang, t), k.recipient,
                self.d(k.given_on), self.d(k.expires_on), status)])
        widths = [52, 40, 30, 30, 26]
        scale = CONTENT_W / (sum(widths) * mm)
        return grid_table(data, [w * mm * scale for w in widths])

    def signatures(self) -> list:
        """Signature lines and a stamp box (印) for staff and the manager."""
        s, t = self.s, self.t
        cells = [[s.p(t(N_("Intake staff")), s.label), "", s.p(t(N_("Stamp")), s.small)],
                 [s.p(t(N_("Checked by (manager)")), s.label), "",
                  s.p(t(N_("Stamp")), s.small)]]
        table = Table(cells, colWidths=[40 * mm, CONTENT_W - 40 * mm - 22 * mm, 22 * mm],
                      rowHeights=[16 * mm, 16 * mm])
        table.setStyle(table_style([
            ("LINEBELOW", (1, 0), (1, -1), 0.7, LINE),
            ("BOX", (2, 0), (2, 0), 0.7, LINE),
            ("BOX", (2, 1), (2, 1), 0.7, LINE),
            ("VALIGN", (0, 0), (1, -1), "BOTTOM"),
            ("VALIGN", (2, 0), (2, -1), "TOP"),
            ("LEFTPADDING", (1, 0), (1, -1), 4 * mm),
        ]))
        return [table]
