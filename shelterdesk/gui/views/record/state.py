"""What the record's tabs share: the session and her record as last loaded.

Why one object: each tab fills itself from the same reading of the database
(one reload reads her, her stays, children and consents once), and the
"what is still missing" line and the header need all of it together. Tabs
read it; only :meth:`RecordState.load` writes it, and only the page calls that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shelterdesk.core.completeness import missing_items
from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import stays as stays_repo


@dataclass(eq=False)
class RecordState:
    session: Any
    resident: Resident | None = None
    stays: list[Stay] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    #: The stay chosen on the Stays tab (the print buttons print that one).
    selected_stay_id: int | None = None
    #: Tabs that edit part of her details (see base.DetailsPart).
    details_parts: list = field(default_factory=list)

    @property
    def db(self):
        return self.session.db

    @property
    def resident_id(self) -> int | None:
        return self.resident.id if self.resident is not None else None

    def load(self, resident_id: int, *, audit: bool) -> None:
        """Read her record; ``audit`` only for the view a person asked for
        (reloading after an edit is not a new view)."""
        self.resident = residents_repo.get_resident(self.db, resident_id, audit_view=audit)
        self.stays = stays_repo.stays_of(self.db, resident_id)
        self.children = residents_repo.children_of(self.db, resident_id)
        self.consents = residents_repo.consents_of(self.db, resident_id)

    def stay(self, stay_id: int | None) -> Stay | None:
        return next((s for s in self.stays if s.id == stay_id), None)

    def open_stay(self) -> Stay | None:
        return next((s for s in self.stays if s.discharged_on is None), None)

    def current_stay(self) -> Stay | None:
        return self.open_stay() or (self.stays[0] if self.stays else None)

    def selected_stay(self) -> Stay | None:
        return self.stay(self.selected_stay_id)

    def missing(self) -> list[str]:
        s = self.current_stay()
        kids = [c for c in self.children if s and c.id in s.child_ids] if s else self.children
        return missing_items(self.resident, s, kids, self.consents)
