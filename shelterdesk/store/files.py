"""Files the program writes beside or outside the database: atomic writes,
owner-only creation, and removing a database's companion files.

Everything here is about bytes on disk, never about what they mean: the slot
file (vault), the lockout file (throttle), saved PDFs (printing, previews)
all go through :func:`write_atomic`, so a crash or a full disk leaves the old
file or the new one, never a mix. Nothing here writes personal data in the
clear by itself; callers decide what is written where.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

#: The files that make up one database on disk: the database, SQLite's WAL
#: and shared-memory files, the key slots and their previous copy.
DATABASE_FILE_SUFFIXES = ("", "-wal", "-shm", ".keys", ".keys.bak")


def write_atomic(path: Path, data: bytes, keep_previous: bool = False) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the
    new file, never a mix: temp file beside it, fsync, rename, fsync the folder.
    With ``keep_previous`` the file being replaced is kept as ``<path>.bak``."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # O_BINARY: on Windows a text-mode descriptor would turn \n into \r\n and
    # break every PDF written through here.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep_previous and path.exists():
            bak = path.with_name(path.name + ".bak")
            os.replace(path, bak)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be
    opened, as on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def create_owner_only(path: Path) -> None:
    """Create an empty file readable by its owner only. O_EXCL: never open
    over a file that appeared meanwhile (raises FileExistsError)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def database_files_exist(db_path: Path) -> bool:
    """Any file of a database at ``db_path`` (even a lone ``-wal``)."""
    return any(Path(str(db_path) + suffix).exists() for suffix in DATABASE_FILE_SUFFIXES)


def remove_database_files(db_path: Path) -> None:
    """Undo a creation that failed half-way. Call it only after checking with
    :func:`database_files_exist` that none of these files existed before the
    creation started: a ``-wal`` left by a real database holds its last
    transactions."""
    for suffix in DATABASE_FILE_SUFFIXES:
        p = Path(str(db_path) + suffix)
        if p.exists():
            p.unlink()
