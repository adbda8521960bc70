"""Benchmark: building the intake sheet PDF (issue 3), called by tests/bench/run.py.

A small facility database of its own (test KDF: this measures documents, not
unlocking) with one resident, two children and two consents; the sheet is
built N times in memory. The first build loads the fonts and is reported
separately, because staff wait for it once per program start.
"""

from __future__ import annotations

import shutil
import statistics
import time
from datetime import date, datetime
from pathlib import Path

N = 30


def run(workdir: Path) -> dict[str, str]:
    from shelterdesk.core.models import (
        Bed,
        Child,
        Consent,
        Facility,
        Resident,
        Room,
        SafetyFlags,
        Stay,
    )
    from shelterdesk.reports.consent_sheet import build_consent_sheet
    from shelterdesk.reports.intake_sheet import build_intake_sheet
    from shelterdesk.store import facility as facility_repo
    from shelterdesk.store import rooms, stays
    from shelterdesk.store.vault import TEST_KDF

    folder = Path(workdir) / "bench_pdf"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    session, _ = facility_repo.create_facility(
        folder / "shelter.db", Facility("ベンチ施設（架空）", 6),
        [Room(None, "201", family=True, beds=[Bed(None, None, x) for x in "ABC"])],
        "admin", "管理者 架空", "correct horse 1", kdf=TEST_KDF)
    try:
        db = session.db
        bed = rooms.free_beds(db)[0].bed_id
        r = Resident(family_name="髙橋", given_name="\U00020BB7子", family_kana="たかはし",
                     given_kana="よしこ", alias="見本", birth_date=date(1990, 4, 1),
                     nationality="日本", allergies="そば", medications="なし",
                     safety=SafetyFlags(True, "issued", "high", "架空の注意事項", True))
        s = Stay(admitted_at=datetime(2026, 11, 21, 21, 30),
                 admission_type="temporary_protection", main_complaint="dv_spouse",
                 issue_tags=("poverty", "housing"), referral_source="police", bed_id=bed,
                 review_on=date(2026, 12, 5))
        kids = [Child(family_name="山﨑", given_name="見本", family_kana="やまさき",
                      given_kana="みほん", birth_date=date(2019, 5, 5), sex="F"),
                Child(family_name="髙橋", given_name="一郎", family_kana="たかはし",
                      given_kana="いちろう", birth_date=date(2016, 5, 5), sex="M")]
        cons = [Consent(scope="municipality_aftercare", recipient="架空市",
                        given_on=date(2026, 11, 21)),
                Consent(scope="medical", recipient="架空病院", given_on=date(2026, 11, 21))]
        stay = stays.admit(db, stays.Admission(r, s, kids, [], cons),
                           now=datetime(2026, 11, 21, 22, 0))

        t0 = time.perf_counter()
        first = build_intake_sheet(db, stay.id, staff_name="受付 架空")
        first_ms = (time.perf_counter() - t0) * 1000
        times = []
        for _ in range(N):
            t0 = time.perf_counter()
            result = build_intake_sheet(db, stay.id, staff_name="受付 架空")
            times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        build_consent_sheet(db, stay.id, "ne")
        ne_ms = (time.perf_counter() - t0) * 1000
    finally:
        session.lock()
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "intake sheet PDF, median ms": f"{statistics.median(times):.1f}",
        "intake sheet PDF, worst ms": f"{max(times):.1f} (of {N})",
        "intake sheet PDF, first build incl. font loading, ms": f"{first_ms:.1f}",
        "intake sheet PDF, size": f"{len(result.data) / 1024:.0f} KiB, {first.pages} pages",
        "consent sheet (Nepali, shaped), ms": f"{ne_ms:.1f}",
    }
