"""Aftercare schedules: working days as public offices count them, the default
schedule after a discharge, and where an item falls on the due list.

Working days (DOMAIN.md, 行政機関の休日に関する法律): not Saturday or Sunday, not
a national holiday (the ``holidays`` package's JP calendar: substitute and
"citizens'" holidays included), not 29 December – 3 January, and not a closure
day a partner registered (municipal calendars differ by ordinance). A due date
that is not a working day moves to the *next* working day, never back: a call
made early is a call she did not expect.

Pure functions over dates: no Qt, no SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from shelterdesk.i18n import N_

#: Days after the discharge of the default phone follow-ups (DOMAIN.md).
DEFAULT_PHONE_DAYS = (7, 14, 30, 90, 180, 365)
#: The visit interview offered when she agrees.
DEFAULT_VISIT_DAYS = 30
#: "Not reached" offers a retry this many working days later.
RETRY_WORKING_DAYS = 3


@lru_cache(maxsize=64)
def _jp_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("JP", years=[year]).keys())


def is_year_end(d: date) -> bool:
    """29 December – 3 January, closed in every public office."""
    return (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)


def is_working_day(d: date, closures: Iterable[date] = ()) -> bool:
    if d.weekday() >= 5 or is_year_end(d) or d in _jp_holidays(d.year):
        return False
    return d not in set(closures)


def next_working_day(d: date, closures: Iterable[date] = ()) -> date:
    """``d`` itself when it is a working day, else the next one."""
    closed = frozenset(closures)
    while not is_working_day(d, closed):
        d += timedelta(days=1)
    return d


def add_working_days(d: date, n: int, closures: Iterable[date] = ()) -> date:
    """The ``n``-th working day after ``d`` (n ≥ 1)."""
    closed = frozenset(closures)
    while n > 0:
        d += timedelta(days=1)
        if is_working_day(d, closed):
            n -= 1
    return d


@dataclass(frozen=True)
class PlannedItem:
    """One proposed follow-up before it is saved (the discharge step edits these)."""
    kind: str            # AFTERCARE_KIND code
    due_on: date
    offset_days: int = 0  # days after the discharge it was proposed for (0: added by hand)


def default_schedule(discharged_on: date, *, visit: bool = False,
                     closures: Iterable[date] = ()) -> list[PlannedItem]:
    """Phone at +7, +14, +30, +90, +180, +365 days (and a visit at +30 when
    she agrees), each moved to the next working day; sorted by date. Two calls
    that a closure pushes onto one day are kept a working day apart."""
    closed = frozenset(closures)
    items: list[PlannedItem] = []
    for n in DEFAULT_PHONE_DAYS:
        due = next_working_day(discharged_on + timedelta(days=n), closed)
        if items and due <= items[-1].due_on:
            # Two calls moved onto one day (a long closure): the later one a working day on.
            due = add_working_days(items[-1].due_on, 1, closed)
        items.append(PlannedItem("phone", due, n))
    if visit:
        n = DEFAULT_VISIT_DAYS
        items.append(PlannedItem("visit",
                                 next_working_day(discharged_on + timedelta(days=n), closed), n))
    return sorted(items, key=lambda i: (i.due_on, i.kind))


# -- the due list ---------------------------------------------------------------------------
OVERDUE = "overdue"
TODAY = "today"
THIS_WEEK = "this_week"
UPCOMING = "upcoming"
#: Sections of the due list, in the order shown, with their headings (msgids).
DUE_SECTIONS = ((OVERDUE, N_("Overdue")), (TODAY, N_("Today")),
                (THIS_WEEK, N_("This week")), (UPCOMING, N_("Upcoming")))


def week_end(today: date) -> date:
    """The Sunday ending ``today``'s week (weeks start on Monday)."""
    return today + timedelta(days=6 - today.weekday())


def due_section(due_on: date, today: date) -> str:
    if due_on < today:
        return OVERDUE
    if due_on == today:
        return TODAY
    if due_on <= week_end(today):
        return THIS_WEEK
    return UPCOMING


def reference_code(uid: str) -> str:
    """The short code a calendar entry carries instead of her name: the first
    eight characters of the item's random UID (never derived from ids)."""
    return uid.replace("-", "")[:8].upper()


# -- records --------------------------------------------------------------------------------
@dataclass
class Partner:
    """A partner agency (市町村の担当課, 児童相談所, …). ``recipient`` is its age
    X25519 recipient (``age1…``); empty means hand-overs to it use a passphrase."""
    id: int | None = None
    name: str = ""
    recipient: str = ""
    note: str = ""
    closures: tuple[date, ...] = ()


@dataclass
class Item:
    """One aftercare item as the store reads it (with her display name for lists)."""
    id: int
    stay_id: int
    resident_id: int
    kind: str
    due_on: date
    assignee_account_id: int | None
    assignee_partner_id: int | None
    outcome: str | None
    done_on: date | None
    note: str
    uid: str
    sequence: int
    display_name: str = ""
    assignee: str = ""  # the staff member's or partner's name, for lists

    @property
    def is_open(self) -> bool:
        return self.outcome is None


@dataclass(frozen=True)
class NewItem:
    """An item to save with a schedule: one of the proposal's lines as edited."""
    kind: str
    due_on: date
    assignee_account_id: int | None = None
    assignee_partner_id: int | None = None
    note: str = ""
