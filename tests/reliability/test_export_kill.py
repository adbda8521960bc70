"""Pulling the plug during an aftercare export: the exporting process is
SIGKILLed at random moments (building, encrypting, writing, reading back,
recording). Every time, each destination folder holds either nothing or one
complete file that decrypts with the facility's identity and whose manifest
holds, and no temporary file: none at all where the system gives unnamed
files (Linux), and where it does not (FAT sticks, Windows: ``named``) the
one a killed write left is removed by the next export to that name."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pyrage
import pytest

from shelterdesk.core.aftercare import NewItem, Partner
from shelterdesk.core.models import Consent, Resident, Stay
from shelterdesk.store import aftercare, files, partners, stays
from shelterdesk.store import session as sessions
from shelterdesk.transfer import age, bundle, handover

PASSWORD = "correct horse 1"  # as in conftest.py
EXPORTER = Path(__file__).resolve().parent / "exporter.py"
PARTNER = "架空市 福祉課"
KILLS = 10
BUDGET_SECONDS = 45

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                                   reason="needs SIGKILL")]


def _facility(db_path: Path) -> tuple[int, str]:
    """Residents with consent and a schedule each (synthetic names); the
    partner's id and the facility's age identity."""
    s = sessions.unlock(db_path, "admin", PASSWORD)
    try:
        db = s.db
        pid = partners.save_partner(s, Partner(
            name=PARTNER, recipient=str(pyrage.x25519.Identity.generate().to_public())))
        admitted = datetime.now().replace(second=0, microsecond=0) - timedelta(days=90)
        for n in range(12):
            st = stays.admit(db, stays.Admission(
                Resident(family_name="見本", given_name=f"花子{n}", family_kana="みほん",
                         given_kana="はなこ", birth_date=date(1990, 4, 1)),
                Stay(admitted_at=admitted, admission_type="temporary_protection",
                     main_complaint="dv_spouse", referral_source="police"),
                consents=[Consent(scope="municipality_aftercare", recipient=PARTNER,
                                  given_on=admitted.date())]))
            on = date.today() - timedelta(days=30)
            stays.discharge(db, st.id, on, "independent", "")
            aftercare.save_schedule(db, st.id, [
                NewItem("phone", on + timedelta(days=k + 1),
                        assignee_account_id=s.account.id) for k in range(25)])
        return pid, aftercare.facility_identity(db)
    finally:
        s.db.close()


def _run_and_kill(db_path: Path, pid: int, dest: Path, rng: random.Random,
                  mode: list[str]) -> list[int]:
    proc = subprocess.Popen([sys.executable, str(EXPORTER), str(db_path), str(pid), str(dest),
                             *mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    proc.stdin.write(PASSWORD + "\n")
    proc.stdin.flush()
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line.strip())
            ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not ready.wait(30):
        proc.kill()
        raise AssertionError("exporter did not start: " + proc.stderr.read())
    time.sleep(rng.uniform(0.0, 1.2))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    reader.join(10)
    err = proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL, err
    return [int(x) for x in lines if x.isdigit()]


def _check_folder(folder: Path, identity: str, finished: bool, named: bool) -> str:
    """``empty``, ``complete`` or ``temporary`` (a killed named write's leftover)."""
    names = sorted(p.name for p in folder.iterdir())
    target = folder / "aftercare.age"
    leftovers = [n for n in names if n != target.name]
    if leftovers:
        assert named and not finished, (folder.name, names)
        assert [p.name for p in files.stale_temporaries(target)] == leftovers, names
    if target.exists():
        plain = age.decrypt(target.read_bytes(), [identity])  # whole, or it raises
        manifest, _m = bundle.open_bundle(plain)
        assert manifest["items"] == 12 * 25
        return "complete"
    assert not finished, f"export {folder.name} reported done but left no file"
    return "temporary" if leftovers else "empty"


@pytest.mark.parametrize("mode", [[], ["named"]], ids=["unnamed-file", "named-temporary"])
def test_sigkill_during_export_leaves_nothing_or_a_whole_file(db_path, tmp_path, mode):
    pid, identity = _facility(db_path)
    rng = random.Random(20261122 + len(mode))
    started = time.monotonic()
    seen: dict[str, int] = {}
    kills = 0
    for k in range(KILLS):
        dest = tmp_path / f"stick{k}"
        dest.mkdir()
        done = set(_run_and_kill(db_path, pid, dest, rng, mode))
        kills += 1
        for folder in dest.iterdir():
            state = _check_folder(folder, identity, int(folder.name) in done, bool(mode))
            seen[state] = seen.get(state, 0) + 1
            if state == "temporary":
                # The next export to that name removes what the killed one left.
                s = sessions.unlock(db_path, "admin", PASSWORD)
                try:
                    handover.export(s.db, pid, folder / "aftercare.age")
                finally:
                    s.db.close()
                assert sorted(p.name for p in folder.iterdir()) == ["aftercare.age"]
            if not mode:
                assert state != "temporary"
        if time.monotonic() - started > BUDGET_SECONDS:
            break
    assert kills >= 3, f"only {kills} kills within {BUDGET_SECONDS} s"
    assert seen.get("complete", 0) > kills  # it really exported between the kills
