"""Child process for test_export_kill.py: exports the aftercare hand-over
again and again, each time to a new folder (DEST/1/aftercare.age, DEST/2/…),
and prints the folder's number once export() returned (written, read back,
verified, recorded), until it is killed.

Usage: python tests/reliability/exporter.py DB_PATH PARTNER_ID DEST [named]
(password on stdin). ``named``: behave as on a file system without unnamed
files (FAT/exFAT sticks, Windows), so the temporary-name path is killed too.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shelterdesk.store import files
from shelterdesk.store import session as sessions
from shelterdesk.transfer import handover


def main() -> None:
    db_path, partner_id, dest = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    if sys.argv[4:] == ["named"]:
        files._O_TMPFILE = None
    password = sys.stdin.readline().rstrip("\n")
    session = sessions.unlock(db_path, "admin", password)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        folder = dest / str(n)
        folder.mkdir()
        handover.export(session.db, partner_id, folder / "aftercare.age")
        sys.stdout.write(f"{n}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
