"""Working days and the default schedule (DOMAIN.md's worked example)."""

from __future__ import annotations

from datetime import date

from shelterdesk.core.aftercare import (
    OVERDUE,
    THIS_WEEK,
    TODAY,
    UPCOMING,
    add_working_days,
    default_schedule,
    due_section,
    is_working_day,
    next_working_day,
    reference_code,
)


def test_year_end_and_substitute_holiday_2026_12_22():
    got = [(i.kind, i.due_on) for i in default_schedule(date(2026, 12, 22))]
    assert got == [("phone", date(2027, 1, 4)),   # +7 is 12/29 (year-end closure)
                   ("phone", date(2027, 1, 5)),
                   ("phone", date(2027, 1, 21)),
                   ("phone", date(2027, 3, 23)),  # +90 is the substitute holiday 3/22
                   ("phone", date(2027, 6, 21)),  # +180 is a Sunday
                   ("phone", date(2027, 12, 22))]


def test_a_visit_at_30_days_when_she_agrees():
    items = default_schedule(date(2026, 12, 22), visit=True)
    assert ("visit", date(2027, 1, 21)) in [(i.kind, i.due_on) for i in items]
    assert len(items) == 7


def test_a_partner_closure_day_moves_the_date_on():
    plain = default_schedule(date(2026, 12, 22))
    closed = default_schedule(date(2026, 12, 22), closures=[date(2027, 1, 4), date(2027, 1, 5)])
    assert plain[0].due_on == date(2027, 1, 4)
    assert [i.due_on for i in closed][:2] == [date(2027, 1, 6), date(2027, 1, 7)]


def test_working_days():
    assert not is_working_day(date(2027, 1, 2))       # Saturday and year-end
    assert not is_working_day(date(2026, 12, 31))     # Thursday, year-end
    assert not is_working_day(date(2026, 11, 23))     # Labour Thanksgiving Day
    assert not is_working_day(date(2026, 9, 22))      # citizens' holiday (2026)
    assert is_working_day(date(2026, 12, 28))
    assert next_working_day(date(2026, 12, 28)) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 25), 3) == date(2027, 1, 5)  # 12/28, 1/4, 1/5


def test_due_sections():
    today = date(2026, 11, 18)  # a Wednesday
    assert due_section(date(2026, 11, 17), today) == OVERDUE
    assert due_section(today, today) == TODAY
    assert due_section(date(2026, 11, 22), today) == THIS_WEEK
    assert due_section(date(2026, 11, 23), today) == UPCOMING


def test_reference_code_is_short_and_from_the_uid():
    assert reference_code("0f3a9c1e-aaaa-4bbb-8ccc-123456789abc") == "0F3A9C1E"


def test_two_calls_pushed_onto_one_day_are_kept_apart():
    days = [i.due_on for i in default_schedule(date(2025, 12, 22))]
    assert days[:2] == [date(2026, 1, 5), date(2026, 1, 6)]
