"""The one list of printable documents: what each is called, how it is built,
the languages it is offered in and who may print it.

The preview dialog (``gui/dialogs/pdf_preview.py``) and ``shelterdesk print``
(``cli/cmd_print.py``) both look documents up here, so a new document (the
support plan, the monthly summary, the fiscal-year statistics) is one new entry
and appears in both. Do not decide "which builder" anywhere else.

Builders import ReportLab, which is slow to import: each entry names its
builder through a small function that imports the module when the document is
first built, so importing this list costs nothing at start-up.

A builder is ``build(db, stay_id, lang, staff_name) -> PdfResult`` (``data``,
``pages``, ``missing``, ``missing_codepoints``). Printing is audited by the
caller with ids, the key and the language only (``doc=… lang=…``), never a name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shelterdesk.core import codes
from shelterdesk.i18n import DOCUMENT_LANGUAGES, N_

#: Every role: anyone logged in may print the documents of a stay today.
EVERY_ROLE: tuple[str, ...] = tuple(c.code for c in codes.ROLE)


def _intake_sheet(db, stay_id: int, lang: str, staff_name: str):
    from shelterdesk.reports.intake_sheet import build_intake_sheet
    return build_intake_sheet(db, stay_id, staff_name=staff_name, lang=lang)


def _consent_sheet(db, stay_id: int, lang: str, staff_name: str):
    from shelterdesk.reports.consent_sheet import build_consent_sheet
    return build_consent_sheet(db, stay_id, lang)


def _plan_sheet(db, stay_id: int, lang: str, staff_name: str):
    from shelterdesk.reports.plan_sheet import build_plan_sheet
    return build_plan_sheet(db, stay_id, lang)


#: The independence plan is the caseworkers' document (DOMAIN.md).
CASEWORK_ROLES: tuple[str, ...] = tuple(sorted(codes.CASEWORK))


@dataclass(frozen=True)
class Document:
    """One printable document of a stay. ``title`` is an English msgid (translate
    it where it is shown); ``languages[0]`` is the language used when the
    document is offered in one language only."""
    key: str
    title: str
    builder: Callable
    languages: tuple[str, ...]
    roles: tuple[str, ...] = EVERY_ROLE

    @property
    def chooses_language(self) -> bool:
        """Whether the person picks the language (else ``languages[0]``)."""
        return len(self.languages) > 1

    def may_print(self, roles) -> bool:
        return bool(set(roles) & set(self.roles))

    def build(self, db, stay_id: int, lang: str | None = None, staff_name: str = ""):
        """The PDF in memory. ``lang`` None means the only language offered;
        a language not offered is a ValueError (the caller's mistake)."""
        lang = lang or self.languages[0]
        if lang not in self.languages:
            raise ValueError(f"{self.key} is not offered in {lang!r}")
        return self.builder(db, stay_id, lang, staff_name)


DOCUMENTS: tuple[Document, ...] = (
    Document("intake", N_("Intake sheet"), _intake_sheet, ("ja",)),
    Document("consent", N_("House rules and consent sheet"), _consent_sheet,
             DOCUMENT_LANGUAGES),
    Document("plan", N_("Independence support plan"), _plan_sheet, DOCUMENT_LANGUAGES,
             CASEWORK_ROLES),
)


def document(key: str) -> Document:
    for d in DOCUMENTS:
        if d.key == key:
            return d
    raise ValueError(f"unknown document {key!r}")


# -- the manager's reports (issue 11) --------------------------------------------------------
# Not documents of a stay: a report is built for a period (a month or a fiscal
# year) from counts, so it has its own list, its own ``shelterdesk report``
# command and the Reports page. Managers and administrators only.

def _monthly(db, request, lang: str, staff_name: str):
    from shelterdesk.reports.occupancy_reports import build_monthly
    from shelterdesk.store.statistics import monthly_report
    return build_monthly(db, monthly_report(db, request.year, request.month,
                                            suppress=request.suppress), staff_name)


def _fiscal_year(db, request, lang: str, staff_name: str):
    from shelterdesk.reports.occupancy_reports import build_fiscal_year
    from shelterdesk.store.statistics import fiscal_year_report
    return build_fiscal_year(db, fiscal_year_report(db, request.year,
                                                    suppress=request.suppress), staff_name)


@dataclass(frozen=True)
class ReportRequest:
    """Which period a report covers: ``month`` None for a fiscal year (April
    ``year`` – March ``year + 1``). ``suppress``: small-cell suppression."""
    kind: str
    year: int
    month: int | None = None
    suppress: bool = False

    @property
    def period_key(self) -> str:
        """2022-06 or FY2022: audit details and file names (no names in either)."""
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"FY{self.year}"


REPORT_ROLES: tuple[str, ...] = tuple(sorted(codes.MANAGEMENT))

REPORTS: tuple[Document, ...] = (
    Document("monthly", N_("Monthly occupancy summary"), _monthly, ("ja",), REPORT_ROLES),
    Document("fiscal-year", N_("Fiscal-year statistics"), _fiscal_year, ("ja",), REPORT_ROLES),
)


def report(key: str) -> Document:
    for d in REPORTS:
        if d.key == key:
            return d
    raise ValueError(f"unknown report {key!r}")
