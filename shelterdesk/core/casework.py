"""The caseworker's desk as data: children's school and nursery steps, who
may read a case note, the programme KPI and the Today page's time windows.

Why these lists live here and not in ``codes.ALL_LISTS``: they are not code
lists of DOMAIN.md's ledger or reports (the database's ``code`` table is
seeded from that dict and a migration would have to re-seed it); they are
fixed by the seeds' wording (the city report's 区域外就学 and 保育所の優先入所)
and used only by the store and the screens of this desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shelterdesk.core import codes
from shelterdesk.core.codes import CodeList, _list
from shelterdesk.core.dates import fiscal_year_of
from shelterdesk.i18n import N_

#: The checklist of school and nursery steps on every companion child's page
#: (the city report: a child attends a school near the shelter without moving
#: the residence record, agreed with the board of education; the school keeps
#: her whereabouts confidential; DV households' children enter nursery with
#: priority). ``kind`` is the child-support kind the step belongs to.
CHILD_STEP = _list(
    "child_step",
    ("out_of_area_school", N_("Attend a school near the shelter without moving the residence "
                              "record (out-of-area attendance agreed with the board of "
                              "education)"), "区域外就学（住民票を移さずに就学・教育委員会と協議）"),
    ("school_confidential", N_("The school keeps her whereabouts confidential"),
     "学校による所在情報の秘匿"),
    ("nursery_priority", N_("Priority nursery admission"), "保育所の優先入所"),
)
STEP_KIND = {"out_of_area_school": "schooling", "school_confidential": "schooling",
             "nursery_priority": "nursery"}

#: Ages (on the day) a step applies to: compulsory schooling from 6 to 15,
#: nursery under 6. A child whose age is unknown is offered every step.
STEP_AGES = {"out_of_area_school": (6, 15), "school_confidential": (6, 17),
             "nursery_priority": (0, 5)}


def step_applies(step: str, birth_date: date | None, on: date) -> bool:
    if birth_date is None:
        return True
    from shelterdesk.core.dates import age_on
    low, high = STEP_AGES.get(step, (0, 17))
    return low <= age_on(birth_date, on) <= high


CHILD_STEP_STATUS = _list(
    "child_step_status",
    ("pending", N_("Not started"), "未着手"),
    ("in_progress", N_("In progress"), "手続中"),
    ("done", N_("Done"), "完了"),
    ("not_needed", N_("Not needed"), "対象外"),
)
#: A step in these states is shown as pending (on her page and on Today).
OPEN_STEP = frozenset({"pending", "in_progress"})

#: Who may read a case note. The store filters by this in its query, so a note
#: for caseworkers never reaches an intake account's screen or memory.
NOTE_VISIBILITY = _list(
    "note_visibility",
    ("caseworker", N_("Caseworkers and managers"), "支援員・施設長"),
    ("all", N_("All staff (intake included)"), "全職員（受付を含む）"),
    ("manager", N_("Managers only"), "施設長のみ"),
)
VISIBLE_TO: dict[str, frozenset[str]] = {
    "all": codes.EVERYONE,
    "caseworker": codes.CASEWORK,
    "manager": codes.MANAGEMENT,
}


def readable_visibilities(roles) -> list[str]:
    """The visibility codes an account holding ``roles`` may read."""
    held = set(roles)
    return [code for code, who in VISIBLE_TO.items() if who & held]


#: The seed's KPI (第4 推進指標): independence-support lectures per fiscal year.
SESSION_TARGET = 50
RECENT_DAYS = 28  # "the last four weeks"


def fiscal_year_start(d: date) -> date:
    return date(fiscal_year_of(d), 4, 1)


def recent_window(today: date) -> tuple[date, date]:
    """The last four weeks, today included."""
    return today - timedelta(days=RECENT_DAYS - 1), today


def week_end(today: date) -> date:
    """"This week" on the Today page: the next seven days, today included."""
    return today + timedelta(days=6)


@dataclass(frozen=True)
class KpiCount:
    held: int
    target: int = SESSION_TARGET

    @property
    def reached(self) -> bool:
        return self.held >= self.target


__all__ = [
    "CHILD_STEP",
    "CHILD_STEP_STATUS",
    "NOTE_VISIBILITY",
    "OPEN_STEP",
    "SESSION_TARGET",
    "STEP_KIND",
    "VISIBLE_TO",
    "CodeList",
    "KpiCount",
    "fiscal_year_start",
    "readable_visibilities",
    "recent_window",
    "step_applies",
    "week_end",
]
