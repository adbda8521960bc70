"""What the pages of the admission wizard share, and nothing else.

Why an object of its own: each page owns its widgets and reads them into an
:class:`IntakeData`; the few facts that cross pages (her earlier record on a
readmission, whether a draft is being filled in, whether the admission is
saved) live here, and a page hears about them through this object's signals,
never by reaching into another page. Holds no widget and no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from PySide6.QtCore import QObject, Signal

from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.core.validation import FieldError
from shelterdesk.store import stays


def iso_date(d: date | None) -> str:
    return d.isoformat() if d else ""


def date_or_none(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@dataclass
class IntakeData:
    """The admission as the pages read it, in page order: her details and the
    stay (essentials), children, safety and consents, the bed."""

    resident: Resident
    stay: Stay = field(default_factory=Stay)
    children: list[Child] = field(default_factory=list)
    existing_child_ids: list[int] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    #: As the essentials and room pages show them (for the review).
    language_label: str = ""
    bed_label: str = ""
    #: What every page still finds wrong (filled in by the wizard, for the review).
    problems: list[FieldError] = field(default_factory=list)

    @property
    def arrival(self) -> datetime | None:
        return self.stay.admitted_at

    def child_count(self) -> int:
        return len(self.children) + len(self.existing_child_ids)

    def admission(self) -> stays.Admission:
        return stays.Admission(resident=self.resident, stay=self.stay, children=self.children,
                               existing_child_ids=self.existing_child_ids,
                               consents=self.consents)


class IntakeState(QObject):
    """Shared by the wizard and its pages (one per wizard, reset for the next
    arrival)."""

    #: Something was typed or chosen: the draft is kept about a second later.
    edited = Signal()
    #: Her earlier record was loaded (True: fill the pages from it) or dropped
    #: (False, with ``earlier`` None).
    earlierRecordChanged = Signal(bool)

    def __init__(self, session, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.db = session.db
        #: True while pages are filled from a draft or a record: no "edited".
        self.restoring = False
        self.earlier: Resident | None = None
        self.earlier_children: list[Child] = []
        #: (stay id, resident id) once the admission is saved.
        self.saved: tuple[int, int] | None = None

    @property
    def same_resident_id(self) -> int | None:
        return self.earlier.id if self.earlier is not None else None

    def touched(self, *_args) -> None:
        """Connect widgets' change signals here."""
        if not self.restoring and self.saved is None:
            self.edited.emit()

    def set_earlier(self, resident: Resident | None, children: list[Child] = (), *,
                    fill: bool = False) -> None:
        """Staff said "same person" (or a draft said so): her record is the base
        of the admission, so fields the wizard does not show are kept."""
        self.earlier = resident
        self.earlier_children = list(children) if resident is not None else []
        restoring, self.restoring = self.restoring, True  # filling is not typing
        try:
            self.earlierRecordChanged.emit(fill and resident is not None)
        finally:
            self.restoring = restoring

    def new_data(self) -> IntakeData:
        """An empty admission on her earlier record (or on a new one)."""
        base = self.earlier or Resident()
        resident = Resident(**{k: v for k, v in vars(base).items() if k != "safety"})
        resident.id = self.same_resident_id
        return IntakeData(resident=resident)

    def reset(self) -> None:
        self.saved = None
        self.set_earlier(None)
