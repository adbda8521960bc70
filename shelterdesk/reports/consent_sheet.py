"""入所のしおり・同意書 — house rules and consent, in the resident's language.

She reads and signs this at intake, often at night and in a language that is
not Japanese, so the text is plain, short sentences. Every sentence is an
English msgid translated with the catalog of the *document* language
(``i18n.translation(lang)``), never the UI language. Non-Japanese catalogs are
drafts awaiting review by a native speaker: each such sheet carries a small
note in Japanese telling staff so, and the Japanese title on every version lets
staff recognise the sheet whatever its language.

The consent boxes are ticked from what is recorded for her (a consent valid on
the day of printing); the sheet never invents a consent. It carries neither
the facility's name nor its address, nor anything about other residents: she
takes a copy with her, and a shelter's name can give away where it is. Retention period, curfew and quiet hours come from the facility's
settings (``store.settings.house_rules``);
when unset, a blank is printed for staff to fill in, never an invented value.
"""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from shelterdesk.core import codes
from shelterdesk.core.models import Consent
from shelterdesk.i18n import DOCUMENT_LANGUAGES, N_
from shelterdesk.reports.common import (
    CONFIDENTIAL,
    CONTENT_W,
    RED,
    Page,
    PdfResult,
    build_pdf,
    checkbox,
    format_doc_date,
    format_doc_datetime,
    gettext_for,
    new_styles,
    signature_lines,
    table_style,
)
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import settings as settings_repo
from shelterdesk.store import stays as stays_repo
from shelterdesk.store.settings import HouseRules

TITLE = N_("House rules and consent")
TITLE_JA = "入所のしおり・同意書"
#: For staff, on every non-Japanese sheet (the catalogs are drafts).
DRAFT_NOTE_JA = ("【職員の方へ】この言語の文面は翻訳の下書きで、ネイティブ話者による確認を"
                 "受けていません。重要な点は通訳を介して日本語版で説明してください。")

INTRO = N_("Welcome. This sheet explains what we record about you and your children, "
           "who may see it, your rights, and the rules of the house. Please ask a staff "
           "member about anything that is not clear. We can arrange an interpreter.")

RECORDED_HEAD = N_("What we record")
RECORDED = (
    N_("Your name, date of birth, nationality, language, a safe phone number and the "
       "municipality where you are registered."),
    N_("Your health, allergies and medicines, and the reasons you came here, including "
       "your safety situation (for example a protection order)."),
    N_("The same basic details about the children who came with you, including their "
       "schools and health."),
    N_("Notes of the support we give you during your stay and after you leave."),
)

WHO_HEAD = N_("Who may see it")
WHO = (
    N_("Only the staff of this facility who need the information to support you. Every "
       "time a record is opened, this is logged."),
    N_("Outside bodies, such as the municipality, a child guidance centre or a hospital, "
       "receive information only if you agree below, or where the law requires it (for "
       "example to protect a child's life or safety)."),
    N_("We never tell anyone, including your family, that you are here."),
)

KEPT_HEAD = N_("How long it is kept")
KEPT_YEARS = N_("Your records are stored encrypted on a computer that is not connected to "
                "the internet, and paper documents are locked away. We keep them for "
                "{years} years after you leave and then destroy them securely.")
KEPT_UNSET = N_("Your records are stored encrypted on a computer that is not connected to "
                "the internet, and paper documents are locked away. We keep them for the "
                "period the rules of this facility require and then destroy them securely. "
                "Period:")

RIGHTS_HEAD = N_("Your rights")
RIGHTS = (
    N_("You may ask to see what we have recorded about you and your children."),
    N_("You may ask us to correct anything that is wrong."),
    N_("You may withdraw a consent at any time by telling a staff member."),
    N_("Saying no to a consent, or withdrawing it, never affects your right to stay here "
       "or the support you receive."),
)

RULES_HEAD = N_("House rules")
RULES = (
    N_("Keep the location of this shelter secret. Do not tell anyone where it is, not "
       "even family or friends, and do not write it down or post it online. This protects "
       "you and everyone here."),
    N_("Visitors are not allowed at the shelter. Staff can arrange a meeting somewhere "
       "else."),
    N_("Phones and the internet can reveal where you are. Turn off location sharing, do "
       "not post photos taken in or near the shelter on social media, and talk to staff "
       "before contacting your partner or family. Staff can help you check your phone."),
    N_("Tell staff before you go out and when you come back, and be back by the curfew."),
    N_("Please keep quiet at night so that everyone, including the children, can rest."),
    N_("Keep the kitchen, bathroom and other shared spaces clean after use, and respect "
       "the privacy of other residents. Do not talk about other residents outside."),
    N_("Tell staff about any medicines you or your children take, and keep medicines out "
       "of the reach of children."),
    N_("Smoking and alcohol are not allowed in the shelter."),
    N_("If you decide to leave, please talk to staff first, so that we can help you "
       "leave safely and plan support after you leave. You are free to leave at any time."),
)
CURFEW = N_("Curfew:")
QUIET = N_("Quiet hours:")

CONSENT_HEAD = N_("Consent to share information")
CONSENT_INTRO = N_("A tick means you agree that we may share the information needed for "
                   "that purpose. You can change your mind at any time.")
CONSENT_RECORDED = N_("recipient: {recipient}, agreed on {date}")

SIGN_HEAD = N_("Signatures")
DECLARATION = N_("I have received an explanation of the above, I understand it, and I agree "
                 "to the ticked items.")
SIGN_LABELS = (N_("Date"), N_("Signature (resident)"), N_("Staff member"),
               N_("Interpreter (if any)"))
NAME_LINE = N_("Name: {name}    Admitted on: {date}")
PRINTED = N_("Printed {when}")
WHOSE = N_("Resident no. {rid} / Stay no. {sid}")  # in the footer of every page


def build_consent_sheet(db, stay_id: int, lang: str, *,
                        now: datetime | None = None) -> PdfResult:
    """The house-rules and consent sheet of stay ``stay_id`` in ``lang``
    (one of DOCUMENT_LANGUAGES). Raises ValueError for another language and
    ``store.errors.NotFound`` for an unknown stay. The caller audits the print."""
    if lang not in DOCUMENT_LANGUAGES:
        raise ValueError(f"no consent sheet in language {lang!r}")
    stay = stays_repo.get_stay(db, stay_id)
    resident = residents_repo.get_resident(db, stay.resident_id, audit_view=False)
    consents = residents_repo.consents_of(db, resident.id)
    rules = settings_repo.house_rules(db)
    now = now or datetime.now()
    t = gettext_for(lang)
    styles = new_styles(lang)
    page = Page(facility="", title=f"{TITLE_JA}" if lang == "ja"
                else f"{TITLE_JA} / {t(TITLE)}",
                footer_left=t(PRINTED).format(when=format_doc_datetime(now, lang)),
                lang=lang, confidential_local="" if lang == "ja" else t(CONFIDENTIAL),
                whose=t(WHOSE).format(rid=resident.id, sid=stay.id))
    name = resident.legal_name or resident.alias

    def story(s) -> list:
        return _story(s, t, lang, name, stay.admitted_on, consents, now.date(), rules)

    return build_pdf(page, styles, story)


def _story(s, t, lang: str, name: str, admitted: date | None, consents: list[Consent],
           today: date, rules: HouseRules) -> list:
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
            s.p(t(NAME_LINE).format(name=name, date=format_doc_date(admitted, lang)), s.body),
            Spacer(0, 1.5 * mm), s.p(t(INTRO), s.body)]

    def section(head: str, items, numbered: bool = False) -> None:
        out.append(s.p(t(head), s.h2))
        for i, item in enumerate(items, 1):
            mark = f"{i}." if numbered else "•"
            out.append(_bullet(s, mark, t(item)))

    section(RECORDED_HEAD, RECORDED)
    section(WHO_HEAD, WHO)
    out.append(s.p(t(KEPT_HEAD), s.h2))
    years = rules.record_retention_years
    if years is not None:
        out.append(s.p(t(KEPT_YEARS).format(years=years), s.body))
    else:
        out.append(s.p(t(KEPT_UNSET) + " ____________________", s.body))
    section(RIGHTS_HEAD, RIGHTS)
    section(RULES_HEAD, RULES, numbered=True)
    out.append(Spacer(0, 1 * mm))
    out.append(s.p("{}  {}      {}  {}".format(
        t(CURFEW), rules.curfew or "________",
        t(QUIET), rules.quiet_hours or "________"), s.body))

    consent_block = [s.p(t(CONSENT_HEAD), s.h2), s.p(t(CONSENT_INTRO), s.body),
                     Spacer(0, 1 * mm), _consent_table(s, t, lang, consents, today)]
    out.append(KeepTogether(consent_block))
    out.append(KeepTogether([
        s.p(t(SIGN_HEAD), s.h2), s.p(t(DECLARATION), s.body),
        signature_lines(s, [t(x) for x in SIGN_LABELS])]))
    return out


def _bullet(s, mark: str, text: str) -> Table:
    t = Table([[s.p(mark, s.body), s.p(text, s.body)]], colWidths=[7 * mm, CONTENT_W - 7 * mm])
    t.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    return t


def _consent_table(s, t, lang: str, consents: list[Consent], today: date) -> Table:
    """One row per scope of codes.CONSENT_SCOPE, ticked when a consent of that
    scope is valid today; the recorded recipient and date beside it."""
    rows = []
    for scope in codes.CONSENT_SCOPE:
        valid = [k for k in consents if k.scope == scope.code and k.valid_on(today)]
        label = scope.ja_label if lang == "ja" else t(scope.label)
        detail = "; ".join(t(CONSENT_RECORDED).format(
            recipient=k.recipient or "—", date=format_doc_date(k.given_on, lang))
            for k in valid)
        if scope.code == "other" and not valid:
            detail = "____________________________"
        rows.append([s.p(checkbox(bool(valid)), s.h2), s.p(label, s.cell),
                     s.p(detail, s.small)])
    table = Table(rows, colWidths=[9 * mm, 72 * mm, CONTENT_W - 81 * mm])
    table.setStyle(table_style([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#999999"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table
