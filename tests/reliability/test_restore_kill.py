"""SIGKILL during a restore: NEWPATH holds nothing (no database without its
key file, no unchecked database), and the next restore into the same path
works and leaves no staging file behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shelterdesk.store import backup as backups
from tests.conftest import ADMIN, PASSWORD

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

_CHILD = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from shelterdesk.store import backup

    where = sys.argv[3]

    def die(*a, **k):
        os.kill(os.getpid(), signal.SIGKILL)

    if where == "keys":  # killed as the key file is created, after the pages
        calls = []
        real = backup.create_owner_only

        def create(path):
            calls.append(path)
            if len(calls) == 2:
                die()
            real(path)

        backup.create_owner_only = create
    else:
        backup._check_database = die  # killed while the copy is being checked
    backup.restore(Path(sys.argv[1]), Path(sys.argv[2]), {admin!r}, {password!r})
""").format(admin=ADMIN, password=PASSWORD)


@pytest.mark.parametrize("where", ["keys", "check"])
def test_sigkill_during_restore_leaves_nothing_at_newpath(session, tmp_path, where):
    good = backups.backup(session, tmp_path / "b.sdbk").path
    session.lock()
    folder = tmp_path / "into"
    folder.mkdir()
    new_db = folder / "new.db"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(good), str(new_db), where],
                          cwd=root, capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert not backups.companions_exist(new_db), sorted(p.name for p in folder.iterdir())
    # The next restore into the same path works and sweeps what the kill left.
    backups.restore(good, new_db, ADMIN, PASSWORD)
    assert sorted(p.name for p in folder.iterdir()) == ["new.db", "new.db.keys"]
