"""The figures of DOMAIN.md ("Figures"): person-days, occupancy, admissions and
discharges, age brackets, complaint/referral/destination counts, companion
children, lengths of stay, percentages and small-cell suppression.

Pure functions over plain rows (:class:`StayRow`): no Qt, no SQL, no clock.
The store reads the rows (``store/statistics.py``), the documents and the
command line print what these return. Every report computes through here, so
the monthly summary, the fiscal-year tables, the CSV and the JSON agree.

Definitions followed to the letter (each one a test in
``tests/unit/test_statistics.py``):

- person-days of a stay in a period: days d in the period with
  admitted_on ≤ d < discharged_on; an open stay counts to the period's end; a
  stay admitted and discharged on the same day counts 1 (on that day);
- in residence at the start: admitted before the first day and not discharged
  before it (so a discharge on the first day is still "at the start"); at the
  end: admitted on or before the last day and not discharged on or before it.
  Hence start + admissions − discharges = end, always;
- occupancy rate: resident person-days ÷ Σ over the days of that day's capacity;
- average length of stay: mean of max(1, discharged_on − admitted_on) over the
  discharges in the period;
- age at admission: completed years on the admission day (a 29 February
  birthday is reached on 1 March in other years); without a birth date the
  estimated age when one was recorded, else unknown;
- percentages to one decimal, rounded half up (3 of 49 = 6.1%).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from shelterdesk.core import codes
from shelterdesk.core.dates import age_on

ONE_DAY = timedelta(days=1)

#: Age brackets of the seed's Table 4, keys of the JSON contract, in order.
AGE_BRACKETS: tuple[str, ...] = ("under18", "18-19", "20s", "30s", "40s", "50s", "60+",
                                 "unknown")
AGE_BRACKET_JA = {"under18": "18歳未満", "18-19": "18歳～19歳", "20s": "20代", "30s": "30代",
                  "40s": "40代", "50s": "50代", "60+": "60代以上", "unknown": "不明"}

#: Table 5's order (the seed prints その他 before 人身取引被害).
COMPLAINT_ORDER: tuple[str, ...] = ("dv_spouse", "dating_dv", "family", "other_violence",
                                    "stalking", "no_home", "other", "trafficking")

#: The prefectural plan's KPI: independence-support lectures a fiscal year.
PROGRAMME_KPI = 50

#: What a suppressed count prints as, and the counts it replaces.
SUPPRESSED = "<3"
SMALL = (1, 2)


@dataclass(frozen=True)
class StayRow:
    """One stay as the figures need it (no names: ids and codes only). A stay
    kept only as anonymous figures after the retention purge has no resident
    (``resident_id`` None) and carries its age bracket, recorded at the purge,
    instead of a birth date."""
    id: int
    resident_id: int | None
    admitted_on: date
    discharged_on: date | None = None
    main_complaint: str = ""
    referral_source: str = ""
    discharge_destination: str | None = None
    birth_date: date | None = None
    estimated_age: int | None = None
    children: int = 0
    room: str = ""
    age_bracket: str | None = None


@dataclass(frozen=True)
class Period:
    """Both days included."""
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.first <= d <= self.last

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return Period(first, nxt - ONE_DAY)


def fiscal_year_period(fy: int) -> Period:
    """April ``fy`` – March ``fy + 1`` (fiscal year 2022 is 令和4年度)."""
    return Period(date(fy, 4, 1), date(fy + 1, 3, 31))


# -- days in residence -----------------------------------------------------------------------

def resident_on(s: StayRow, d: date) -> bool:
    """Whether stay ``s`` counts on day ``d`` (a same-day stay on its one day)."""
    if s.discharged_on == s.admitted_on:
        return d == s.admitted_on
    return s.admitted_on <= d and (s.discharged_on is None or d < s.discharged_on)


def person_days(s: StayRow, p: Period) -> int:
    if s.discharged_on == s.admitted_on:
        return 1 if s.admitted_on in p else 0
    lo = max(s.admitted_on, p.first)
    hi = p.last if s.discharged_on is None else min(p.last, s.discharged_on - ONE_DAY)
    return max(0, (hi - lo).days + 1)


def in_residence_at_start(s: StayRow, p: Period) -> bool:
    return s.admitted_on < p.first and (s.discharged_on is None or s.discharged_on >= p.first)


def in_residence_at_end(s: StayRow, p: Period) -> bool:
    return s.admitted_on <= p.last and (s.discharged_on is None or s.discharged_on > p.last)


def stay_length(s: StayRow) -> int:
    """Days of a closed stay, at least 1."""
    assert s.discharged_on is not None
    return max(1, (s.discharged_on - s.admitted_on).days)


def daily_counts(stays: Iterable[StayRow], p: Period) -> tuple[list[int], list[int]]:
    """Residents and companion children counted on each day of ``p``."""
    women = [0] * p.days
    kids = [0] * p.days
    for s in stays:
        if s.discharged_on == s.admitted_on:
            lo = hi = s.admitted_on
        else:
            lo = s.admitted_on
            hi = s.discharged_on - ONE_DAY if s.discharged_on else p.last
        lo, hi = max(lo, p.first), min(hi, p.last)
        for i in range((lo - p.first).days, (hi - p.first).days + 1):
            women[i] += 1
            kids[i] += s.children
    return women, kids


# -- capacity ---------------------------------------------------------------------------------

def capacity_by_day(history: Sequence[tuple[date, int]], fallback: int,
                    p: Period) -> list[int]:
    """Each day's capacity: the latest change taking effect on or before it
    (``history`` = (effective from, capacity)); before the first change, and
    with no history at all, ``fallback``."""
    changes = sorted(history)
    out = []
    for d in p.each_day():
        cap = fallback
        for since, value in changes:
            if since <= d:
                cap = value
            else:
                break
        out.append(cap)
    return out


# -- percentages, averages, suppression -------------------------------------------------------

def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, one decimal, rounded half up; None
    when ``whole`` is 0 (nothing to divide: printed as a dash)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean_one_decimal(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def is_small(count: int) -> bool:
    return count in SMALL


def shown_count(count: int, suppress: bool) -> int | str:
    return SUPPRESSED if suppress and is_small(count) else count


def shown_percent(value: Decimal | None, count: int, suppress: bool) -> Decimal | None:
    """A percentage derived from ``count``: withheld (None) when that count is suppressed."""
    return None if suppress and is_small(count) else value


def format_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def format_decimal(value: Decimal | None) -> str:
    return "—" if value is None else str(value)


# -- ages -------------------------------------------------------------------------------------

def age_at_admission(s: StayRow) -> int | None:
    if s.birth_date is not None:
        return age_on(s.birth_date, s.admitted_on)
    return s.estimated_age


def bracket_at_admission(s: StayRow) -> str:
    """The stay's age bracket: the one recorded at a purge, else from her age."""
    return s.age_bracket or age_bracket(age_at_admission(s))


def age_bracket(age: int | None) -> str:
    if age is None or age < 0:
        return "unknown"
    if age < 18:
        return "under18"
    if age < 20:
        return "18-19"
    if age >= 60:
        return "60+"
    return f"{age // 10 * 10}s"


# -- the period's figures ------------------------------------------------------------------

def _count_codes(values: Iterable[str | None], order: Sequence[str]) -> dict[str, int]:
    found = Counter(v for v in values if v)
    out = {c: found.get(c, 0) for c in order}
    for extra in sorted(set(found) - set(order)):  # a code no list knows: shown, not lost
        out[extra] = found[extra]
    return out


@dataclass
class Movement:
    """Admissions, discharges and what they break down into, for one period."""
    admissions: int
    discharges: int
    main_complaint: dict[str, int]
    referral_source: dict[str, int]
    discharge_destination: dict[str, int]
    age_brackets: dict[str, int]
    companion_children: int
    admissions_with_children: int
    average_stay_days: Decimal | None
    stay_lengths: list[int] = field(default_factory=list)

    @property
    def companion_rate_pct(self) -> Decimal | None:
        return percent(self.admissions_with_children, self.admissions)


def movement(stays: Iterable[StayRow], p: Period) -> Movement:
    stays = list(stays)
    admitted = [s for s in stays if s.admitted_on in p]
    left = [s for s in stays if s.discharged_on is not None and s.discharged_on in p]
    lengths = [stay_length(s) for s in left]
    return Movement(
        admissions=len(admitted),
        discharges=len(left),
        main_complaint=_count_codes((s.main_complaint for s in admitted), COMPLAINT_ORDER),
        referral_source=_count_codes((s.referral_source for s in admitted),
                                     [c.code for c in codes.REFERRAL_SOURCE]),
        discharge_destination=_count_codes((s.discharge_destination for s in left),
                                           [c.code for c in codes.DISCHARGE_DESTINATION]),
        age_brackets=_count_codes((bracket_at_admission(s) for s in admitted),
                                  AGE_BRACKETS),
        companion_children=sum(s.children for s in admitted),
        admissions_with_children=sum(1 for s in admitted if s.children > 0),
        average_stay_days=mean_one_decimal(lengths),
        stay_lengths=lengths,
    )


@dataclass
class Occupancy:
    """Person-days and occupancy of one period, day by day."""
    period: Period
    capacity_by_day: list[int]
    residents_by_day: list[int]
    children_by_day: list[int]
    in_residence_start: int
    in_residence_end: int
    by_room: dict[str, int]

    @property
    def resident_person_days(self) -> int:
        return sum(self.residents_by_day)

    @property
    def child_person_days(self) -> int:
        return sum(self.children_by_day)

    @property
    def capacity_days(self) -> int:
        return sum(self.capacity_by_day)

    @property
    def occupancy_rate_pct(self) -> Decimal | None:
        return percent(self.resident_person_days, self.capacity_days)

    @property
    def capacity_changed(self) -> bool:
        return len(set(self.capacity_by_day)) > 1


def occupancy(stays: Iterable[StayRow], p: Period, capacity: Callable[[Period], list[int]]
              | list[int]) -> Occupancy:
    stays = list(stays)
    women, kids = daily_counts(stays, p)
    caps = capacity(p) if callable(capacity) else list(capacity)
    rooms: Counter[str] = Counter()
    for s in stays:
        n = person_days(s, p)
        if n:
            rooms[s.room] += n
    return Occupancy(
        period=p, capacity_by_day=caps, residents_by_day=women, children_by_day=kids,
        in_residence_start=sum(1 for s in stays if in_residence_at_start(s, p)),
        in_residence_end=sum(1 for s in stays if in_residence_at_end(s, p)),
        by_room=dict(sorted(rooms.items(), key=lambda kv: (kv[0] == "", kv[0]))),
    )


def overlapping(stays: Iterable[StayRow], p: Period) -> list[StayRow]:
    """The stays that touch ``p`` at all (what the store reads for it)."""
    return [s for s in stays
            if s.admitted_on <= p.last and (s.discharged_on is None or s.discharged_on >= p.first)]
