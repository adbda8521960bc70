"""Child process for test_rotation_kill.py: rotates the data key in a loop
and prints the count after each rotation, until it is killed.

Usage: python tests/reliability/rotator.py DB_PATH   (password on stdin)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shelterdesk.store import accounts
from shelterdesk.store import session as sessions
from shelterdesk.store.vault import TEST_KDF


def main() -> None:
    db_path = Path(sys.argv[1])
    password = sys.stdin.readline().rstrip("\n")
    session = sessions.unlock(db_path, "admin", password)
    session.kdf = TEST_KDF
    print("ready", flush=True)
    n = 0
    while True:
        accounts.rotate_data_key(session)
        n += 1
        print(n, flush=True)


if __name__ == "__main__":
    main()
