"""Retention (記録の保存期間): when a resident's records have been kept long
enough, and the anonymous figures a purged stay leaves behind.

Pure functions over plain values (no SQL): store.retention reads the rows and
writes the purge.
"""

from __future__ import annotations

from datetime import date

from shelterdesk.core import statistics as st
from shelterdesk.core.dates import age_on


def keep_until(last_discharge: date, years: int) -> date:
    """The last day records are kept: ``years`` after the last discharge (29
    February moves to 28 February in a year without one)."""
    try:
        return last_discharge.replace(year=last_discharge.year + years)
    except ValueError:
        return last_discharge.replace(year=last_discharge.year + years, day=28)


def is_past_retention(last_discharge: date | None, years: int | None, today: date) -> bool:
    """Past the retention period: discharged (no open stay) and the period
    after the last discharge is over. No period set: nothing is past it."""
    if last_discharge is None or not years:
        return False
    return today > keep_until(last_discharge, years)


def age_bracket(birth: date | None, estimated_age: int | None, admitted_on: date) -> str:
    """The bracket a purged stay keeps (core.statistics' definition and codes)."""
    return st.age_bracket(age_on(birth, admitted_on) if birth else estimated_age)
