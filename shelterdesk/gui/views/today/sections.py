"""The sections of the Today page, in order: the one list a new kind of
"what needs her" is added to.

Each :class:`TodaySection` names its title (N_ msgid) and a function that
returns its lines for a day, a week's end and a staff member (None:
everyone). A line says whose record it concerns and which tab of it opens
(the tab's class name, see record/tabs.py), or which page. The aftercare
branch adds its follow-ups as one more entry, e.g.
``TodaySection("aftercare", N_("Follow-up calls and visits due"), _aftercare)``.
Functions read through the store only; they run on the UI thread and must
stay fast (``make bench`` measures the page's first paint).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from shelterdesk.core import casework, codes
from shelterdesk.core.dates import format_date
from shelterdesk.i18n import N_, _
from shelterdesk.store import aftercare, child_support, plans, programme


@dataclass(frozen=True)
class TodayLine:
    text: str
    when: date | None = None
    overdue: bool = False
    resident_id: int | None = None
    tab: str | None = None     # the record tab's class name, when the line opens her record
    page: str | None = None    # else a page's key (features.py)
    name: str = ""             # her display name
    target: int | None = None  # what to select in the tab (a milestone's or an item's id)


@dataclass(frozen=True)
class TodaySection:
    key: str
    title: str  # N_() msgid
    lines: Callable[[object, date, date, int | None], list[TodayLine]]
    roles: frozenset[str] = codes.CASEWORK


def _milestones(db, today: date, until: date, staff_id: int | None) -> list[TodayLine]:
    return [TodayLine(m.title, m.target_on, m.overdue, m.resident_id, "PlanTab",
                      name=m.display_name, target=m.milestone_id)
            for m in plans.due_milestones(db, until, staff_id, today=today)]


def _reviews(db, today: date, until: date, staff_id: int | None) -> list[TodayLine]:
    return [TodayLine(_("Plan review"), r.next_review_on, r.next_review_on < today,
                      r.resident_id, "PlanTab", name=r.display_name)
            for r in plans.reviews_due(db, until)]


def _child_steps(db, today: date, until: date, staff_id: int | None) -> list[TodayLine]:
    return [TodayLine(f"{s.child_name} — {casework.CHILD_STEP.label(s.step)}"
                      f"（{casework.CHILD_STEP_STATUS.label(s.status)}）", s.on_date, False,
                      s.resident_id, "ChildSupportTab", name=s.display_name)
            for s in child_support.pending_steps(db, staff_id, today)]


def _aftercare(db, today: date, until: date, staff_id: int | None) -> list[TodayLine]:
    return [TodayLine(codes.AFTERCARE_KIND.label(r.kind), r.due_on, r.due_on < today,
                      r.resident_id, "AftercareTab", name=r.display_name, target=r.item_id)
            for r in aftercare.due(db, until, staff_id, today=today)]


def _sessions(db, today: date, until: date, staff_id: int | None) -> list[TodayLine]:
    return [TodayLine(f"{r.title}（{r.facilitator}）" if r.facilitator else r.title,
                      r.held_on, page="programme")
            for r in reversed(programme.sessions_between(db, today, today))]


SECTIONS: tuple[TodaySection, ...] = (
    TodaySection("milestones", N_("Milestones overdue or due this week"), _milestones),
    TodaySection("reviews", N_("Plan reviews due"), _reviews),
    TodaySection("children", N_("Children's steps pending"), _child_steps),
    TodaySection("aftercare", N_("Follow-up calls and visits due"), _aftercare),
    TodaySection("sessions", N_("Sessions today"), _sessions),
)


def when_text(line: TodayLine) -> str:
    return format_date(line.when) if line.when else ""
