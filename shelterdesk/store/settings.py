"""Facility settings: the ``meta`` keys that documents and screens read and
that an administrator changes.

Read them through the typed getters here, never with ``db.get_meta``: a value
missing or unreadable in the database gives the documented default (or
``None`` where a document prints a blank for staff to fill in), never an
exception in the middle of printing. Write them only with :func:`update`:
it checks the role and every value first, writes all of them in one
transaction and audits each key. Audit details carry the value for numbers,
switches and codes, and only the key for free text (a facility's name can
give away where it is).

Keys that are not settings stay where they belong: ``database_id`` and
``audit_head`` in ``database``, ``rotation_advised`` in ``accounts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from shelterdesk.core.models import Facility
from shelterdesk.core.validation import Checker, ValidationError
from shelterdesk.i18n import DOCUMENT_LANGUAGES, _

FACILITY_NAME = "facility_name"
CAPACITY = "capacity"
IDLE_LOCK_MINUTES = "idle_lock_minutes"
BOARD_SHOWS_ALIAS = "board_shows_alias"
RECORD_RETENTION_YEARS = "record_retention_years"
CURFEW = "curfew"
QUIET_HOURS = "quiet_hours"
CONSENT_LANGUAGE = "consent_language"
BACKUP_REMINDER_DAYS = "backup_reminder_days"
CLOSURE_DAYS = "closure_days"
#: Not a key of ``meta``: the date a capacity change takes effect (``update``'s
#: ``capacity_from``), named here so its errors have a field.
CAPACITY_FROM = "capacity_from"

CAPACITY_RANGE = (1, 1000)
IDLE_LOCK_RANGE = (1, 120)
RETENTION_RANGE = (1, 100)
HOURS_TEXT = 40
BACKUP_REMINDER_RANGE = (1, 365)
MAX_CLOSURE_DAYS = 60

#: Who may change settings.
SETTINGS_ROLES = ("admin",)

_INT_KEYS = (CAPACITY, IDLE_LOCK_MINUTES, RECORD_RETENTION_YEARS, BACKUP_REMINDER_DAYS)
_BOOL_KEYS = (BOARD_SHOWS_ALIAS,)
_TEXT_KEYS = (FACILITY_NAME, CURFEW, QUIET_HOURS)
_CODE_KEYS = (CONSENT_LANGUAGE,)
_DATES_KEYS = (CLOSURE_DAYS,)
KEYS = _TEXT_KEYS[:1] + _INT_KEYS + _BOOL_KEYS + _TEXT_KEYS[1:] + _CODE_KEYS + _DATES_KEYS


@dataclass(frozen=True)
class HouseRules:
    """What the house-rules and consent sheet prints; ``None`` or "" when the
    facility has not set it (the sheet then prints a blank, never a guess)."""
    record_retention_years: int | None
    curfew: str
    quiet_hours: str


# -- reading ---------------------------------------------------------------------

def _text(db, key: str) -> str:
    return (db.get_meta(key) or "").strip()


def _int(db, key: str) -> int | None:
    value = _text(db, key)
    return int(value) if value.isdigit() else None


def facility_name(db) -> str:
    return _text(db, FACILITY_NAME)


def capacity(db) -> int:
    """The capacity in effect today (see :func:`capacity_on`)."""
    return capacity_on(db, date.today())


def capacity_on(db, day: date) -> int:
    """The capacity in effect on ``day``: the latest change that took effect on
    or before it (table ``capacity_change``), else the capacity set at
    creation. The reports' capacity over time reads this."""
    row = db.query_one("SELECT capacity FROM capacity_change WHERE effective_on <= ? "
                       "ORDER BY effective_on DESC LIMIT 1", (day.isoformat(),))
    if row is not None:
        return int(row[0])
    return _int(db, CAPACITY) or 0


def capacity_changes(db) -> list[tuple[date, int]]:
    """Every recorded change (effective date, capacity), oldest first; the
    first, effective from ``date.min``, is the capacity before any change."""
    return [(date.fromisoformat(d), int(c)) for d, c in db.query(
        "SELECT effective_on, capacity FROM capacity_change ORDER BY effective_on")]


def backup_reminder_days(db) -> int:
    """Days after the last verified backup before managers are reminded (7)."""
    return _int(db, BACKUP_REMINDER_DAYS) or 7


def closure_days(db) -> tuple[date, ...]:
    """The facility's own closure days (besides the public-office calendar)."""
    out = []
    for part in _text(db, CLOSURE_DAYS).split(","):
        try:
            out.append(date.fromisoformat(part.strip()))
        except ValueError:
            continue
    return tuple(sorted(set(out)))


def idle_lock_minutes(db) -> int:
    return _int(db, IDLE_LOCK_MINUTES) or 5


def board_shows_alias(db) -> bool:
    """The board shows aliases unless the facility chose legal names."""
    return db.get_meta(BOARD_SHOWS_ALIAS, "1") == "1"


def house_rules(db) -> HouseRules:
    return HouseRules(_int(db, RECORD_RETENTION_YEARS), _text(db, CURFEW), _text(db, QUIET_HOURS))


def consent_language(db) -> str:
    """The language the consent sheet is offered in first ("ja" unless set)."""
    value = _text(db, CONSENT_LANGUAGE)
    return value if value in DOCUMENT_LANGUAGES else "ja"


def facility(db) -> Facility:
    return Facility(name=facility_name(db), capacity=capacity(db),
                    database_id=db.database_id, idle_lock_minutes=idle_lock_minutes(db),
                    board_shows_alias=board_shows_alias(db))


# -- checking and writing ------------------------------------------------------------

def check(values: dict[str, Any]) -> list:
    """Field errors (field = the key) for ``values``; unknown keys are errors
    of the caller, not of the user, and raise KeyError."""
    c = Checker()
    for key, value in values.items():
        if key not in KEYS:
            raise KeyError(key)
        if key == FACILITY_NAME:
            if not str(value).strip():
                c.add(key, _("Enter the facility name."))
            c.length(key, _("Facility name"), str(value))
        elif key == CAPACITY:
            if not _in_range(value, CAPACITY_RANGE):
                c.add(key, _("Capacity must be between 1 and 1000."))
        elif key == IDLE_LOCK_MINUTES:
            if not _in_range(value, IDLE_LOCK_RANGE):
                c.add(key, _("The idle lock must be between {low} and {high} minutes.").format(
                    low=IDLE_LOCK_RANGE[0], high=IDLE_LOCK_RANGE[1]))
        elif key == RECORD_RETENTION_YEARS:
            if value is not None and not _in_range(value, RETENTION_RANGE):
                c.add(key, _("Records must be kept between {low} and {high} years.").format(
                    low=RETENTION_RANGE[0], high=RETENTION_RANGE[1]))
        elif key in (CURFEW, QUIET_HOURS):
            c.length(key, _("Curfew") if key == CURFEW else _("Quiet hours"), str(value or ""),
                     HOURS_TEXT)
        elif key == CONSENT_LANGUAGE:
            if value not in DOCUMENT_LANGUAGES:
                c.add(key, _("Choose one of the languages of the documents."))
        elif key == BACKUP_REMINDER_DAYS:
            if not _in_range(value, BACKUP_REMINDER_RANGE):
                c.add(key, _("The backup reminder must be between {low} and {high} "
                             "days.").format(low=BACKUP_REMINDER_RANGE[0],
                                             high=BACKUP_REMINDER_RANGE[1]))
        elif key == CLOSURE_DAYS:
            days = list(value or ())
            if not all(isinstance(d, date) for d in days):
                c.add(key, _("Closure days must be dates."))
            elif len(set(days)) > MAX_CLOSURE_DAYS:
                c.add(key, _("At most {n} closure days can be set.").format(n=MAX_CLOSURE_DAYS))
        elif key in _BOOL_KEYS and not isinstance(value, bool):
            raise TypeError(f"{key} takes True or False")
    return c.errors


def _in_range(value, bounds: tuple[int, int]) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) \
        and bounds[0] <= value <= bounds[1]


def _stored(key: str, value) -> str:
    if key in _BOOL_KEYS:
        return "1" if value else "0"
    if key in _DATES_KEYS:
        return ",".join(d.isoformat() for d in sorted(set(value or ())))
    if value is None:
        return ""
    return str(value).strip()


def _audit_detail(key: str, stored: str) -> str:
    if key in _DATES_KEYS:
        return f"{key}={len(stored.split(',')) if stored else 0} days"
    return key if key in _TEXT_KEYS else f"{key}={stored}"


def update(session, values: dict[str, Any], *, capacity_from: date | None = None,
           today: date | None = None) -> None:
    """Change the settings in ``values`` (key → typed value) as one user
    action: an administrator only, every value checked before anything is
    written, all of them or none, one audit row per key.

    A capacity is recorded with the date it takes effect (``capacity_from``,
    today if not given) in ``capacity_change``; the ``capacity`` key follows
    only once that date has come (:func:`capacity` reads the history)."""
    session.require(*SETTINGS_ROLES)
    today = today or date.today()
    errors = check(values)
    if CAPACITY in values and capacity_from is not None and not isinstance(capacity_from, date):
        errors.append(_date_error())
    if errors:
        raise ValidationError(errors)
    db = session.db
    with db.transaction() as con:
        for key, value in values.items():
            stored = _stored(key, value)
            if key == CAPACITY:
                effective = capacity_from or today
                _record_capacity(con, db, int(value), effective)
                db.audit("update", "setting", None,
                         f"{key}={stored} from={effective.isoformat()}")
                if effective > today:
                    continue  # meta's capacity follows when the date comes
            else:
                db.audit("update", "setting", None, _audit_detail(key, stored))
            con.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, stored))


def _date_error():
    from shelterdesk.core.validation import FieldError
    return FieldError(CAPACITY_FROM, _("Enter the date the capacity takes effect."))


def _record_capacity(con, db, capacity_value: int, effective: date) -> None:
    from shelterdesk.store.rows import now_text
    if con.execute("SELECT count(*) FROM capacity_change").fetchone()[0] == 0:
        before = _int(db, CAPACITY)
        if before:
            con.execute("INSERT INTO capacity_change(effective_on, capacity, changed_at) "
                        "VALUES (?, ?, ?)", (date.min.isoformat(), before, now_text()))
    con.execute("INSERT INTO capacity_change(effective_on, capacity, changed_at) VALUES (?, ?, ?) "
                "ON CONFLICT(effective_on) DO UPDATE SET capacity=excluded.capacity, "
                "changed_at=excluded.changed_at",
                (effective.isoformat(), capacity_value, now_text()))


def seed(con, f: Facility, created_at: str) -> None:
    """The first settings of a new database (inside its creating transaction;
    ``f`` has been checked by the caller)."""
    for key, value in ((FACILITY_NAME, f.name.strip()), (CAPACITY, str(f.capacity)),
                       (IDLE_LOCK_MINUTES, str(f.idle_lock_minutes)),
                       (BOARD_SHOWS_ALIAS, _stored(BOARD_SHOWS_ALIAS, f.board_shows_alias)),
                       ("created_at", created_at)):
        con.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (key, value))
