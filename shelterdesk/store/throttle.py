"""Slowing down repeated failed logins, across restarts.

Failures cannot be written into the encrypted database (there is no key yet),
so they are kept in ``<db>.lockout`` beside it and mirrored into the key file
(``<db>.keys``, outside its checksummed body): login names of real staff
accounts ("?" for anything else) and times only, nothing about residents.
Deleting either file does not reset the count; the larger count of the two
holds. The next successful unlock moves the failures into the audit log and
clears both.

Attempts are serialised: :meth:`Throttle.attempt` holds an exclusive lock
across the wait check, the key derivation and the recording of a failure, so
twenty attempts at once are checked one after another, each meeting the delay
the previous ones earned. Whatever in either file does not parse is ignored
(it never crashes a login); a stored time in the future counts as now, so a
clock set back cannot lock everyone out, and no wait exceeds a minute.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import stat
import threading
import time
from pathlib import Path

from shelterdesk.store.files import write_atomic

FREE_ATTEMPTS = 2
MAX_DELAY = 60.0
MAX_PENDING = 500
_MAX_FILE = 256 * 1024


def delay_for(failures: int) -> float:
    """Seconds to wait after ``failures`` consecutive failures: none for the
    first two, then 2, 4, 8 … up to a minute."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY, 2.0 ** min(failures - FREE_ATTEMPTS + 1, 16))


#: The clock the delays are measured with (tests move it instead of sleeping).
clock = time.time

# One lock per process as well as the file lock: threads of one process
# (the GUI's worker, tests) are serialised like separate processes.
_process_lock = threading.RLock()
_held: dict[str, list] = {}


@contextlib.contextmanager
def exclusive(db_path: Path):
    """The lock every writer of ``<db>.lockout`` and ``<db>.keys`` holds
    (re-entrant within a thread)."""
    lock_path = str(Path(db_path).with_name(Path(db_path).name + ".lockout.lock"))
    with _process_lock:
        if lock_path in _held:
            yield
            return
        try:
            import fcntl
        except ImportError:  # Windows: the process lock only (one desk PC)
            fcntl = None
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        _held[lock_path] = [fd]
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            del _held[lock_path]
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def _read_small(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 16 * 1024 * 1024:
            return None
        chunks, size = [], 0
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > 16 * 1024 * 1024:
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _clean(doc) -> dict:
    """The parts of a throttle record that parse; the rest is dropped."""
    out = {"failures": 0, "last": 0.0, "pending": []}
    if not isinstance(doc, dict):
        return out
    f = doc.get("failures")
    if type(f) is int and 0 <= f <= 1_000_000:
        out["failures"] = f
    last = doc.get("last")
    if type(last) in (int, float) and math.isfinite(last) and last >= 0:
        out["last"] = float(last)
    pending = doc.get("pending")
    if isinstance(pending, list):
        for item in pending[-MAX_PENDING:]:
            if (isinstance(item, list) and len(item) == 2
                    and all(isinstance(x, str) and len(x) <= 64 for x in item)):
                out["pending"].append([item[0], item[1]])
    return out


def _merge(a: dict, b: dict) -> dict:
    # Both copies are written together: the longer list is the one that was
    # not deleted or cut short.
    pending = max(a["pending"], b["pending"], key=len)
    return {"failures": max(a["failures"], b["failures"]), "last": max(a["last"], b["last"]),
            "pending": pending}


class Throttle:
    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self.path = self.db_path.with_name(self.db_path.name + ".lockout")
        self.keys = self.db_path.with_name(self.db_path.name + ".keys")

    def attempt(self):
        """Hold this across one login attempt (check, key derivation, record)."""
        return exclusive(self.db_path)

    # -- reading and writing both copies -------------------------------------
    def _lockout_doc(self) -> dict:
        raw = _read_small(self.path)
        try:
            return _clean(json.loads(raw.decode("utf-8"))) if raw else _clean(None)
        except (ValueError, RecursionError):
            return _clean(None)

    def _keys_doc(self) -> dict | None:
        """The key file as JSON, or None when it is not an intact-looking key
        file (then it is never written: a damaged key file is not replaced)."""
        raw = _read_small(self.keys)
        if not raw:
            return None
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            return None
        if not isinstance(doc, dict) or doc.get("format") != "shelterdesk-keyslots":
            return None
        return doc

    def _read(self) -> dict:
        keys = self._keys_doc()
        mirror = _clean(keys.get("throttle")) if keys else _clean(None)
        return _merge(self._lockout_doc(), mirror)

    def _write(self, state: dict | None) -> None:
        if state is None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        else:
            write_atomic(self.path, json.dumps(state).encode("utf-8"))
        keys = self._keys_doc()
        if keys is not None and (state is not None or "throttle" in keys):
            if state is None:
                keys.pop("throttle", None)
            else:
                keys["throttle"] = state
            write_atomic(self.keys, json.dumps(keys, indent=1, sort_keys=True).encode("utf-8"))

    # -- the rules -----------------------------------------------------------
    def wait_seconds(self, now: float | None = None) -> float:
        """How long until the next attempt is allowed (0 when it is), at most
        a minute. A last failure recorded in the future counts as now."""
        now = clock() if now is None else now
        doc = self._read()
        if doc["last"] > now:
            # Written in the future (a clock set back, or an edited file): it
            # counts as now, once, so the delay runs out like any other.
            with exclusive(self.db_path):
                doc = self._read()
                if doc["last"] > now:
                    doc["last"] = now
                    self._write(doc)
        return min(MAX_DELAY, max(0.0, doc["last"] + delay_for(doc["failures"]) - now))

    def record_failure(self, login: str, at: str) -> None:
        with exclusive(self.db_path):
            doc = self._read()
            doc["failures"] += 1
            doc["last"] = clock()
            doc["pending"] = (doc["pending"] + [[at[:64], login[:64]]])[-MAX_PENDING:]
            self._write(doc)

    def take_pending(self) -> list[tuple[str, str]]:
        """The failures not yet audited; resets the counter."""
        with exclusive(self.db_path):
            doc = self._read()
            self._write(None)
        return [(a, b) for a, b in doc["pending"]]
