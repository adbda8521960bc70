"""Dates as Japanese officials write them: eras, fiscal years, ledger formats.

Babel formats Gregorian dates for the locale; it has no Japanese-era calendar,
so eras are computed here from the official start dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from shelterdesk.i18n import _, current_language


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R
    start: date


ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("明治", "M", date(1868, 10, 23)),
)
_ERA_BY_KEY = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}


def era_of(d: date) -> tuple[Era, int]:
    for era in ERAS:
        if d >= era.start:
            return era, d.year - era.start.year + 1
    raise ValueError("date before the Meiji era")


def _era_year_text(year: int) -> str:
    return "元" if year == 1 else str(year)


def format_era(d: date) -> str:
    """令和8年11月21日"""
    era, y = era_of(d)
    return f"{era.name}{_era_year_text(y)}年{d.month}月{d.day}日"


def fiscal_year_of(d: date) -> int:
    """The Gregorian year in which the fiscal year containing ``d`` starts."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_label(fy: int) -> str:
    """令和4年度 for fiscal year 2022 (April 2022 – March 2023).

    A fiscal year in whose first half a new era began takes the new era's
    first year, as official statistics do: April 2019 – March 2020 is 令和元年度
    (not 平成31年度), while 1988 (era changed in January 1989) stays 昭和63年度."""
    era, y = era_of(date(fy, 4, 1))
    newer = era_of(date(fy, 9, 30))[0]
    if newer != era:
        era, y = newer, 1
    return f"{era.name}{_era_year_text(y)}年度"


def format_date(d: date | None, *, lang: str | None = None, era: bool = False) -> str:
    """A date for a person to read: Japanese era on documents that ask for it,
    otherwise the locale's medium format (2026/11/21 in Japanese)."""
    if d is None:
        return ""
    lang = lang or current_language()
    if era and lang == "ja":
        return format_era(d)
    locale = {"zh": "zh_Hans_CN", "tl": "fil"}.get(lang, lang)
    try:
        from babel.dates import format_date as babel_format_date  # locale data: when needed
        return babel_format_date(d, format="medium", locale=locale)
    except Exception:  # an unknown locale must not stop a document
        return d.isoformat()


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_ERA_SHORT = re.compile(r"^([MTSHRmtshr])\s*(\d{1,2}|元)[./-](\d{1,2})[./-](\d{1,2})$")
_ERA_LONG = re.compile(r"^(明治|大正|昭和|平成|令和)\s*(\d{1,2}|元)年\s*(\d{1,2})月\s*(\d{1,2})日$")


class DateFormatError(ValueError):
    pass


def parse_date(text: str) -> date:
    """Parse 2022-05-01, 2022/5/1, R4.5.1 or 令和4年5月1日 (also 元年, and
    H/平成, S/昭和, T/大正, M/明治). Full-width digits are accepted.

    Raises DateFormatError with a message for a person when the text is not a
    date or names a day that does not exist in that era.
    """
    import unicodedata

    t = unicodedata.normalize("NFKC", text).strip()
    m = _ISO.match(t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return _make(y, mo, d, t)
    m = _ERA_SHORT.match(t) or _ERA_LONG.match(t)
    if m:
        era = _ERA_BY_KEY[m.group(1).upper() if len(m.group(1)) == 1 else m.group(1)]
        ey = 1 if m.group(2) == "元" else int(m.group(2))
        if ey < 1:
            raise DateFormatError(_("{text!r} is not a valid date").format(text=text))
        result = _make(era.start.year + ey - 1, int(m.group(3)), int(m.group(4)), t)
        if result < era.start or _next_era_start(era) <= result:
            raise DateFormatError(
                _("{text!r} does not exist in the {era} era").format(text=text, era=era.name))
        return result
    raise DateFormatError(
        _("{text!r} is not a date (use 2022-05-01, 2022/5/1, R4.5.1 or 令和4年5月1日)").format(
            text=text))


def _next_era_start(era: Era) -> date:
    idx = ERAS.index(era)
    return ERAS[idx - 1].start if idx > 0 else date.max


def _make(y: int, mo: int, d: int, text: str) -> date:
    try:
        return date(y, mo, d)
    except ValueError:
        raise DateFormatError(_("{text!r} is not a valid date").format(text=text)) from None


def now_minute() -> datetime:
    return datetime.now().replace(second=0, microsecond=0)
