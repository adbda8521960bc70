"""``shelterdesk report monthly|fiscal-year``: the manager's reports as PDF,
CSV (UTF-8 with BOM, Japanese headers, formula-leading cells neutralised) or
JSON (a contract for scripts: keys are added, never renamed).

    shelterdesk report monthly --db PATH --user LOGIN --month YYYY-MM
        --format pdf|csv|json --out FILE [--suppress-small] [--force]
    shelterdesk report fiscal-year --db PATH --user LOGIN --fy YYYY
        --format pdf|csv|json --out FILE [--suppress-small] [--force]

``--fy 2022`` is 令和4年度 (April 2022 – March 2023). Managers and
administrators only. The output is written only at ``--out``, atomically, an
existing file replaced only with ``--force`` and never a database, key file or
backup. Every report written is audited (``doc=… period=… format=…``).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from shelterdesk.cli.cmd_print import _force_hint
from shelterdesk.cli.common import add_db_option, add_user_option, unlock
from shelterdesk.i18n import _

FORMATS = ("pdf", "csv", "json")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(text: str) -> tuple[int, int]:
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
        raise argparse.ArgumentTypeError(_("{text!r} is not a month (use YYYY-MM, e.g. "
                                           "2022-06)").format(text=text))
    return int(m.group(1)), int(m.group(2))


def _fiscal_year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text.strip()) or int(text) < 1900:
        raise argparse.ArgumentTypeError(_("{text!r} is not a fiscal year (use the year it "
                                           "starts in, e.g. 2022 for 令和4年度)").format(
            text=text))
    return int(text)


def register(sub) -> None:
    p = sub.add_parser("report", help=_("the manager's reports: monthly occupancy and "
                                        "fiscal-year statistics"))
    kinds = p.add_subparsers(dest="report", required=True, metavar="REPORT")
    for key, help_text in (("monthly", _("monthly occupancy summary")),
                           ("fiscal-year", _("fiscal-year statistics"))):
        sp = add_db_option(kinds.add_parser(key, help=help_text))
        add_user_option(sp)
        if key == "monthly":
            sp.add_argument("--month", required=True, type=_month, metavar="YYYY-MM",
                            help=_("the month, e.g. 2022-06"))
        else:
            sp.add_argument("--fy", required=True, type=_fiscal_year, metavar="YYYY",
                            help=_("the fiscal year by the year it starts in (2022 = "
                                   "April 2022 – March 2023)"))
        sp.add_argument("--format", required=True, choices=FORMATS,
                        help=_("pdf, csv or json"))
        sp.add_argument("--out", required=True, metavar="FILE", help=_("file to write"))
        sp.add_argument("--suppress-small", action="store_true",
                        help=_("print counts of 1 or 2 as \"<3\" and withhold their "
                               "percentages (figures leaving the facility)"))
        sp.add_argument("--force", action="store_true",
                        help=_("replace FILE if it exists (never a database or key file)"))
        sp.set_defaults(func=cmd_report)


def render(db, request, fmt: str, staff_name: str = "") -> bytes:
    """The report of ``request`` (reports.documents.ReportRequest) in ``fmt``."""
    from shelterdesk.core import report_figures as rf
    from shelterdesk.reports.documents import report
    from shelterdesk.store import statistics

    if fmt == "pdf":
        return report(request.kind).build(db, request, None, staff_name).data
    if request.kind == "monthly":
        figures = statistics.monthly_report(db, request.year, request.month,
                                            suppress=request.suppress)
    else:
        figures = statistics.fiscal_year_report(db, request.year, suppress=request.suppress)
    if fmt == "csv":
        return rf.csv_bytes(figures.csv_rows())
    return rf.json_bytes(figures.to_json())


def cmd_report(args) -> int:
    from shelterdesk.reports.documents import ReportRequest, report
    from shelterdesk.store.files import check_output_path, write_output

    if args.report == "monthly":
        request = ReportRequest("monthly", *args.month, suppress=args.suppress_small)
    else:
        request = ReportRequest("fiscal-year", args.fy, suppress=args.suppress_small)
    out = Path(args.out)
    protect = [Path(args.db)]
    with _force_hint():  # before any password is asked for
        check_output_path(out, force=args.force, protect=protect)
    session = unlock(args)
    try:
        session.require(*report(request.kind).roles)
        staff = session.account.display_name if session.account else ""
        data = render(session.db, request, args.format, staff)
        with _force_hint():
            write_output(out, data, force=args.force, protect=[*protect, session.db.path])
        session.db.audit("save", "report", None,
                         f"doc={request.kind} period={request.period_key} "
                         f"format={args.format} suppress={int(request.suppress)}")
    finally:
        session.lock()
    print(_("Wrote {path}.").format(path=out))
    return 0


