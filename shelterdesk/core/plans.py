"""Independence plans (自立支援計画): the records, "overdue", and the checks
made before anything is written.

"Overdue" is derived, never stored: a milestone whose target date has passed
and that is neither done nor dropped. Storing it would go stale overnight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shelterdesk.core import codes
from shelterdesk.core.validation import LONG_TEXT, SHORT_TEXT, Checker, FieldError
from shelterdesk.i18n import _, pgettext

#: Statuses that close a milestone (never overdue).
CLOSED = frozenset({"done", "dropped"})


def is_overdue(target_on: date | None, status: str, today: date) -> bool:
    return target_on is not None and status not in CLOSED and target_on < today


@dataclass
class Milestone:
    goal_id: int | None = None
    title: str = ""
    target_on: date | None = None
    status: str = "planned"
    responsible_account_id: int | None = None
    partner_agency: str = ""
    note: str = ""
    dropped_reason: str = ""
    id: int | None = None
    #: The responsible staff member's name (read from the account; not written).
    responsible: str = ""

    def overdue(self, today: date) -> bool:
        return is_overdue(self.target_on, self.status, today)


@dataclass
class Goal:
    plan_id: int | None = None
    domain: str = "other"
    goal: str = ""
    sort: int = 0
    id: int | None = None
    milestones: list[Milestone] = field(default_factory=list)


@dataclass
class Review:
    reviewed_on: date
    note: str = ""
    next_review_on: date | None = None
    id: int | None = None


@dataclass
class Plan:
    stay_id: int
    created_on: date
    next_review_on: date | None = None
    note: str = ""
    id: int | None = None
    goals: list[Goal] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)  # newest first

    @property
    def last_review(self) -> Review | None:
        return self.reviews[0] if self.reviews else None

    def milestones(self) -> list[Milestone]:
        return [m for g in self.goals for m in g.milestones]


@dataclass(frozen=True)
class TemplateItem:
    """A common goal of one domain with its usual milestones (the template is
    data in the database, edited by managers)."""
    domain: str
    goal: str
    milestones: tuple[str, ...] = ()
    id: int | None = None
    sort: int = 0


def check_goal(g: Goal) -> list[FieldError]:
    c = Checker()
    c.code("domain", _("Domain"), codes.PLAN_DOMAIN, g.domain)
    if not g.goal.strip():
        c.add("goal", _("Enter the goal."))
    c.length("goal", _("Goal"), g.goal, 200)
    return c.errors


def check_milestone(m: Milestone, stay_admitted_on: date | None) -> list[FieldError]:
    """A milestone as typed, against her stay: the target date cannot be before
    the stay began, and a dropped milestone says why."""
    c = Checker()
    if not m.title.strip():
        c.add("title", _("Enter the milestone."))
    c.length("title", _("Milestone"), m.title, 200)
    c.code("status", _("Status"), codes.MILESTONE_STATUS, m.status)
    if m.target_on is not None and stay_admitted_on is not None and \
            m.target_on < stay_admitted_on:
        c.add("target_on", _("The target date is before her stay began ({d}).").format(
            d=stay_admitted_on.isoformat()))
    if m.status == "dropped" and not m.dropped_reason.strip():
        c.add("dropped_reason", _("Say why the milestone was dropped."))
    c.length("partner_agency", _("Partner agency"), m.partner_agency, SHORT_TEXT)
    c.length("note", _("Note"), m.note, LONG_TEXT)
    c.length("dropped_reason", pgettext("milestone", "Reason"), m.dropped_reason, SHORT_TEXT)
    return c.errors


def check_review(r: Review, stay_admitted_on: date | None, today: date) -> list[FieldError]:
    c = Checker()
    if r.reviewed_on > today:
        c.add("reviewed_on", _("The review date is in the future."))
    elif stay_admitted_on is not None and r.reviewed_on < stay_admitted_on:
        c.add("reviewed_on", _("The review date is before her stay began ({d}).").format(
            d=stay_admitted_on.isoformat()))
    if r.next_review_on is not None and r.next_review_on <= r.reviewed_on:
        c.add("next_review_on", _("The next review must come after this one."))
    c.length("note", _("Note"), r.note, LONG_TEXT)
    return c.errors
