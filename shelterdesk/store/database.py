"""Opening, creating and closing the encrypted database.

Every open: raw key, read ``sqlite_master`` at once (SQLCipher accepts any key
and fails only on first read), check ``cipher_version`` (so SQLCipher and not
plain SQLite is loaded), then memory security, in-memory temp store, secure
delete, WAL with synchronous=FULL. A file that fails to open is never replaced
by a new empty one: creation refuses when the file exists.

The connection is used from one thread at a time (the GUI's worker hands it
over); ``check_same_thread`` is off for that reason only.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

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
from shelterdesk.store.files import create_owner_only
from shelterdesk.store.rows import now_text

SQLITE_HEADER = b"SQLite format 3\x00"
GENESIS = "0" * 64


class Database:
    """An open, keyed connection. ``account_id`` is who is working (audited)."""

    def __init__(self, path: Path, con, database_id: str):
        self.path = path
        self.con = con
        self.database_id = database_id
        self.account_id: int | None = None
        self._lock = threading.RLock()
        self._depth = 0
        self._audit_key: bytes | None = None
        self._keyed_from: int | None = None  # first audit row chained with the key

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, path: Path, data_key: bytes, *, upgrade: bool = True) -> Database:
        path = Path(path)
        if not path.exists():
            raise StoreError(_("There is no database at {path}.").format(path=path))
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
            except sqlcipher3.DatabaseError:
                raise DatabaseDamaged(_(
                    "The database {name} could not be decrypted with the key from the key file: "
                    "the database is damaged or the key file belongs to another database. "
                    "Restore both from the same backup.").format(name=path.name)) from None
            _configure(con)
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            if app_id not in (0, migrations.APPLICATION_ID):
                raise NotShelterDesk(_("{name} is not a ShelterDesk database.").format(
                    name=path.name))
            if upgrade:
                migrations.upgrade(con)
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
        path.parent.mkdir(parents=True, exist_ok=True)
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
            self.con.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.con
            except BaseException:
                self._depth = 0
                self.con.execute("ROLLBACK")
                raise
            self._depth = 0
            self.con.execute("COMMIT")

    def query(self, sql: str, params=()) -> list[tuple]:
        with self._lock:
            if self.con is None:
                raise StoreError(_("The database is locked."))
            return self.con.execute(sql, params).fetchall()

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
        cipher = [r[0] for r in self.query("PRAGMA cipher_integrity_check")]
        sqlite = [r[0] for r in self.query("PRAGMA integrity_check")]
        fks = [str(r) for r in self.query("PRAGMA foreign_key_check")]
        return {"cipher_integrity_check": cipher,
                "integrity_check": [] if sqlite == ["ok"] else sqlite,
                "foreign_key_check": fks}

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page under ``new_key`` (PRAGMA rekey). The caller
        re-seals the new key in the slot file right after."""
        with self._lock:
            self.con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.con.execute("PRAGMA journal_mode = DELETE")
            self.con.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            self.con.execute("PRAGMA journal_mode = WAL")

    def backup_to(self, target: Path, data_key: bytes) -> None:
        """An encrypted copy under the same data key, checked after writing."""
        target = Path(target)
        if target.exists():
            raise DatabaseExists(_("{name} already exists; choose another file name.").format(
                name=target.name))
        with self._lock:
            self.con.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{data_key.hex()}'\"",
                             (str(target),))
            try:
                self.con.execute("SELECT sqlcipher_export('backup')")
                v = self.con.execute("PRAGMA user_version").fetchone()[0]
                self.con.execute(f"PRAGMA backup.user_version = {int(v)}")
                self.con.execute(f"PRAGMA backup.application_id = {migrations.APPLICATION_ID}")
            finally:
                self.con.execute("DETACH DATABASE backup")
        try:
            check = Database.open(target, data_key, upgrade=False)
            try:
                problems = check.integrity_problems()
            finally:
                check.close()
        except StoreError:
            problems = {"open": ["failed"]}
        if any(problems.values()):
            for suffix in ("", "-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            raise DatabaseDamaged(_("The backup could not be verified; it was not kept."))


def _connect(path: Path, data_key: bytes):
    if len(data_key) != 32:
        raise WrongPassword(_("The key is not valid."))
    con = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    # SQLCipher would print its own warnings ("hmac check failed") to stderr; we
    # report every failure ourselves, in one sentence the user can act on.
    con.execute("PRAGMA cipher_log_level = NONE")
    con.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    return con


def _configure(con) -> None:
    version = con.execute("PRAGMA cipher_version").fetchone()
    if not version or not version[0]:
        raise StoreError(_("SQLCipher is not loaded; refusing to use an unencrypted database."))
    con.execute("PRAGMA cipher_memory_security = ON")
    con.execute("PRAGMA temp_store = MEMORY")
    con.execute("PRAGMA secure_delete = ON")
    con.execute("PRAGMA foreign_keys = ON")
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
