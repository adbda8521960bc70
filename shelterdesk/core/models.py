"""Plain records passed between the store, the services' callers and the
documents. No behaviour that touches storage or Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from shelterdesk.core.dates import age_on


@dataclass
class Facility:
    name: str
    capacity: int
    database_id: str = ""
    idle_lock_minutes: int = 5
    board_shows_alias: bool = True


@dataclass
class Bed:
    id: int | None
    room_id: int | None
    label: str


@dataclass
class Room:
    id: int | None
    name: str
    family: bool = False
    out_of_service: bool = False
    note: str = ""
    beds: list[Bed] = field(default_factory=list)


@dataclass
class Account:
    id: int | None
    login: str
    display_name: str
    roles: frozenset[str] = frozenset()
    disabled: bool = False

    def has(self, role: str) -> bool:
        return role in self.roles


@dataclass
class SafetyFlags:
    support_measure: bool = False  # 住民基本台帳 支援措置
    protection_order: str = "none"  # PROTECTION_ORDER code
    danger_level: str | None = None  # DANGER_LEVEL code
    danger_warning: str = ""
    whereabouts_secret: bool = False

    @property
    def any(self) -> bool:
        return (self.support_measure or self.protection_order in ("applied", "issued")
                or self.danger_level is not None or self.whereabouts_secret)


@dataclass
class Resident:
    id: int | None = None
    family_name: str = ""
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    alias: str = ""
    birth_date: date | None = None
    estimated_age: int | None = None
    nationality: str = ""
    language: str = "ja"
    interpreter_needed: bool = False
    safe_phone: str = ""
    registered_municipality: str = ""
    health_notes: str = ""
    disability_certificate: str = ""
    pregnant: bool = False
    allergies: str = ""
    medications: str = ""
    safety: SafetyFlags = field(default_factory=SafetyFlags)

    @property
    def legal_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def kana(self) -> str:
        return f"{self.family_kana} {self.given_kana}".strip()

    @property
    def display_name(self) -> str:
        """The alias when she is registered under one, else her legal name."""
        return self.alias or self.legal_name

    def age_on(self, on: date) -> int | None:
        if self.birth_date:
            return age_on(self.birth_date, on)
        return self.estimated_age


@dataclass
class Child:
    id: int | None = None
    resident_id: int | None = None
    family_name: str = ""
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    birth_date: date | None = None
    sex: str | None = None
    relationship: str = ""
    school_before: str = ""
    school_after: str = ""
    grade: str = ""
    health_notes: str = ""
    allergies: str = ""
    child_guidance: bool = False
    special_needs: str = ""

    @property
    def name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def kana(self) -> str:
        return f"{self.family_kana} {self.given_kana}".strip()


@dataclass
class Stay:
    id: int | None = None
    resident_id: int | None = None
    admitted_at: datetime | None = None
    admission_type: str = ""
    main_complaint: str = ""
    issue_tags: tuple[str, ...] = ()
    referral_source: str = ""
    bed_id: int | None = None
    review_on: date | None = None
    discharged_on: date | None = None
    discharge_destination: str | None = None
    discharge_note: str = ""
    ledger_id: str | None = None
    child_ids: tuple[int, ...] = ()

    @property
    def admitted_on(self) -> date | None:
        return self.admitted_at.date() if self.admitted_at else None

    def days_in_residence(self, today: date) -> int:
        """Days counted as in DOMAIN.md: admission day to the day before
        discharge, at least 1."""
        if not self.admitted_at:
            return 0
        end = self.discharged_on or today
        return max(1, (end - self.admitted_at.date()).days + (0 if self.discharged_on else 1))


@dataclass
class Consent:
    id: int | None = None
    resident_id: int | None = None
    scope: str = ""
    recipient: str = ""
    given_on: date | None = None
    expires_on: date | None = None
    withdrawn_on: date | None = None

    def valid_on(self, d: date) -> bool:
        return (self.given_on is not None and self.given_on <= d
                and (self.expires_on is None or d <= self.expires_on)
                and (self.withdrawn_on is None or d < self.withdrawn_on))


@dataclass
class ResidentRow:
    """One line of the residents list: one stay (the latest, or the open one)."""
    resident_id: int
    stay_id: int | None
    display_name: str
    legal_name: str
    alias: str
    kana: str
    age: int | None
    room: str
    bed: str
    admitted_on: date | None
    discharged_on: date | None
    days: int
    children: int
    safety: SafetyFlags
    discharge_destination: str | None = None  # DISCHARGE_DESTINATION code of that stay


@dataclass
class AuditEntry:
    id: int
    at: datetime
    account_id: int | None
    action: str
    entity: str
    entity_id: int | None
    detail: str
