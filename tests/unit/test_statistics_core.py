"""The figures of DOMAIN.md, by hand: person-days, occupancy, movement, ages,
percentages, suppression, and the seed's own Tables 4 and 5."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from shelterdesk.core import statistics as st
from shelterdesk.core.statistics import StayRow

JUNE = st.month_period(2022, 6)


def stay(admitted, discharged=None, *, sid=1, children=0, room="101", birth=None, est=None,
         complaint="dv_spouse", referral="police", destination=None):
    a = date.fromisoformat(admitted)
    d = date.fromisoformat(discharged) if discharged else None
    if d is not None and destination is None:
        destination = "independent"
    return StayRow(sid, sid, a, d, complaint, referral, destination, birth, est, children, room)


# -- periods ----------------------------------------------------------------------------------

def test_periods():
    assert JUNE == st.Period(date(2022, 6, 1), date(2022, 6, 30)) and JUNE.days == 30
    assert st.month_period(2022, 12).last == date(2022, 12, 31)
    assert st.month_period(2024, 2).days == 29  # leap year
    assert st.month_period(2023, 2).days == 28
    fy = st.fiscal_year_period(2022)
    assert (fy.first, fy.last, fy.days) == (date(2022, 4, 1), date(2023, 3, 31), 365)
    assert st.fiscal_year_period(2023).days == 366  # February 2024


# -- person-days -------------------------------------------------------------------------------

def test_stay_across_the_month_boundary():
    s = stay("2022-05-20", "2022-06-10")
    assert st.person_days(s, st.month_period(2022, 5)) == 12  # 20..31
    assert st.person_days(s, JUNE) == 9  # 1..9; the discharge day does not count
    assert st.in_residence_at_start(s, JUNE) and not st.in_residence_at_end(s, JUNE)


def test_open_stay_counts_to_the_end_of_the_period():
    s = stay("2022-06-11")
    assert st.person_days(s, JUNE) == 20
    assert st.person_days(s, st.month_period(2022, 7)) == 31
    assert not st.in_residence_at_start(s, JUNE) and st.in_residence_at_end(s, JUNE)


def test_admitted_and_discharged_the_same_day_counts_one():
    s = stay("2022-06-15", "2022-06-15")
    assert st.person_days(s, JUNE) == 1
    assert st.person_days(s, st.month_period(2022, 7)) == 0
    assert st.stay_length(s) == 1
    assert not st.in_residence_at_start(s, JUNE) and not st.in_residence_at_end(s, JUNE)
    m = st.movement([s], JUNE)
    assert (m.admissions, m.discharges, m.average_stay_days) == (1, 1, Decimal("1.0"))
    women, _ = st.daily_counts([s], JUNE)
    assert women[14] == 1 and sum(women) == 1


def test_same_day_stay_on_the_last_day_of_the_month():
    s = stay("2022-06-30", "2022-06-30")
    assert st.person_days(s, JUNE) == 1
    assert not st.in_residence_at_end(s, JUNE)


def test_discharged_on_the_first_day_of_the_month():
    s = stay("2022-05-25", "2022-06-01")
    assert st.person_days(s, JUNE) == 0
    # "not discharged before the first day": she is at the start, and a discharge of June
    assert st.in_residence_at_start(s, JUNE)
    m = st.movement([s], JUNE)
    assert (m.admissions, m.discharges) == (0, 1)
    assert m.average_stay_days == Decimal("7.0")


def test_readmission_within_the_month():
    first = stay("2022-06-03", "2022-06-08", sid=1)
    again = StayRow(2, 1, date(2022, 6, 20), None, "dv_spouse", "self")
    stays = [first, again]
    o = st.occupancy(stays, JUNE, [10] * 30)
    assert o.resident_person_days == 5 + 11
    m = st.movement(stays, JUNE)
    assert (m.admissions, m.discharges) == (2, 1)  # admissions count stays, not women
    assert (o.in_residence_start, o.in_residence_end) == (0, 1)


def test_start_plus_admissions_minus_discharges_is_the_end():
    stays = [stay("2022-05-01", "2022-06-01", sid=1), stay("2022-05-01", sid=2),
             stay("2022-06-05", "2022-06-05", sid=3), stay("2022-06-10", "2022-07-01", sid=4),
             stay("2022-06-30", sid=5), stay("2022-04-01", "2022-05-31", sid=6),
             stay("2022-07-01", sid=7)]
    o = st.occupancy(stays, JUNE, [10] * 30)
    m = st.movement(stays, JUNE)
    assert (o.in_residence_start, m.admissions, m.discharges, o.in_residence_end) == (2, 3, 2, 3)
    assert o.in_residence_start + m.admissions - m.discharges == o.in_residence_end


def test_children_are_counted_separately():
    stays = [stay("2022-06-01", "2022-06-11", sid=1, children=2), stay("2022-06-21", sid=2)]
    o = st.occupancy(stays, JUNE, [5] * 30)
    assert o.resident_person_days == 10 + 10
    assert o.child_person_days == 20
    assert o.occupancy_rate_pct == Decimal("13.3")  # 20 / 150


def test_occupancy_uses_each_days_capacity():
    s = stay("2022-06-01")  # one woman all month: 30 person-days
    caps = st.capacity_by_day([(date(2022, 6, 16), 20)], 10, JUNE)
    assert caps[:15] == [10] * 15 and caps[15:] == [20] * 15
    o = st.occupancy([s], JUNE, caps)
    assert o.capacity_days == 450 and o.capacity_changed
    assert o.occupancy_rate_pct == Decimal("6.7")  # 30 / 450
    # a change before the month applies from the first day; a later one not at all
    assert st.capacity_by_day([(date(2021, 1, 1), 8), (date(2022, 7, 1), 30)], 10, JUNE) \
        == [8] * 30
    assert st.capacity_by_day([], 12, JUNE) == [12] * 30


def test_occupancy_by_room_and_empty_capacity():
    stays = [stay("2022-06-01", "2022-06-03", room="101"), stay("2022-06-29", room="201", sid=2),
             stay("2022-06-29", room="", sid=3)]
    o = st.occupancy(stays, JUNE, [0] * 30)
    assert o.by_room == {"101": 2, "201": 2, "": 2}
    assert o.occupancy_rate_pct is None


def test_february_of_a_leap_year():
    feb = st.month_period(2024, 2)
    o = st.occupancy([stay("2024-01-15")], feb, [1] * 29)
    assert o.resident_person_days == 29 and o.occupancy_rate_pct == Decimal("100.0")


def test_stay_across_the_fiscal_year_boundary():
    s = stay("2023-03-25", "2023-04-05")
    fy22, fy23 = st.fiscal_year_period(2022), st.fiscal_year_period(2023)
    assert st.person_days(s, fy22) == 7 and st.person_days(s, fy23) == 4
    assert st.movement([s], fy22).admissions == 1 and st.movement([s], fy22).discharges == 0
    m = st.movement([s], fy23)
    assert (m.admissions, m.discharges, m.average_stay_days) == (0, 1, Decimal("11.0"))


def test_average_length_of_stay():
    stays = [stay("2022-06-01", "2022-06-04", sid=1), stay("2022-05-01", "2022-06-02", sid=2),
             stay("2022-06-10", "2022-06-10", sid=3), stay("2022-06-01", sid=4)]
    # 3, 32 and 1 (same day counts 1): 36 / 3 = 12.0
    assert st.movement(stays, JUNE).average_stay_days == Decimal("12.0")
    assert st.movement([], JUNE).average_stay_days is None
    assert st.mean_one_decimal([1, 2]) == Decimal("1.5")
    assert st.mean_one_decimal([1, 1, 2]) == Decimal("1.3")
    assert st.mean_one_decimal([0, 0, 0, 0, 0, 0, 0, 1]) == Decimal("0.1")  # 0.125 → 0.1
    assert st.mean_one_decimal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) \
        == Decimal("0.1")  # 0.05 → half up


# -- ages -----------------------------------------------------------------------------------

@pytest.mark.parametrize("birth, admitted, age", [
    (date(2004, 6, 1), date(2022, 6, 1), 18),   # on her birthday
    (date(2004, 6, 2), date(2022, 6, 1), 17),   # the day before
    (date(2004, 2, 29), date(2022, 2, 28), 17),  # 29 Feb: reached on 1 March in other years
    (date(2004, 2, 29), date(2022, 3, 1), 18),
    (date(2004, 2, 29), date(2024, 2, 29), 20),
])
def test_age_at_admission(birth, admitted, age):
    s = StayRow(1, 1, admitted, birth_date=birth)
    assert st.age_at_admission(s) == age


def test_estimated_age_and_unknown_birth_date():
    assert st.age_at_admission(StayRow(1, 1, date(2022, 6, 1), estimated_age=35)) == 35
    assert st.age_bracket(st.age_at_admission(StayRow(1, 1, date(2022, 6, 1)))) == "unknown"
    assert st.age_bracket(35) == "30s"
    # a birth date wins over an estimate
    assert st.age_at_admission(StayRow(1, 1, date(2022, 6, 1), birth_date=date(2000, 1, 1),
                                       estimated_age=40)) == 22


@pytest.mark.parametrize("age, bracket", [
    (0, "under18"), (17, "under18"), (18, "18-19"), (19, "18-19"), (20, "20s"), (29, "20s"),
    (30, "30s"), (49, "40s"), (59, "50s"), (60, "60+"), (95, "60+"), (None, "unknown"),
    (-1, "unknown"),
])
def test_age_brackets(age, bracket):
    assert st.age_bracket(age) == bracket


# -- percentages and suppression -----------------------------------------------------------

def test_percentages_round_half_up():
    assert st.percent(3, 49) == Decimal("6.1")
    assert st.percent(16, 49) == Decimal("32.7")
    assert st.percent(38, 49) == Decimal("77.6")
    assert st.percent(28, 49) == Decimal("57.1")
    assert st.percent(1, 8) == Decimal("12.5")
    assert st.percent(1, 16) == Decimal("6.3")  # 6.25: half up, not to even
    assert st.percent(1, 40) == Decimal("2.5")
    assert st.percent(1, 80) == Decimal("1.3")  # 1.25
    assert st.percent(0, 0) is None
    assert st.format_percent(Decimal("6.1")) == "6.1%" and st.format_percent(None) == "—"


def test_small_cell_suppression():
    assert [st.shown_count(n, True) for n in (0, 1, 2, 3)] == [0, "<3", "<3", 3]
    assert [st.shown_count(n, False) for n in (0, 1, 2, 3)] == [0, 1, 2, 3]
    assert st.shown_percent(Decimal("4.1"), 2, True) is None
    assert st.shown_percent(Decimal("4.1"), 2, False) == Decimal("4.1")
    assert st.shown_percent(Decimal("0.0"), 0, True) == Decimal("0.0")


# -- the seed's tables ------------------------------------------------------------------------

def seed_year(fy: int, ages: list[int], complaints: list[int], children: list[int]):
    """Stays of fiscal year ``fy``: ``ages[i]`` women in bracket i (18–19 … 60+),
    ``complaints`` in Table 5's order, ``children[k]`` = children of admission k."""
    brackets = [18, 25, 33, 44, 55, 66]
    stay_ages = [a for a, n in zip(brackets, ages, strict=True) for _ in range(n)]
    stay_complaints = [c for c, n in zip(st.COMPLAINT_ORDER, complaints, strict=True)
                       for _ in range(n)]
    assert len(stay_ages) == len(stay_complaints)
    out = []
    start = date(fy, 4, 1)
    for i, (age, complaint) in enumerate(zip(stay_ages, stay_complaints, strict=True)):
        admitted = start + timedelta(days=i * 6)
        out.append(StayRow(fy * 1000 + i, fy * 1000 + i, admitted, admitted + timedelta(days=20),
                           complaint, "police", "independent",
                           estimated_age=age,
                           children=children[i] if i < len(children) else 0))
    return out


def test_the_seeds_fiscal_year_2022_and_2021():
    # 28 of 49 admissions came with children, 48 children in all
    kids22 = [2] * 20 + [1] * 8
    fy22 = seed_year(2022, [3, 16, 12, 9, 7, 2], [38, 2, 5, 0, 1, 1, 2, 0], kids22)
    fy21 = seed_year(2021, [1, 14, 17, 8, 7, 7], [46, 2, 4, 1, 0, 1, 0, 0], [1] * 10)
    m = st.movement(fy21 + fy22, st.fiscal_year_period(2022))
    assert m.admissions == 49
    assert [m.age_brackets[k] for k in st.AGE_BRACKETS] == [0, 3, 16, 12, 9, 7, 2, 0]
    assert [st.percent(m.age_brackets[k], 49) for k in st.AGE_BRACKETS[1:7]] == [
        Decimal(x) for x in ("6.1", "32.7", "24.5", "18.4", "14.3", "4.1")]
    assert list(m.main_complaint.values()) == [38, 2, 5, 0, 1, 1, 2, 0]
    assert list(m.main_complaint) == list(st.COMPLAINT_ORDER)
    assert st.percent(m.main_complaint["dv_spouse"], 49) == Decimal("77.6")
    assert (m.companion_children, m.admissions_with_children) == (48, 28)
    assert m.companion_rate_pct == Decimal("57.1")
    prev = st.movement(fy21 + fy22, st.fiscal_year_period(2021))
    assert prev.admissions == 54
    assert [prev.age_brackets[k] for k in st.AGE_BRACKETS[1:7]] == [1, 14, 17, 8, 7, 7]
    assert list(prev.main_complaint.values()) == [46, 2, 4, 1, 0, 1, 0, 0]
    assert [st.percent(prev.age_brackets[k], 54) for k in st.AGE_BRACKETS[1:7]] == [
        Decimal(x) for x in ("1.9", "25.9", "31.5", "14.8", "13.0", "13.0")]


def test_unknown_code_is_kept_not_lost():
    m = st.movement([stay("2022-06-01", complaint="legacy_code")], JUNE)
    assert m.main_complaint["legacy_code"] == 1 and sum(m.main_complaint.values()) == 1
