"""Backups: one file holding an encrypted snapshot of the database and the key
slots of its time, so it opens with the passwords and recovery code of that
day and nothing else; restoring it into a new path; the restore drill; the
record of the last verified backup.

The file (``backup-YYYY-MM-DD-HHMM.sdbk``: a date, nothing about the facility)::

    MAGIC (16 bytes) | header length (4 bytes, big-endian) | header (JSON) | database pages

The header holds, in the clear, only what unlocking needs: the format, the
database id (random), the time, the size of the pages and the slot file as it
was on disk (its slots are themselves encrypted). Everything else — who made
it, the row counts, the audit head, the SHA-256 of the pages — is the
*manifest*, sealed with AES-256-GCM under a key derived from the data key, so
only someone who can unlock reads it, and a header edited by anyone else fails
its authentication (the clear fields are the associated data).

Snapshot: SQLite's backup API (encrypted → encrypted under the same data key),
run on the session's connection inside one read transaction, so writes by
other connections meanwhile are neither copied nor restart the copy, and the
counts and audit head read in that transaction describe exactly the pages
copied. The pages go to an owner-only temporary file beside the target (they
are encrypted), the whole file is written atomically through
:func:`store.files.write_output` (never over an existing file, a database or
another backup), read back and compared (SHA-256 of the pages, the manifest),
and the snapshot is opened and checked (``cipher_integrity_check``,
``integrity_check``, foreign keys, counts, audit head, audit chain) before
"done". Any failure removes every file this made; the live database is only
read (and gets an audit row once the backup is verified).

The audit head a backup carries is ``Database.audit_head`` read in the
snapshot's transaction (the head of exactly the pages copied), and the key
file it carries is anchored at that head (``SlotFile.anchored_document``), so
a restored copy verifies against its own anchor.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import json
import os
import secrets
import shutil
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from shelterdesk.i18n import _
from shelterdesk.store.errors import (
    DatabaseDamaged,
    DatabaseExists,
    NotShelterDesk,
    StoreError,
    WrongPassword,
)
from shelterdesk.store.files import (
    BACKUP_MAGIC,
    LOCKOUT_SUFFIXES,
    check_output_path,
    create_owner_only,
    database_files_exist,
    disk_full,
    disk_problem,
    fsync_dir,
    writable_problem,
    write_output,
)
from shelterdesk.store.rows import now_text

MAGIC = BACKUP_MAGIC
FORMAT = "shelterdesk-backup"
VERSION = 1
SUFFIX = ".sdbk"
#: Who may make, test and restore backups from inside the program.
BACKUP_ROLES = ("admin", "manager")
#: meta key: when the last backup was made *and verified* (local time, seconds).
LAST_VERIFIED = "last_verified_backup"
#: The largest header we read (a slot file of a few hundred accounts is ~1 MB).
_MAX_HEADER = 8 * 1024 * 1024
#: Pages copied per step of the backup API (progress is reported between steps).
_STEP_PAGES = 1024

#: sqlite3_errstr(SQLITE_FULL), what the backup API's error says on a full disk.
_SQLITE_FULL_TEXT = "database or disk is full"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, shown before restoring (no personal data)."""
    created_at: str
    made_by: str
    database_id: str
    schema: int
    counts: dict[str, int]
    audit_head: str
    size: int


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    info: BackupInfo


def default_name(now: datetime | None = None) -> str:
    """``backup-2026-11-21-1530.sdbk``: the date and time, nothing else."""
    now = now or datetime.now()
    return f"backup-{now:%Y-%m-%d-%H%M}{SUFFIX}"


def _counts(con) -> dict[str, int]:
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _manifest_key(data_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"shelterdesk-backup-manifest").derive(
        data_key)


def _associated(clear: dict) -> bytes:
    return json.dumps({k: clear[k] for k in ("format", "version", "database_id", "created_at",
                                             "size")}, sort_keys=True).encode("utf-8")


def _removed_folder(folder: Path) -> StoreError:
    return StoreError(_("The folder {path} is no longer there (was the USB stick removed?). "
                        "No backup was made; the database was not changed.").format(path=folder))


def _os_problem(e: OSError, folder: Path) -> StoreError:
    if e.errno == errno.ENOENT or not folder.is_dir():
        return _removed_folder(folder)
    return disk_problem(e, folder) or StoreError(
        _("The backup could not be written to {path}: {reason}").format(
            path=folder, reason=e.strerror or e.__class__.__name__))


# -- making a backup --------------------------------------------------------------------

def backup(s, target: Path, progress: Progress | None = None) -> BackupResult:
    """Write a verified backup of the open database to ``target`` (a new file).

    Manager or administrator. Raises StoreError (OutputRefused, DiskFull, …)
    with one sentence; on any failure nothing is left at ``target`` or beside it."""
    import sqlcipher3

    from shelterdesk.store.database import disk_error

    s.require(*BACKUP_ROLES)
    db = s.db
    target = check_output_path(Path(target), protect=[db.path])
    folder = target.parent
    key = s.data_key
    part = folder / f".{target.name}.{secrets.token_hex(4)}.part"
    made = [part]
    try:
        try:
            create_owner_only(part)
        except OSError as e:
            raise _os_problem(e, folder) from None
        created_at = now_text()
        with db._lock:  # the connection is ours for the whole snapshot
            con = db.con
            if con is None:
                raise StoreError(_("The database is locked."))
            out = sqlcipher3.connect(str(part), isolation_level=None, check_same_thread=False)
            try:
                out.execute("PRAGMA cipher_log_level = NONE")
                out.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
                con.execute("BEGIN")
                try:
                    counts = _counts(con)
                    anchor = db.audit_head()  # on this connection, in this snapshot
                    head = str(anchor or "")
                    schema = con.execute("PRAGMA user_version").fetchone()[0]

                    def step(_status, remaining, total):
                        if progress is not None:
                            progress(total - remaining, total)

                    con.backup(out, pages=_STEP_PAGES, progress=step)
                finally:
                    con.execute("COMMIT")
            except sqlcipher3.DatabaseError as e:
                # The backup API's error carries no SQLite code (sqlcipher3),
                # and the step it failed in is rolled back (the disk looks
                # free again): SQLite's fixed text for SQLITE_FULL says it.
                if str(e) == _SQLITE_FULL_TEXT:
                    raise disk_full(folder) from None
                raise disk_error(e, part) or writable_problem(folder) or StoreError(
                    _("The backup could not be made: {reason}").format(
                        reason=e.__class__.__name__)) from None
            finally:
                out.close()
        # The key file of its day, anchored at the head of the copy.
        slot_bytes = s.slots.anchored_document(anchor)
        try:
            pages = part.read_bytes()
        except OSError as e:
            raise _os_problem(e, folder) from None
        login = s.account.login if s.account is not None else "recovery"
        manifest = {"created_at": created_at, "made_by": login, "schema": schema,
                    "counts": counts, "audit_head": head, "database_id": db.database_id,
                    "sha256": hashlib.sha256(pages).hexdigest()}
        clear = {"format": FORMAT, "version": VERSION, "database_id": db.database_id,
                 "created_at": created_at, "size": len(pages),
                 "slots": slot_bytes.decode("utf-8")}
        data = _pack(clear, manifest, key, pages)
        try:
            written = write_output(target, data, protect=[db.path])
        except OSError as e:
            raise _os_problem(e, folder) from None
        made.append(written)
        info = _read_back(written, key, pages, manifest, part)
        with db.transaction():
            db.audit("backup", "database", None,
                     f"size={len(data)} schema={schema} head={head.split(':', 1)[0]}")
            db.con.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                           (LAST_VERIFIED, created_at))
        made.remove(written)
        return BackupResult(written, len(data), info)
    finally:
        for p in made:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(str(p) + suffix).unlink()
        with contextlib.suppress(OSError):
            fsync_dir(folder)


def _pack(clear: dict, manifest: dict, key: bytes, pages: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_manifest_key(key)).encrypt(
        nonce, json.dumps(manifest, sort_keys=True).encode("utf-8"), _associated(clear))
    header = dict(clear, manifest={"nonce": nonce.hex(), "ct": sealed.hex()})
    raw = json.dumps(header, sort_keys=True).encode("utf-8")
    return MAGIC + struct.pack(">I", len(raw)) + raw + pages


def _read_back(path: Path, key: bytes, pages: bytes, manifest: dict, snapshot: Path) -> BackupInfo:
    """The written file, read from the disk, must hold exactly the pages
    checked here and a manifest that opens; the snapshot must pass every check."""
    failed = DatabaseDamaged(_("The backup could not be verified after writing; it was not "
                               "kept. Try another folder or USB stick."))
    try:
        parsed = _parse(path)
    except OSError as e:
        raise _os_problem(e, path.parent) from None
    except StoreError:
        raise failed from None
    read_manifest = _open_manifest(parsed, key)
    if parsed.payload_sha256 != hashlib.sha256(pages).hexdigest() or read_manifest != manifest:
        raise failed
    _check_database(snapshot, key, manifest, _slots(parsed, path).audit_anchor, failed)
    return _info(parsed, read_manifest)


def _check_database(path: Path, key: bytes, manifest: dict, anchor, failed: StoreError) -> None:
    from shelterdesk.store.database import Database
    try:
        check = Database.open(path, key, upgrade=False)
    except StoreError:
        raise failed from None
    try:
        problems = check.integrity_problems()
        with check._lock:
            counts = _counts(check.con)
        ok = (not any(problems.values()) and counts == manifest["counts"]
              and str(check.audit_head() or "") == manifest["audit_head"]
              and check.audit_head() == anchor
              and check.database_id == manifest["database_id"]
              and not check.verify_audit(anchor))
    finally:
        check.close()
    if not ok:
        raise failed


# -- reading a backup ---------------------------------------------------------------------

@dataclass
class _Parsed:
    path: Path
    clear: dict
    offset: int
    payload_sha256: str


def _not_a_backup(path: Path) -> StoreError:
    return NotShelterDesk(_("{name} is not a ShelterDesk backup.").format(name=path.name))


def _damaged(path: Path) -> StoreError:
    return DatabaseDamaged(_("The backup {name} is damaged or incomplete; nothing was "
                             "restored.").format(name=path.name))


def _parse(path: Path) -> _Parsed:
    """The clear header and the SHA-256 of the pages; refuses a file that is
    not a backup, or is truncated."""
    from shelterdesk.store.database import check_file_type
    path = Path(path)
    check_file_type(path)
    size = os.stat(path).st_size
    with open(path, "rb") as f:
        head = f.read(len(MAGIC) + 4)
        if len(head) < len(MAGIC) + 4 or not head.startswith(MAGIC):
            raise _not_a_backup(path)
        (n,) = struct.unpack(">I", head[len(MAGIC):])
        if n > _MAX_HEADER:
            raise _damaged(path)
        raw = f.read(n)
        try:
            clear = json.loads(raw.decode("utf-8"))
            if clear.get("format") != FORMAT:
                raise ValueError
            if clear.get("version") != VERSION:
                raise StoreError(_("{name} was made by another version of ShelterDesk.").format(
                    name=path.name))
            if not (isinstance(clear.get("database_id"), str)
                    and isinstance(clear.get("created_at"), str)
                    and type(clear.get("size")) is int and clear["size"] >= 0
                    and isinstance(clear.get("slots"), str)
                    and isinstance(clear.get("manifest"), dict)
                    and isinstance(clear["manifest"].get("nonce"), str)
                    and isinstance(clear["manifest"].get("ct"), str)):
                raise ValueError("header")
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError,
                RecursionError):
            raise _damaged(path) from None
        offset = len(MAGIC) + 4 + n
        if size != offset + int(clear["size"]):
            raise _damaged(path)
        digest = hashlib.sha256()
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return _Parsed(path, clear, offset, digest.hexdigest())


def _open_manifest(parsed: _Parsed, key: bytes) -> dict:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    try:
        m = parsed.clear["manifest"]
        raw = AESGCM(_manifest_key(key)).decrypt(bytes.fromhex(m["nonce"]),
                                                 bytes.fromhex(m["ct"]),
                                                 _associated(parsed.clear))
        return json.loads(raw.decode("utf-8"))
    except (InvalidTag, ValueError, KeyError, TypeError):
        raise _damaged(parsed.path) from None


def _slots(parsed: _Parsed, where: Path):
    from shelterdesk.store.vault import SlotFile
    try:
        return SlotFile._parse(SlotFile.path_for(where), parsed.clear["slots"].encode("utf-8"))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _damaged(parsed.path) from None


def _unlock(parsed: _Parsed, login: str | None, password: str | None,
            recovery_code: str | None, where: Path) -> bytes:
    slots = _slots(parsed, where)
    if slots.database_id != parsed.clear["database_id"]:
        raise _damaged(parsed.path)
    if recovery_code is not None:
        key = slots.unlock_recovery(recovery_code)
    else:
        _account, key = slots.unlock(login or "", password or "")
    # The slot list's seal (a MAC under the data key) must hold: a slot the
    # unlock did not use (another account's, the recovery slot) could be
    # damaged, swapped or its seal removed, and the restored key file would
    # carry it. (The session that made the backup had sealed the list.)
    from shelterdesk.store.vault import MAC_OK
    slots.adopt_key(key)
    if slots.mac_status != MAC_OK:
        raise _damaged(parsed.path)
    return key


def _info(parsed: _Parsed, manifest: dict) -> BackupInfo:
    return BackupInfo(manifest["created_at"], manifest["made_by"], manifest["database_id"],
                      int(manifest["schema"]), dict(manifest["counts"]),
                      manifest["audit_head"], int(parsed.clear["size"]))


def _opened(path: Path, login, password, recovery_code, where: Path):
    try:
        parsed = _parse(Path(path))
    except OSError as e:
        raise StoreError(_("{path} cannot be read: {reason}").format(
            path=path, reason=e.strerror or e.__class__.__name__)) from None
    key = _unlock(parsed, login, password, recovery_code, where)
    manifest = _open_manifest(parsed, key)
    if manifest.get("sha256") != parsed.payload_sha256 \
            or manifest.get("database_id") != parsed.clear["database_id"]:
        raise _damaged(parsed.path)
    return parsed, key, manifest


def inspect(path: Path, login: str | None = None, password: str | None = None, *,
            recovery_code: str | None = None) -> BackupInfo:
    """What the backup holds, after unlocking it with a staff password of its
    time (or the recovery code). Writes nothing. A wrong password raises
    WrongPassword; a damaged, truncated or foreign file another StoreError."""
    parsed, _key, manifest = _opened(path, login, password, recovery_code, Path(path))
    return _info(parsed, manifest)


# -- restoring ------------------------------------------------------------------------------

def companions_exist(new_db: Path) -> bool:
    """A database or any of its companion files (WAL, keys, lockout) at ``new_db``."""
    return database_files_exist(new_db) or any(
        os.path.lexists(str(new_db) + s) for s in (*LOCKOUT_SUFFIXES, "-journal"))


#: The suffix of a restore's staging files beside NEWPATH.
_STAGING = ".restoring"


def _remove_staging(new_db: Path) -> None:
    """The staging files of restores into ``new_db`` (this one's, or those a
    killed restore left), with SQLite's companions of them."""
    for leftover in new_db.parent.glob(f".{glob.escape(new_db.name)}.*{_STAGING}*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _place(src: Path, dst: Path) -> None:
    """Move ``src`` to ``dst``, never over an existing file (FileExistsError).
    A hard link where the file system has them; elsewhere (FAT on a stick) a
    rename after checking."""
    try:
        os.link(src, dst)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "exists", str(dst)) from None
        os.rename(src, dst)
        return
    os.unlink(src)


def restore(path: Path, new_db: Path, login: str | None = None, password: str | None = None,
            *, recovery_code: str | None = None,
            expect_database_id: str | None = None) -> BackupInfo:
    """Restore the backup at ``path`` into ``new_db``, which must not exist
    (nor any of its companions): the database and its key file, checked
    (integrity, counts, audit head, audit chain) before returning. Any failure
    removes everything written. ``expect_database_id``: refuse a backup of
    another database (the restore drill of the open database)."""
    new_db = Path(new_db)
    if companions_exist(new_db):
        raise DatabaseExists(_("A database already exists at {path}; it was not "
                               "touched.").format(path=new_db))
    if not new_db.parent.is_dir():
        raise StoreError(_("The folder {path} does not exist.").format(path=new_db.parent))
    parsed, key, manifest = _opened(path, login, password, recovery_code, new_db)
    if expect_database_id is not None and manifest["database_id"] != expect_database_id:
        raise NotShelterDesk(_("{name} is a backup of another database.").format(
            name=parsed.path.name))
    from shelterdesk.store.vault import SlotFile
    # Staged under a hidden name beside NEWPATH, checked there, and only then
    # put in place (key file first, the database last): a process killed at
    # any moment leaves nothing at NEWPATH that looks like a database, and
    # the next restore into the same path removes the staging files.
    _remove_staging(new_db)
    stage = new_db.with_name(f".{new_db.name}.{secrets.token_hex(4)}{_STAGING}")
    placed: list[Path] = []
    try:
        try:
            create_owner_only(stage)
            with open(parsed.path, "rb") as src, open(stage, "r+b") as dst:
                src.seek(parsed.offset)
                digest = hashlib.sha256()
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    dst.write(chunk)
                dst.flush()
                os.fsync(dst.fileno())
            if digest.hexdigest() != manifest["sha256"]:
                raise _damaged(parsed.path)
            stage_keys = SlotFile.path_for(stage)
            create_owner_only(stage_keys)
            with open(stage_keys, "wb") as f:
                f.write(parsed.clear["slots"].encode("utf-8"))
                f.flush()
                os.fsync(f.fileno())
        except OSError as e:
            raise disk_problem(e, new_db.parent) or StoreError(
                _("{path} cannot be written: {reason}").format(
                    path=new_db, reason=e.strerror or e.__class__.__name__)) from None
        _check_database(stage, key, manifest, _slots(parsed, stage).audit_anchor,
                        _damaged(parsed.path))
        try:
            for src_path, dst_path in ((stage_keys, SlotFile.path_for(new_db)), (stage, new_db)):
                _place(src_path, dst_path)
                placed.append(dst_path)
            fsync_dir(new_db.parent)
        except FileExistsError:
            raise DatabaseExists(_("A database already exists at {path}; it was not "
                                   "touched.").format(path=new_db)) from None
        except OSError as e:
            raise disk_problem(e, new_db.parent) or StoreError(
                _("{path} cannot be written: {reason}").format(
                    path=new_db, reason=e.strerror or e.__class__.__name__)) from None
    except BaseException:
        for p in placed:
            with contextlib.suppress(OSError):
                p.unlink()
        raise
    finally:
        _remove_staging(new_db)
    return _info(parsed, manifest)


def drill(s, path: Path, login: str | None = None, password: str | None = None, *,
          recovery_code: str | None = None) -> BackupInfo:
    """"Test this backup": restore it into an owner-only temporary folder,
    check it, remove it. Refuses a backup of another database. Audited in the
    open database (``backup_drill``)."""
    s.require(*BACKUP_ROLES)
    scratch = Path(tempfile.mkdtemp(prefix="shelterdesk-drill-"))
    try:
        os.chmod(scratch, 0o700)
        info = restore(path, scratch / "drill.db", login, password,
                       recovery_code=recovery_code, expect_database_id=s.db.database_id)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    s.db.audit("backup_drill", "database", None, f"schema={info.schema} ok")
    return info


# -- reminders ------------------------------------------------------------------------------

def last_verified(db) -> datetime | None:
    value = db.get_meta(LAST_VERIFIED)
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def reminder_due(db, today: date | None = None) -> bool:
    """A manager or administrator is reminded at login: no verified backup
    yet, or the last one is ``backup_reminder_days`` days old or more."""
    from shelterdesk.store import settings
    today = today or date.today()
    last = last_verified(db)
    return last is None or (today - last.date()).days >= settings.backup_reminder_days(db)


__all__ = ["BackupInfo", "BackupResult", "WrongPassword", "backup", "drill",
           "inspect", "last_verified", "reminder_due", "restore"]
