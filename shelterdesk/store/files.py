"""Files the program writes beside or outside the database: atomic writes,
owner-only creation, and removing a database's companion files.

Everything here is about bytes on disk, never about what they mean: the slot
file (vault), the lockout file (throttle), saved PDFs (printing, previews)
all go through :func:`write_atomic`, so a crash or a full disk leaves the old
file or the new one, never a mix. Nothing here writes personal data in the
clear by itself; callers decide what is written where.

A path a *person* chose (``print --out``, the save dialog, and every export,
report and backup to come) goes through :func:`check_output_path` /
:func:`write_output` first: an existing file is replaced only when forced,
and a database, key file, backup or lockout file never (issue 8).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from shelterdesk.i18n import _
from shelterdesk.store.errors import (
    DiskFull,
    OutputExists,
    OutputRefused,
    ProtectedPath,
    ReadOnlyLocation,
    StoreError,
)

#: The files that make up one database on disk: the database, SQLite's WAL
#: and shared-memory files, the key slots and their previous copy.
DATABASE_FILE_SUFFIXES = ("", "-wal", "-shm", ".keys", ".keys.bak")

#: The login throttle's files beside a database (store.throttle).
LOCKOUT_SUFFIXES = (".lockout", ".lockout.lock")

#: Names that belong to a database whether or not the database exists.
_PROTECTED_NAME_SUFFIXES = ("-wal", "-shm", "-journal", ".keys", ".keys.bak", *LOCKOUT_SUFFIXES)

#: The start of a plain SQLite file, and the marker in our key-slot file.
SQLITE_HEADER = b"SQLite format 3\x00"
KEY_FILE_MAGIC = b"shelterdesk-keyslots"
#: The start of a backup file (store.backup.MAGIC).
BACKUP_MAGIC = b"SHELTERDESK-BK1\n"
#: SQLCipher writes whole pages; an encrypted database is a multiple of this.
_PAGE = 1024


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
            # A copy, never a rename: a crash between the two steps must not
            # leave the path without its file (only the older copy beside it).
            write_atomic(path.with_name(path.name + ".bak"), _read_whole(path))
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(e, OSError) and e.errno is not None:
            # Name the file being written, never the temporary one (which is
            # gone), so a caller can say which folder is full or read-only.
            raise OSError(e.errno, e.strerror, str(path)) from None
        raise
    fsync_dir(path.parent)


def _read_whole(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def remove_stale_temporaries(path: Path) -> None:
    """Remove what a process killed inside :func:`write_atomic` of ``path``
    (or of its ``.bak``) left beside it. Call only while holding the lock
    every writer of ``path`` holds, so that no live write is removed."""
    path = Path(path)
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


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
    """Any file of a database at ``db_path`` (even a lone ``-wal``, or a link
    pointing nowhere: SQLite would write through it)."""
    return any(os.path.lexists(str(db_path) + suffix) for suffix in DATABASE_FILE_SUFFIXES)


def remove_database_files(db_path: Path) -> None:
    """Undo a creation that failed half-way. Call it only after checking with
    :func:`database_files_exist` that none of these files existed before the
    creation started: a ``-wal`` left by a real database holds its last
    transactions."""
    for suffix in DATABASE_FILE_SUFFIXES:
        p = Path(str(db_path) + suffix)
        if p.exists():
            p.unlink()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(str(a)) == os.path.normcase(str(b))


def _looks_like_database(path: Path) -> bool:
    """An existing file that is (part of) a database, whatever its name:
    a database's companions beside it, a SQLite header, our key-file marker,
    the lockout file's shape, or whole pages of noise (an encrypted database
    whose key file is elsewhere; a PDF starts with ``%PDF``)."""
    if any(Path(str(path) + s).exists() for s in ("-wal", "-shm", ".keys", ".keys.bak")):
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
        size = os.stat(path).st_size
    except OSError:
        return False
    if head.startswith((SQLITE_HEADER, BACKUP_MAGIC)) or KEY_FILE_MAGIC in head:
        return True
    if head.lstrip().startswith(b"{") and b'"failures"' in head:  # a lockout file
        return True
    return size >= 4096 and size % _PAGE == 0 and not head.startswith(b"%PDF")


def check_output_path(path: Path, *, force: bool = False,
                      protect: Iterable[Path] = ()) -> Path:
    """The path to write a file a person asked for, or an :class:`OutputRefused`.

    Every writer at a user-chosen path (printing, saving, and every export,
    report and backup to come) calls this (or :func:`write_output`) first.
    An existing file is replaced only with ``force`` (the CLI's ``--force``; the
    save dialog asks before returning a path). A database, its ``-wal``/``-shm``,
    its key file and that file's copy, a lockout file or a backup is *never*
    replaced, force or not: recognised by name, by content, by the companions
    beside it, and by resolving links and comparing with ``protect`` (the open
    database's path). Returns the resolved path (a link is followed, so what is
    written is what was checked)."""
    path = Path(path)
    resolved = path.resolve()
    protected = _("{name} belongs to a ShelterDesk database (database, key file, backup or "
                  "lockout file) and is never overwritten. Choose another file name.").format(
        name=path.name)
    for candidate in {path, resolved}:
        if candidate.name.endswith(_PROTECTED_NAME_SUFFIXES):
            raise ProtectedPath(protected)
    for db in protect:
        for suffix in DATABASE_FILE_SUFFIXES + LOCKOUT_SUFFIXES:
            if _same_file(resolved, Path(str(db) + suffix)):
                raise ProtectedPath(protected)
    if os.path.lexists(resolved):
        try:
            mode = os.stat(resolved).st_mode
        except OSError as e:
            raise OutputRefused(_("{name} cannot be written: {reason}").format(
                name=path.name, reason=e.strerror or e.__class__.__name__)) from None
        if not stat.S_ISREG(mode):
            raise OutputRefused(_("{name} is not a regular file; choose a file name.").format(
                name=path.name))
        if _looks_like_database(resolved):
            raise ProtectedPath(protected)
        if not force:
            raise OutputExists(_("{name} already exists; it was not replaced.").format(
                name=path.name))
    if not resolved.parent.is_dir():
        raise OutputRefused(_("The folder {path} does not exist.").format(path=path.parent))
    return resolved


def write_output(path: Path, data: bytes, *, force: bool = False,
                 protect: Iterable[Path] = ()) -> Path:
    """:func:`check_output_path`, then :func:`write_atomic`. Returns where it wrote."""
    target = check_output_path(path, force=force, protect=protect)
    write_atomic(target, data)
    return target


# -- full and read-only disks (issue 8, item 4) --------------------------------------

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
#: Below this much free space a login is not attempted: it writes an audit row
#: (or a failed-login record), and both must be possible whatever the password.
MIN_FREE_BYTES = 1024 * 1024


def disk_full(where: Path) -> DiskFull:
    return DiskFull(_("The disk holding {path} is full. Free some space (or choose a folder on "
                      "another disk) and try again; nothing was changed.").format(path=where))


def read_only(where: Path) -> ReadOnlyLocation:
    return ReadOnlyLocation(_("{path} cannot be written (a read-only disk or no permission). "
                              "Choose another folder, or ask for write permission; nothing "
                              "was changed.").format(path=where))


def disk_problem(e: OSError, where: Path) -> StoreError | None:
    """The sentence for a full or read-only disk, or None for another error."""
    if e.errno in _FULL:
        return disk_full(where)
    if e.errno in _READ_ONLY:
        return read_only(where)
    return None


def writable_problem(folder: Path) -> StoreError | None:
    """Why nothing can be written in ``folder`` now (full, read-only), or None.
    Asked before a password is tried, so the answer never depends on it."""
    folder = Path(folder)
    try:
        st = os.statvfs(folder)
    except (AttributeError, OSError):  # Windows, or a folder that is gone
        return None
    if st.f_flag & getattr(os, "ST_RDONLY", 1) or not os.access(folder, os.W_OK):
        return read_only(folder)
    if st.f_bavail * st.f_frsize < MIN_FREE_BYTES:
        return disk_full(folder)
    return None


#: The largest file the program reads as input (a ledger export is a few MB).
MAX_INPUT_BYTES = 200 * 1024 * 1024


def read_input_file(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a file a person gave as input (a ledger, an import):
    a regular file only (a FIFO would hang, ``/dev/zero`` never ends), checked
    before it is opened, and read with a bound. Raises StoreError with one
    sentence."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as e:
        raise StoreError(_("{path} cannot be read: {reason}").format(
            path=path, reason=e.strerror or e.__class__.__name__)) from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(_("{path} is a folder, not a file.").format(path=path))
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(_("{path} is not a regular file (a device or a pipe).").format(
            path=path))
    too_big = StoreError(_("{path} is larger than {n} MB; this is not a file to import.").format(
        path=path, n=limit // (1024 * 1024)))
    if st.st_size > limit:
        raise too_big
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise StoreError(_("{path} cannot be read: {reason}").format(
            path=path, reason=e.strerror or e.__class__.__name__)) from None
    if len(data) > limit:
        raise too_big
    return data


# -- a new file that even SIGKILL leaves whole or absent (issue 10) ----------------------

#: Linux's anonymous file in a folder, given a name only when complete.
_O_TMPFILE = getattr(os, "O_TMPFILE", None)
_UNSUPPORTED = {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.EPERM}


def stale_temporaries(target: Path) -> list[Path]:
    """The temporary files :func:`write_atomic` left beside ``target`` when its
    process was killed mid-write (nothing else has that name pattern)."""
    target = Path(target)
    prefix = f".{target.name}."
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    return [target.parent / n for n in names if n.startswith(prefix) and n.endswith(".tmp")
            and len(n) == len(prefix) + 12 and _is_hex(n[len(prefix):-4])]


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def _write_unnamed(target: Path, data: bytes) -> bool:
    """Write ``data`` into an unnamed file in ``target``'s folder and give it
    its name only once it is complete and on disk (O_TMPFILE, then linkat,
    which never replaces an existing file). False where the system or the
    file system (FAT/exFAT sticks, Windows) does not offer that."""
    if _O_TMPFILE is None or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        fd = os.open(target.parent, _O_TMPFILE | os.O_WRONLY, 0o600)
    except OSError as e:
        if e.errno in _UNSUPPORTED:
            return False
        raise
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
        # linkat(…, AT_SYMLINK_FOLLOW) on /proc/self/fd/N: os.link takes that
        # path only with a directory descriptor (plain link() gives EXDEV).
        procfd = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(str(f.fileno()), target, src_dir_fd=procfd)
        except FileExistsError:
            raise OutputExists(_("{name} already exists; it was not replaced.").format(
                name=target.name)) from None
        except OSError as e:
            if e.errno in (errno.EXDEV, *_UNSUPPORTED):
                return False  # the unnamed file goes with its descriptor
            raise
        finally:
            os.close(procfd)
    fsync_dir(target.parent)
    return True


def write_new_output(path: Path, data: bytes, *, protect: Iterable[Path] = ()) -> Path:
    """:func:`check_output_path` (an existing file is never replaced), then
    write so that a process killed at any moment leaves at ``path`` either
    nothing or the whole file, and no temporary file: an unnamed file linked
    in when complete where the system allows it; elsewhere :func:`write_atomic`,
    whose temporary file a killed process leaves behind is removed by the next
    write to the same name. Returns where it wrote."""
    target = check_output_path(path, protect=protect)
    for stale in stale_temporaries(target):
        with contextlib.suppress(OSError):
            stale.unlink()
    if not _write_unnamed(target, data):
        write_atomic(target, data)
    return target
