"""Validation of what staff type, before anything is written.

Every rule names the field it concerns so the GUI can show the message next to
that field; messages are in the user's language. A record with any error is
not written at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shelterdesk.core import codes
from shelterdesk.core.dates import age_on
from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.core.text import is_kana
from shelterdesk.i18n import _

OLDEST_PLAUSIBLE_AGE = 110
SHORT_TEXT = 100
LONG_TEXT = 4000


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(ValueError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))

    def for_field(self, name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == name]


class Checker:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def length(self, field: str, label: str, value: str | None, limit: int = SHORT_TEXT) -> None:
        if value and len(value) > limit:
            self.add(field, _("{field} is too long (at most {n} characters).").format(
                field=label, n=limit))

    def code(self, field: str, label: str, codelist: codes.CodeList, value: str | None,
             required: bool = True) -> None:
        if not value:
            if required:
                self.add(field, _("{field} is required.").format(field=label))
        elif value not in codelist:
            self.add(field, _("{field}: {value!r} is not in the list.").format(
                field=label, value=value))

    def kana(self, field: str, label: str, value: str) -> None:
        if value and not is_kana(value):
            self.add(field, _("{field} must be written in kana.").format(field=label))

    def birth_date(self, field: str, value: date | None, today: date) -> None:
        if value is None:
            return
        if value > today:
            self.add(field, _("Date of birth is in the future."))
        elif age_on(value, today) > OLDEST_PLAUSIBLE_AGE:
            self.add(field, _("Date of birth is not plausible (over {n} years ago).").format(
                n=OLDEST_PLAUSIBLE_AGE))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def check_resident(r: Resident, today: date | None = None) -> list[FieldError]:
    today = today or date.today()
    c = Checker()
    if not (r.family_name.strip() or r.given_name.strip() or r.alias.strip()):
        c.add("family_name", _("Enter her name or an alias (one of them is enough)."))
    for f, label in (("family_name", _("Family name")), ("given_name", _("Given name")),
                     ("alias", _("Alias")), ("nationality", _("Nationality")),
                     ("safe_phone", _("Safe phone")),
                     ("registered_municipality", _("Municipality of registration"))):
        c.length(f, label, getattr(r, f))
    for f, label in (("family_kana", _("Family name (kana)")),
                     ("given_kana", _("Given name (kana)"))):
        c.length(f, label, getattr(r, f))
        c.kana(f, label, getattr(r, f))
    for f in ("health_notes", "allergies", "medications", "disability_certificate"):
        c.length(f, _("Notes"), getattr(r, f), LONG_TEXT)
    c.length("danger_warning", _("Danger warning"), r.safety.danger_warning, LONG_TEXT)
    c.birth_date("birth_date", r.birth_date, today)
    if r.estimated_age is not None and not (0 <= r.estimated_age <= OLDEST_PLAUSIBLE_AGE):
        c.add("estimated_age", _("Estimated age must be between 0 and {n}.").format(
            n=OLDEST_PLAUSIBLE_AGE))
    c.code("protection_order", _("Protection order"), codes.PROTECTION_ORDER,
           r.safety.protection_order)
    c.code("danger_level", _("Perpetrator danger"), codes.DANGER_LEVEL,
           r.safety.danger_level, required=False)
    return c.errors


def check_child(ch: Child, admitted_on: date | None, today: date | None = None,
                prefix: str = "") -> list[FieldError]:
    today = today or date.today()
    c = Checker()
    if not (ch.family_name.strip() or ch.given_name.strip()):
        c.add(prefix + "given_name", _("Enter the child's name."))
    for f, label in (("family_name", _("Family name")), ("given_name", _("Given name")),
                     ("relationship", _("Relationship")), ("grade", _("Grade")),
                     ("school_before", _("School or nursery before")),
                     ("school_after", _("School or nursery after"))):
        c.length(prefix + f, label, getattr(ch, f))
    for f, label in (("family_kana", _("Family name (kana)")),
                     ("given_kana", _("Given name (kana)"))):
        c.kana(prefix + f, label, getattr(ch, f))
    c.birth_date(prefix + "birth_date", ch.birth_date, today)
    if ch.birth_date and admitted_on and age_on(ch.birth_date, admitted_on) >= 18:
        c.add(prefix + "birth_date",
              _("A companion child must be under 18 at admission (this child was {age}).")
              .format(age=age_on(ch.birth_date, admitted_on)))
    c.code(prefix + "sex", _("Sex"), codes.SEX, ch.sex, required=False)
    return c.errors


def check_stay(s: Stay, now: datetime | None = None) -> list[FieldError]:
    now = now or datetime.now()
    c = Checker()
    if s.admitted_at is None:
        c.add("admitted_at", _("Arrival date is required."))
    elif s.admitted_at.date() > now.date():
        c.add("admitted_at", _("Arrival date is in the future."))
    c.code("admission_type", _("Admission type"), codes.ADMISSION_TYPE, s.admission_type)
    c.code("main_complaint", _("Primary complaint"), codes.MAIN_COMPLAINT, s.main_complaint)
    c.code("referral_source", _("Referral source"), codes.REFERRAL_SOURCE, s.referral_source)
    for tag in s.issue_tags:
        c.code("issue_tags", _("Secondary issues"), codes.ISSUE_TAG, tag)
    if s.discharged_on is not None:
        if s.admitted_at and s.discharged_on < s.admitted_at.date():
            c.add("discharged_on", _("Discharge date is before the admission date."))
        if s.discharged_on > now.date():
            c.add("discharged_on", _("Discharge date is in the future."))
        c.code("discharge_destination", _("Discharge destination"),
               codes.DISCHARGE_DESTINATION, s.discharge_destination)
    c.length("discharge_note", _("Discharge note"), s.discharge_note, LONG_TEXT)
    if s.review_on and s.admitted_at and s.review_on < s.admitted_at.date():
        c.add("review_on", _("Review date is before the admission date."))
    return c.errors


def check_consent(k: Consent, prefix: str = "") -> list[FieldError]:
    c = Checker()
    c.code(prefix + "scope", _("Consent scope"), codes.CONSENT_SCOPE, k.scope)
    if not k.recipient.strip():
        c.add(prefix + "recipient", _("Recipient is required."))
    c.length(prefix + "recipient", _("Recipient"), k.recipient)
    if k.given_on is None:
        c.add(prefix + "given_on", _("Date consent was given is required."))
    elif k.expires_on and k.expires_on < k.given_on:
        c.add(prefix + "expires_on", _("Expiry date is before the date consent was given."))
    if k.withdrawn_on and k.given_on and k.withdrawn_on < k.given_on:
        c.add(prefix + "withdrawn_on", _("Withdrawal date is before the date consent was given."))
    return c.errors
