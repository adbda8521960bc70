"""Child process for test_kill.py: writes residents in a loop and prints the
id of each one as soon as its transaction has committed, until it is killed.

Usage: python tests/reliability/writer.py DB_PATH SEED   (password on stdin)
Alternates single inserts with whole admissions (resident, children, stay,
audit rows: several statements in one transaction), so SIGKILL lands inside
every kind of write. Synthetic names only.
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shelterdesk.core.models import Child, Resident, Stay
from shelterdesk.store import residents, stays
from shelterdesk.store import session as sessions

NOW = datetime(2026, 11, 21, 12, 0)


def main() -> None:
    db_path, seed = Path(sys.argv[1]), int(sys.argv[2])
    password = sys.stdin.readline().rstrip("\n")
    rng = random.Random(seed)
    session = sessions.unlock(db_path, "admin", password)
    db = session.db
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        r = Resident(family_name="見本", given_name=f"花子{seed}-{n}", family_kana="みほん",
                     given_kana="はなこ", birth_date=date(1990, 1, 1),
                     health_notes="架空" * rng.randint(1, 400))
        if rng.random() < 0.5:
            rid = residents.insert_resident(db, r)
        else:
            kids = [Child(family_name="見本", given_name=f"太郎{k}", birth_date=date(2020, 1, 1))
                    for k in range(rng.randint(0, 3))]
            s = Stay(admitted_at=datetime(2026, 11, 1, 9, 0),
                     admission_type="temporary_protection", main_complaint="dv_spouse",
                     referral_source="police")
            rid = stays.admit(db, stays.Admission(r, s, kids), now=NOW).resident_id
        # Only after COMMIT returned: this id must survive anything from now on.
        sys.stdout.write(f"{rid}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
