"""Opening, creating and closing the encrypted database.

Every open: raw key, read ``sqlite_master`` at once (SQLCipher accepts any key
and fails only on first read), check ``cipher_version`` (so SQLCipher and not
plain SQLite is loaded), then memory security, in-memory temp store, secure
delete, WAL with synchronous=FULL. A file that fails to open is never replaced
by a new empty one: creation refuses when the file exists.

The connection is used from one thread at a time (the GUI's worker hands it
over); ``check_same_thread`` is off for that reason only.

Damage and disks (issue 8): every open runs ``PRAGMA cipher_integrity_check``
before anything is written (an HMAC over every page: 0.17 s for the 31 MB
benchmark database, where ``quick_check`` takes 1.1 s), so one flipped byte
anywhere stops the open with "damaged at page N" and no login row lands in a
damaged file. ``verify`` opens with ``damaged_ok`` to report what it finds;
such a connection never writes (:attr:`Database.damaged`). SQLite's
"malformed" and SQLCipher's failures met later become :class:`DatabaseDamaged`
the same way, and a full or read-only disk becomes :class:`DiskFull` /
:class:`ReadOnlyLocation` (free space, another folder), never "damaged":
following "restore from a backup" on a healthy database loses its last work.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shelterdesk.i18n import _
from shelterdesk.store import migrations
from shelterdesk.store.errors import (
    DatabaseDamaged,
    DatabaseExists,
    NotShelterDesk,
    StoreError,
    WrongPassword,
)
from shelterdesk.store.files import create_owner_only, disk_full, read_only, writable_problem
from shelterdesk.store.rows import now_text

SQLITE_HEADER = b"SQLite format 3\x00"
GENESIS = "0" * 64

# SQLite's primary result codes (the low byte of an extended code).
_READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 8, 10, 11, 13, 14, 26
_PAGE_RE = re.compile(r"page (\d+)")


class AuditHead(NamedTuple):
    """The audit chain's head: its last row's id and that row's keyed MAC.
    The key file anchors it (vault: the anchor); backups, hand-over manifests
    and the reports' footers print it as ``id:mac`` (``str()``)."""
    id: int
    mac: str

    def __str__(self) -> str:
        return f"{self.id}:{self.mac}"


def damaged_at(path: Path, page: int | None) -> DatabaseDamaged:
    if page is None:
        return DatabaseDamaged(_("The database {name} is damaged: run verify, then restore it "
                                 "from a backup.").format(name=Path(path).name))
    return DatabaseDamaged(_("The database {name} is damaged at page {page}: run verify, then "
                             "restore it from a backup.").format(name=Path(path).name, page=page))


def _code(e: BaseException) -> int | None:
    code = getattr(e, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def disk_error(e: BaseException, path: Path) -> StoreError | None:
    """A full or read-only disk behind an SQLite error, or None."""
    code = _code(e)
    if code == _FULL:
        return disk_full(Path(path).parent)
    if code in (_READONLY, _CANTOPEN, _IOERR):
        return writable_problem(Path(path).parent) or (
            read_only(Path(path).parent) if code == _READONLY else None)
    return None


def damaged_pages(con) -> list[int]:
    """Pages whose HMAC fails (SQLCipher's own check; reads every page once)."""
    pages = []
    for (line,) in con.execute("PRAGMA cipher_integrity_check").fetchall():
        m = _PAGE_RE.search(str(line))
        pages.append(int(m.group(1)) if m else 0)
    return pages


def check_file_type(path: Path) -> None:
    """A database is a regular file: a folder, a device or a FIFO is refused in
    one sentence (``/dev/null`` would "open" as an empty database, a FIFO hangs)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise StoreError(_("There is no database at {path}.").format(path=path)) from None
    except OSError as e:
        raise StoreError(_("{path} cannot be read: {reason}").format(
            path=path, reason=e.strerror or e.__class__.__name__)) from None
    if stat.S_ISDIR(mode):
        raise StoreError(_("{path} is a folder, not a database file.").format(path=path))
    if not stat.S_ISREG(mode):
        raise StoreError(_("{path} is not a regular file (a device or a pipe), not a database "
                           "file.").format(path=path))


class Database:
    """An open, keyed connection. ``account_id`` is who is working (audited)."""

    def __init__(self, path: Path, con, database_id: str):
        self.path = path
        self.con = con
        self.database_id = database_id
        self.account_id: int | None = None
        #: A damaged page was found: nothing more is written (see the module doc).
        self.damaged = False
        self._damaged_page: int | None = None
        self._lock = threading.RLock()
        self._depth = 0
        self._audit_key: bytes | None = None
        self._keyed_from: int | None = None  # first audit row chained with the key

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, path: Path, data_key: bytes, *, upgrade: bool = True,
             damaged_ok: bool = False) -> Database:
        """``damaged_ok`` (verify only): a damaged page is recorded in
        :attr:`damaged` instead of refusing; such a connection writes nothing."""
        path = Path(path)
        check_file_type(path)
        with path.open("rb") as f:
            head = f.read(16)
        if head == SQLITE_HEADER:
            raise NotShelterDesk(_("{name} is a plain SQLite file, not an encrypted ShelterDesk "
                                   "database.").format(name=path.name))
        if len(head) < 16:
            raise DatabaseDamaged(_("The database file {name} is empty or truncated. Restore it "
                                    "from a backup.").format(name=path.name))
        con = _connect(path, data_key)
        try:
            try:
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.DatabaseError as e:
                disk = disk_error(e, path)
                if disk is not None:
                    raise disk from None
                # The key opens page 1 but a later page of the schema fails:
                # that page is damaged (a wrong key fails on page 1 already).
                bad = []
                with contextlib.suppress(sqlcipher3.DatabaseError):
                    bad = damaged_pages(con)
                if bad and 1 not in bad and bad[0]:
                    if not damaged_ok:
                        raise damaged_at(path, bad[0]) from None
                    db = cls(path, con, "")
                    db.damaged, db._damaged_page = True, bad[0]
                    return db
                raise DatabaseDamaged(_(
                    "The database {name} could not be decrypted with the key from the key file: "
                    "the database is damaged or the key file belongs to another database. "
                    "Restore both from the same backup.").format(name=path.name)) from None
            bad = damaged_pages(con)
            if bad and not damaged_ok:
                raise damaged_at(path, bad[0] or None)
            if bad:
                db = cls(path, con, "")
                db.damaged, db._damaged_page = True, bad[0] or None
                with contextlib.suppress(sqlcipher3.DatabaseError):
                    row = con.execute("SELECT value FROM meta WHERE key='database_id'").fetchone()
                    db.database_id = row[0] if row else ""
                return db
            try:
                _configure(con)
            except sqlcipher3.DatabaseError as e:
                raise disk_error(e, path) or damaged_at(path, None) from None
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            if app_id not in (0, migrations.APPLICATION_ID):
                raise NotShelterDesk(_("{name} is not a ShelterDesk database.").format(
                    name=path.name))
            if upgrade:
                try:
                    migrations.upgrade(con)
                except sqlcipher3.DatabaseError as e:
                    raise disk_error(e, path) or damaged_at(path, None) from None
            row = con.execute("SELECT value FROM meta WHERE key='database_id'").fetchone()
            if row is None:
                raise NotShelterDesk(_("{name} is not a ShelterDesk database.").format(
                    name=path.name))
            db = cls(path, con, row[0])
            db._load_audit_key(create=upgrade)
        except BaseException:
            con.close()
            raise
        return db

    @classmethod
    def create(cls, path: Path, data_key: bytes, database_id: str) -> Database:
        path = Path(path)
        if path.exists() or Path(str(path) + "-wal").exists():
            raise DatabaseExists(_("A database already exists at {path}; it was not "
                                   "touched.").format(path=path))
        # A folder made for the database is its owner's alone (issue 8, item 11).
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Encrypted, but nobody else's business either: made owner-only before
        # SQLite opens it (SQLite gives the -wal and -shm files the same mode).
        # O_EXCL: never open over a file that appeared meanwhile.
        create_owner_only(path)
        con = _connect(path, data_key)
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _configure(con)
        migrations.upgrade(con)
        con.execute("INSERT INTO meta(key, value) VALUES ('database_id', ?)", (database_id,))
        db = cls(path, con, database_id)
        db._load_audit_key(create=True)
        return db

    def close(self) -> None:
        with self._lock:
            if self.con is not None:
                if not self.damaged:  # a damaged file is not written, not even a checkpoint
                    with contextlib.suppress(Exception):
                        self.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self.con.close()
                self.con = None

    @property
    def is_open(self) -> bool:
        return self.con is not None

    # -- transactions --------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """One user action: all of it or none of it. Nested calls join the
        outer transaction."""
        with self._lock:
            if self.con is None:
                raise StoreError(_("The database is locked."))
            if self._depth:
                self._depth += 1
                try:
                    yield self.con
                finally:
                    self._depth -= 1
                return
            if self.damaged:
                raise damaged_at(self.path, self._damaged_page)
            try:
                self.con.execute("BEGIN IMMEDIATE")
            except sqlcipher3.DatabaseError as e:
                raise self._translate(e) from None
            self._depth = 1
            try:
                yield self.con
            except sqlcipher3.DatabaseError as e:
                self._depth = 0
                with contextlib.suppress(sqlcipher3.DatabaseError):
                    self.con.execute("ROLLBACK")
                translated = self._translate(e)
                if translated is e:
                    raise
                raise translated from None
            except BaseException:
                self._depth = 0
                with contextlib.suppress(sqlcipher3.DatabaseError):
                    self.con.execute("ROLLBACK")
                raise
            self._depth = 0
            try:
                self.con.execute("COMMIT")
            except sqlcipher3.DatabaseError as e:
                with contextlib.suppress(sqlcipher3.DatabaseError):
                    self.con.execute("ROLLBACK")
                raise self._translate(e) from None

    def query(self, sql: str, params=()) -> list[tuple]:
        with self._lock:
            if self.con is None:
                raise StoreError(_("The database is locked."))
            try:
                return self.con.execute(sql, params).fetchall()
            except sqlcipher3.DatabaseError as e:
                translated = self._translate(e)
                if translated is e:
                    raise
                raise translated from None

    def _translate(self, e: sqlcipher3.DatabaseError) -> BaseException:
        """A damaged page, a full or a read-only disk as the store's sentence;
        any other error (a constraint, a bug) unchanged."""
        code = _code(e)
        if code in (_CORRUPT, _NOTADB) or (code == _READONLY and self.damaged):
            if not self.damaged:
                self.damaged = True
                with contextlib.suppress(sqlcipher3.DatabaseError):
                    pages = damaged_pages(self.con)
                    self._damaged_page = pages[0] if pages and pages[0] else None
            return damaged_at(self.path, self._damaged_page)
        return disk_error(e, self.path) or e

    def query_one(self, sql: str, params=()) -> tuple | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    # -- meta ------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.query_one("SELECT value FROM meta WHERE key=?", (key,))
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as con:
            con.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    # -- audit -----------------------------------------------------------------
    def _load_audit_key(self, create: bool) -> None:
        """The audit chain's MAC key: HKDF over a random secret kept in the
        encrypted database (``meta.audit_secret``). Not the data key itself:
        the chain must still verify after the data key is rotated. A database
        from before the key existed gets one now; its older rows keep their
        unkeyed hashes and ``meta.audit_keyed_from`` marks the switch."""
        secret = self.get_meta("audit_secret")
        if secret is None:
            if not create:
                return
            with self.transaction() as con:
                head = con.execute("SELECT value FROM meta WHERE key='audit_head'").fetchone()
                last = con.execute("SELECT max(id) FROM audit").fetchone()[0] or 0
                start = max(last, int(head[0].split(":", 1)[0]) if head else 0) + 1
                secret = secrets.token_hex(32)
                con.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                                [("audit_secret", secret), ("audit_keyed_from", str(start))])
        self._audit_key = HKDF(hashes.SHA256(), 32, salt=None,
                               info=b"shelterdesk audit-chain v1").derive(bytes.fromhex(secret))
        self._keyed_from = int(self.get_meta("audit_keyed_from", "1"))

    def _row_mac(self, rid, at, acct, action, entity, entity_id, detail, prev_hash) -> str:
        if self._audit_key is not None and rid >= self._keyed_from:
            return audit_mac(self._audit_key, rid, at, acct, action, entity, entity_id, detail,
                             prev_hash)
        return audit_hash(rid, at, acct, action, entity, entity_id, detail, prev_hash)

    def audit(self, action: str, entity: str = "", entity_id: int | None = None,
              detail: str = "", at: str | None = None, account_id: int | None = -1) -> None:
        """Append one row to the hash-chained audit log, inside the current
        transaction if there is one. ``detail`` carries ids and codes, never
        names."""
        acct = self.account_id if account_id == -1 else account_id
        with self.transaction() as con:
            # Chain from the recorded head, not from the last row present: rows
            # deleted from the end must stay a visible gap after later writes.
            head = con.execute("SELECT value FROM meta WHERE key='audit_head'").fetchone()
            if head is not None:
                last_id, prev_hash = head[0].split(":", 1)
                next_id = int(last_id) + 1
            else:
                prev = con.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
                next_id, prev_hash = (prev[0] + 1, prev[1]) if prev else (1, GENESIS)
            # A row inserted past the recorded head (outside the program) must
            # not stop everybody's work: chain after it from the head, so that
            # verify reports the stranger as a break in the chain.
            top = con.execute("SELECT max(id) FROM audit").fetchone()[0] or 0
            next_id = max(next_id, top + 1)
            at = at or now_text()
            h = self._row_mac(next_id, at, acct, action, entity, entity_id, detail, prev_hash)
            con.execute("INSERT INTO audit(id, at, account_id, action, entity, entity_id, detail, "
                        "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)",
                        (next_id, at, acct, action, entity, entity_id, detail, prev_hash, h))
            con.execute("INSERT INTO meta(key, value) VALUES ('audit_head', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                        (f"{next_id}:{h}",))

    def audit_head(self) -> AuditHead | None:
        """The audit chain's head as recorded with its last write (``None`` on
        a chain with no row yet): the one read of it, for the key file's
        anchor, backups (inside their snapshot's read transaction: it reads on
        this connection), export manifests and reports. ``verify_audit``
        checks that it is the chain's last row."""
        head = self.get_meta("audit_head")
        rid, _sep, mac = (head or "").partition(":")
        return AuditHead(int(rid), mac) if rid.isdigit() and mac else None

    def verify_audit(self, anchor: tuple[int, str] | None = None) -> list[str]:
        """Problems found in the audit chain (empty when intact): an edited row
        no longer matches its MAC, a deleted row breaks the chain or leaves a
        gap, a deleted tail no longer reaches the recorded head, and (with
        ``anchor``, the head recorded in the key file) a log that ends before
        the anchor or differs from it was cut or rewritten."""
        problems: list[str] = []
        prev_hash, expected_id = GENESIS, 1
        last = None
        for row in self.query("SELECT id, at, account_id, action, entity, entity_id, detail, "
                              "prev_hash, hash FROM audit ORDER BY id"):
            rid, at, acct, action, entity, entity_id, detail, row_prev, row_hash = row
            if rid != expected_id:
                problems.append(_("audit rows {a}–{b} are missing").format(
                    a=expected_id, b=rid - 1))
            if row_prev != prev_hash:
                problems.append(_("audit row {id} does not follow the previous row").format(
                    id=rid))
            if self._row_mac(rid, at, acct, action, entity, entity_id, detail,
                             row_prev) != row_hash:
                problems.append(_("audit row {id} was changed after it was written").format(
                    id=rid))
            prev_hash, expected_id, last = row_hash, rid + 1, f"{rid}:{row_hash}"
        head = self.get_meta("audit_head")
        if head is None and last is not None:
            problems.append(_("the record of the audit log's last row is missing"))
        if head is not None and head != last:
            problems.append(_("the last audit rows were removed (the log ends before its "
                              "recorded head)"))
        if anchor is not None:
            rows = {r[0]: r[1] for r in self.query("SELECT id, hash FROM audit WHERE id=?",
                                                   (anchor[0],))}
            if anchor[0] not in rows:
                problems.append(_("the audit log ends before row {id}, which the key file "
                                  "records as written (rows were removed)").format(id=anchor[0]))
            elif rows[anchor[0]] != anchor[1]:
                problems.append(_("audit row {id} differs from the key file's record of "
                                  "it").format(id=anchor[0]))
        return problems

    # -- integrity, keys, backups ---------------------------------------------
    def integrity_problems(self) -> dict[str, list[str]]:
        """Every check, each run whatever the others found: a check that
        cannot finish on a damaged page reports that instead of stopping the
        rest (``verify`` prints one line per check)."""
        def run(check):
            try:
                return check()
            except StoreError as e:
                return [str(e)]
            except sqlcipher3.DatabaseError as e:
                return [f"{e.__class__.__name__}: {e}"]

        def cipher():
            return [f"damaged page {p}" if p else "damaged page"
                    for p in damaged_pages(self.con)]

        def sqlite():
            found = [r[0] for r in self.query("PRAGMA integrity_check")]
            return [] if found == ["ok"] else found

        def fks():
            return [str(r) for r in self.query("PRAGMA foreign_key_check")]

        with self._lock:
            return {"cipher_integrity_check": run(cipher), "integrity_check": run(sqlite),
                    "foreign_key_check": run(fks)}

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page under ``new_key`` (PRAGMA rekey). The caller
        re-seals the new key in the slot file right after."""
        with self._lock:
            self.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.con.execute("PRAGMA journal_mode = DELETE")
            self.con.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            self.con.execute("PRAGMA journal_mode = WAL")


def _connect(path: Path, data_key: bytes):
    if len(data_key) != 32:
        raise WrongPassword(_("The key is not valid."))
    con = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    # SQLCipher would print its own warnings ("hmac check failed") to stderr; we
    # report every failure ourselves, in one sentence the user can act on.
    con.execute("PRAGMA cipher_log_level = NONE")
    con.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    return con


#: SQLite's page cache in KiB (negative: a size, not a page count): 64 MiB.
#: SQLCipher decrypts and authenticates every page it reads from the file; the
#: cache holds them decrypted, so a page read once costs nothing again. With
#: SQLite's default 2 MB a 50,000-row scan measured 6–9× the plaintext time,
#: with 64 MiB about 1× (``make bench``: encrypted ÷ plaintext). Fixed rather
#: than sized from the file: the cache grows only as pages are read, so a small
#: house's few-MB file costs its size, and 64 MiB bounds a large one. Decrypted
#: pages live only in this process while the database is open and are wiped
#: when freed (``cipher_memory_security``).
CACHE_SIZE_KIB = 64 * 1024


def configure_cache(con) -> None:
    con.execute(f"PRAGMA cache_size = {-CACHE_SIZE_KIB}")


def _configure(con) -> None:
    version = con.execute("PRAGMA cipher_version").fetchone()
    if not version or not version[0]:
        raise StoreError(_("SQLCipher is not loaded; refusing to use an unencrypted database."))
    con.execute("PRAGMA cipher_memory_security = ON")
    con.execute("PRAGMA temp_store = MEMORY")
    con.execute("PRAGMA secure_delete = ON")
    con.execute("PRAGMA foreign_keys = ON")
    configure_cache(con)
    mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise StoreError(_("The database could not be put in WAL mode."))
    con.execute("PRAGMA synchronous = FULL")


def audit_hash(rid, at, acct, action, entity, entity_id, detail, prev_hash) -> str:
    body = json.dumps([rid, at, acct, action, entity, entity_id, detail, prev_hash],
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def audit_mac(key: bytes, rid, at, acct, action, entity, entity_id, detail, prev_hash) -> str:
    body = json.dumps([rid, at, acct, action, entity, entity_id, detail, prev_hash],
                      ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def new_data_key() -> bytes:
    return secrets.token_bytes(32)
