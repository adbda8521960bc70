"""Benchmark (issue 10): the aftercare due list's first page on the synthetic
database's 200,000 aftercare rows (target < 100 ms), an export of 10,000 items
(< 1 s including ZIP, encryption, atomic write and read-back) and the import
of 10,000 returned rows (< 2 s). Figures, not assertions.

``run(workdir)`` is called by tests/bench/run.py; ``run_small`` by the smoke
test with a few hundred items."""

from __future__ import annotations

import csv
import io
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pyrage

from shelterdesk.core.models import Bed, Facility, Room
from shelterdesk.store import aftercare
from shelterdesk.store import facility as facility_repo
from shelterdesk.store import session as sessions
from shelterdesk.store.vault import TEST_KDF
from shelterdesk.transfer import age, handover

PARTNER = "ベンチ市"


def _ms(s: float) -> str:
    return f"{s * 1000:.1f} ms"


def due_list_first_page(path: Path) -> dict[str, str]:
    from tests.bench import bench_store
    s = sessions.unlock(path, bench_store.LOGIN, bench_store.PASSWORD)
    try:
        db = s.db
        n = db.query_one("SELECT count(*) FROM aftercare")[0]
        t = time.perf_counter()
        page = aftercare.due_page(db, limit=200)
        first = time.perf_counter() - t
        t = time.perf_counter()
        aftercare.due_count(db)
        count = time.perf_counter() - t
    finally:
        s.lock()
    return {f"due list first page ({len(page)} of {n:,} rows)": _ms(first),
            "due list open count": _ms(count)}


def _facility_with_items(folder: Path, items: int, per_person: int = 10):
    session, _r = facility_repo.create_facility(
        folder / "handover.db", Facility("ベンチ施設（架空）", 10),
        [Room(None, "101", beds=[Bed(None, None, "A")])], "admin", "管理者", "bench password 1",
        kdf=TEST_KDF)
    db = session.db
    key = pyrage.x25519.Identity.generate()
    from shelterdesk.core.aftercare import Partner
    from shelterdesk.store import partners
    pid = partners.save_partner(session, Partner(name=PARTNER, recipient=str(key.to_public())))
    people = items // per_person
    stamp = "2026-01-01T00:00:00"
    with db.transaction() as con:
        for n in range(people):
            rid = con.execute(
                "INSERT INTO resident(family_name, given_name, family_kana, given_kana, "
                "birth_date, safe_phone, registered_municipality, danger_level, created_at, "
                "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                ("架空", f"花子{n}", "かくう", "はなこ", "1990-04-01", "090-0000-0000", "ベンチ市",
                 "low", stamp, stamp)).lastrowid
            sid = con.execute(
                "INSERT INTO stay(resident_id, admitted_on, admission_type, main_complaint, "
                "referral_source, discharged_on, discharge_destination, created_at, updated_at) "
                "VALUES (?, '2025-06-01', 'temporary_protection', 'dv_spouse', 'police', "
                "'2025-09-01', 'independent', ?, ?)", (rid, stamp, stamp)).lastrowid
            con.execute("INSERT INTO consent(resident_id, scope, recipient, given_on, created_at) "
                        "VALUES (?, 'municipality_aftercare', ?, '2025-06-01', ?)",
                        (rid, PARTNER, stamp))
            con.executemany(
                "INSERT INTO aftercare(stay_id, kind, due_on, assignee_partner_id, uid, "
                "sequence, created_at, updated_at) VALUES (?, 'phone', ?, ?, ?, 0, ?, ?)",
                [(sid, (date(2025, 9, 8) + timedelta(days=7 * k)).isoformat(), pid,
                  aftercare.new_uid(), stamp, stamp) for k in range(per_person)])
    return session, pid, key


def handover_round_trip(items: int = 10_000) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        session, pid, key = _facility_with_items(folder, items)
        db = session.db
        try:
            t = time.perf_counter()
            res = handover.export(db, pid, folder / "out.age")
            export_s = time.perf_counter() - t
            size = res.path.stat().st_size
            with zipfile.ZipFile(io.BytesIO(age.decrypt(res.path.read_bytes(),
                                                        [str(key)]))) as z:
                rows = list(csv.reader(io.StringIO(z.read("schedule.csv").decode("utf-8-sig"))))
            for row in rows[1:]:
                row[10], row[11], row[12] = "実施", "2025/9/8", "ベンチの記録"
            buf = io.StringIO()
            csv.writer(buf).writerows(rows)
            back = folder / "back.age"
            back.write_bytes(age.encrypt(buf.getvalue().encode("utf-8-sig"),
                                         [aftercare.facility_recipient(db)]))
            t = time.perf_counter()
            results = handover.read_results(db, back)
            updated = handover.apply(db, results)
            import_s = time.perf_counter() - t
        finally:
            session.lock()
    return {f"export of {res.items:,} items (build, encrypt, write, read back)": _ms(export_s),
            "export file size": f"{size / 1024:.0f} KiB",
            f"import of {len(rows) - 1:,} returned rows ({updated:,} updated)": _ms(import_s)}


def run(workdir: Path) -> dict[str, str]:
    from tests.bench import bench_store
    path = workdir / "bench_store.db"
    bench_store.build(path)
    out = due_list_first_page(path)
    out.update(handover_round_trip())
    return out
