"""Japanese eras, fiscal years and the ledger's date formats."""

from __future__ import annotations

from datetime import date

import pytest

from shelterdesk.core.dates import (
    DateFormatError,
    age_on,
    fiscal_year_label,
    fiscal_year_of,
    format_date,
    format_era,
    parse_date,
)


@pytest.mark.parametrize("text, expected", [
    ("2022-05-01", date(2022, 5, 1)),
    ("2022/5/1", date(2022, 5, 1)),
    ("２０２２／５／１", date(2022, 5, 1)),
    ("R4.5.1", date(2022, 5, 1)),
    ("r4.5.1", date(2022, 5, 1)),
    ("令和4年5月1日", date(2022, 5, 1)),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("R1.5.1", date(2019, 5, 1)),
    ("H31.4.30", date(2019, 4, 30)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("H1.1.8", date(1989, 1, 8)),
    ("S64.1.7", date(1989, 1, 7)),
    ("昭和60年12月24日", date(1985, 12, 24)),
    (" 2024-02-29 ", date(2024, 2, 29)),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "H31.5.1",  # Heisei ended on 30 April 2019
    "R1.4.30",  # Reiwa began on 1 May 2019
    "S64.1.8",
    "2023-02-29",
    "2022-13-01",
    "R0.1.1",
    "yesterday",
    "",
    "5/1/2022",
])
def test_parse_date_refuses(text):
    with pytest.raises(DateFormatError) as e:
        parse_date(text)
    assert str(e.value)


def test_era_formatting():
    assert format_era(date(2026, 11, 21)) == "令和8年11月21日"
    assert format_era(date(2019, 5, 1)) == "令和元年5月1日"
    assert format_era(date(2019, 4, 30)) == "平成31年4月30日"
    assert format_date(date(2026, 11, 21), lang="ja", era=True) == "令和8年11月21日"
    assert format_date(None) == ""
    assert "2026" in format_date(date(2026, 11, 21), lang="en")


def test_fiscal_year():
    assert fiscal_year_of(date(2022, 4, 1)) == 2022
    assert fiscal_year_of(date(2023, 3, 31)) == 2022
    assert fiscal_year_label(2022) == "令和4年度"
    # April 2019 was still Heisei, but official statistics call that year 令和元年度.
    assert fiscal_year_label(2019) == "令和元年度"
    assert fiscal_year_label(2018) == "平成30年度"
    assert fiscal_year_label(1988) == "昭和63年度"  # the era changed in January 1989
    assert fiscal_year_label(1989) == "平成元年度"


def test_age_on_birthdays_and_leap_days():
    assert age_on(date(1990, 11, 22), date(2026, 11, 21)) == 35
    assert age_on(date(1990, 11, 21), date(2026, 11, 21)) == 36
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26
