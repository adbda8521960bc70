"""The tabs of her record, in order: the one list a new tab is added to.

Each entry names the tab class (a module of this package, see base.RecordTab),
its title (marked with N_, translated when the page is built) and the roles
that may see it (None: everyone who may open her record). A caseworker's tab
(the independence plan, children's support, aftercare, case notes) is one
more module and one more line here, e.g.
``RecordTabEntry(PlanTab, N_("Plan"), codes.CASEWORK)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelterdesk.core import codes
from shelterdesk.gui.views.record.aftercare import AftercareTab
from shelterdesk.gui.views.record.base import RecordTab
from shelterdesk.gui.views.record.child_support import ChildSupportTab
from shelterdesk.gui.views.record.children import ChildrenTab
from shelterdesk.gui.views.record.consents import ConsentsTab
from shelterdesk.gui.views.record.notes import NotesTab
from shelterdesk.gui.views.record.plan import PlanTab
from shelterdesk.gui.views.record.profile import ProfileTab
from shelterdesk.gui.views.record.safety import SafetyTab
from shelterdesk.gui.views.record.stays import StaysTab
from shelterdesk.i18n import N_


@dataclass(frozen=True)
class RecordTabEntry:
    tab: type[RecordTab]
    title: str                      # an N_() msgid
    roles: frozenset[str] | None = None

    def visible_to(self, account) -> bool:
        """``account`` is the session's (None for a recovery session)."""
        if self.roles is None:
            return True
        return account is not None and bool(account.roles & self.roles)


TABS: tuple[RecordTabEntry, ...] = (
    RecordTabEntry(ProfileTab, N_("Profile")),
    RecordTabEntry(SafetyTab, N_("Safety")),
    RecordTabEntry(ChildrenTab, N_("Children")),
    RecordTabEntry(StaysTab, N_("Stays")),
    RecordTabEntry(ConsentsTab, N_("Consents")),
    RecordTabEntry(PlanTab, N_("Plan")),  # everyone sees it; caseworkers write
    RecordTabEntry(ChildSupportTab, N_("Children's support"), codes.EVERYONE),
    RecordTabEntry(NotesTab, N_("Case notes"), codes.EVERYONE),
    RecordTabEntry(AftercareTab, N_("Aftercare"), codes.CASEWORK),
)


def tabs_for(session) -> list[RecordTabEntry]:
    """The tabs this staff member sees, in order."""
    return [entry for entry in TABS if entry.visible_to(session.account)]
