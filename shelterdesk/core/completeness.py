"""What is still missing from a resident's record after intake.

Why: the intake desk may save a stay as soon as the essentials are valid
(she is here, at night, exhausted); children, consents, the bed and the
kana are often completed the next day. So the record must say plainly what
is still open, and that list must be the same on the wizard's review page
and on the record screen. No Qt, no SQL: callers pass the records.
"""

from __future__ import annotations

from datetime import date

from shelterdesk.core.models import Child, Consent, Resident, Stay
from shelterdesk.i18n import _


def missing_items(resident: Resident, stay: Stay | None, children: list[Child],
                  consents: list[Consent], today: date | None = None) -> list[str]:
    """Sentences naming what is still missing, most important first."""
    today = today or date.today()
    out: list[str] = []
    if stay is not None and stay.discharged_on is None and stay.bed_id is None:
        out.append(_("No bed assigned"))
    if not any(k.valid_on(today) for k in consents):
        out.append(_("No valid consent recorded"))
    if not (resident.family_name.strip() or resident.given_name.strip()):
        out.append(_("Legal name not recorded (alias only)"))
    if not (resident.family_kana.strip() and resident.given_kana.strip()):
        out.append(_("Kana of her name missing"))
    if resident.birth_date is None:
        if resident.estimated_age is not None:
            out.append(_("Date of birth missing (estimated age only)"))
        else:
            out.append(_("Date of birth missing"))
    if resident.safety.danger_level is None:
        out.append(_("Perpetrator danger not assessed"))
    for i, ch in enumerate(children, 1):
        label = ch.name or _("child {n}").format(n=i)
        if ch.birth_date is None:
            out.append(_("Date of birth missing for {child}").format(child=label))
        if not (ch.family_kana.strip() or ch.given_kana.strip()):
            out.append(_("Kana missing for {child}").format(child=label))
    return out
