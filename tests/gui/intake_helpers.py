"""Synthetic, plainly fictitious residents for the intake-desk GUI tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from shelterdesk.core.models import Child, Resident, SafetyFlags, Stay
from shelterdesk.store import rooms, stays


def bed_id(db, room: str, bed: str) -> int:
    return next(b.bed_id for b in rooms.bed_board(db) if (b.room, b.bed) == (room, bed))


def admit_sample(db, *, room="201", bed="A", children=1, alias="", danger=None,
                 days_ago=3) -> stays.Stay:
    """見本 花子 (fictitious), admitted ``days_ago`` days ago into room/bed."""
    r = Resident(family_name="見本", given_name="花子", family_kana="みほん",
                 given_kana="はなこ", alias=alias, birth_date=date(1990, 4, 1),
                 safety=SafetyFlags(danger_level=danger,
                                    danger_warning="架空の注意事項" if danger else ""))
    kids = [Child(family_name="見本", given_name=g, birth_date=date(2019, 5, 5), sex="F")
            for g in ("結衣", "陽菜")[:children]]
    arrival = datetime.now().replace(second=0, microsecond=0) - timedelta(days=days_ago)
    a = stays.Admission(r, Stay(admitted_at=arrival, admission_type="temporary_protection",
                                main_complaint="dv_spouse", referral_source="police",
                                bed_id=bed_id(db, room, bed) if room else None),
                        children=kids)
    return stays.admit(db, a)
