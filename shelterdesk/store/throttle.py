"""Slowing down repeated failed logins, across restarts.

Failures cannot be written into the encrypted database (there is no key yet),
so they are kept in ``<db>.lockout`` beside it: login names and times only,
nothing about residents. The next successful unlock moves them into the audit
log and clears the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from shelterdesk.store.files import write_atomic

FREE_ATTEMPTS = 2
MAX_DELAY = 60.0


def delay_for(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive failures: none for the
    first two, then 2, 4, 8 … up to a minute."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY, 2.0 ** min(failures - FREE_ATTEMPTS + 1, 16))


#: The clock the delays are measured with (tests move it instead of sleeping).
clock = time.time


class Throttle:
    def __init__(self, db_path: Path):
        self.path = Path(db_path).with_name(Path(db_path).name + ".lockout")

    @contextlib.contextmanager
    def _exclusive(self):
        """Serialise read-modify-write between processes (several login
        attempts at once must each be counted)."""
        try:
            import fcntl
        except ImportError:  # Windows: msvcrt-less fallback, one desk PC
            yield
            return
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self) -> dict:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(doc, dict):
                doc.setdefault("failures", 0)
                doc.setdefault("last", 0.0)
                doc.setdefault("pending", [])
                return doc
        except (OSError, ValueError):
            pass
        return {"failures": 0, "last": 0.0, "pending": []}

    def wait_seconds(self, now: float | None = None) -> float:
        """How long until the next attempt is allowed (0 when it is)."""
        doc = self._read()
        now = clock() if now is None else now
        return max(0.0, doc["last"] + delay_for(doc["failures"]) - now)

    def record_failure(self, login: str, at: str) -> None:
        with self._exclusive():
            doc = self._read()
            doc["failures"] += 1
            doc["last"] = clock()
            doc["pending"] = (doc["pending"] + [[at, login[:64]]])[-500:]
            write_atomic(self.path, json.dumps(doc).encode("utf-8"))

    def take_pending(self) -> list[tuple[str, str]]:
        """The failures not yet audited; resets the counter."""
        with self._exclusive():
            doc = self._read()
            pending = [(a, b) for a, b in doc["pending"]]
            if self.path.exists():
                self.path.unlink()
        return pending
