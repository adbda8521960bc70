"""Key slots: who may open the database, and with what.

One random 256-bit *data key* opens the SQLCipher database as a raw key, so
unlocking costs exactly one password KDF. The slot file beside the database
(``<db>.keys``, previous copy ``<db>.keys.bak``) holds one slot per staff
account and one recovery slot.

Design (ARCHITECTURE.md "The vault", with one addition written down here):
each slot holds an X25519 key pair whose private half is wrapped with
AES-256-GCM under Argon2id(NFC(password), salt); the data key is *sealed* to the
slot's public key (ephemeral X25519 + HKDF-SHA256 + AES-256-GCM). The addition
is the key pair: it lets an administrator rotate the data key after removing an
account and re-seal the new key to every remaining account and to the recovery
slot without knowing their passwords. Associated data binds every ciphertext to
the database id, the slot id and the key generation, so slots cannot be swapped
between databases or accounts.

The recovery code is the recovery slot's private key itself (256 random bits,
shown once in groups): it needs no KDF and works from either copy of the file.

Roles live inside the encrypted database: editing this file can lock people
out, never grant a role. Never log a password, a key or a code.

Threat model (issue 8). The database is the authority for who exists;
this file only says how each person opens the data key.

*Prevented* (needs no password to resist):

- A slot planted in the file (anyone who can write the folder) never receives
  a data key: re-sealing (rotation, any save) goes only to slots the database
  vouches for, i.e. the recovery slot and the slot of every enabled account,
  each with the X25519 public key the database recorded (``meta``
  ``slot_public:<slot id>``) when the program set it. Unknown slots are
  dropped from both copies at the next unlock.
- Reading or forging the audit chain, the slot list or a role grant from a
  copy of the files: all three are keyed (HMAC, Ed25519) with keys that only
  someone who can open a slot can derive.
- Tampered KDF parameters hanging or crashing a login (bounded; the copy is
  damaged), a key file that is a directory, a FIFO, huge or nested 100,000
  deep (the other copy is used, or one sentence). A non-UTF-8 password is an
  ordinary wrong password for every login, known or not; an unknown login
  runs the same one Argon2 derivation.
- The login throttle reset by deleting ``<db>.lockout`` (mirrored here),
  raced by parallel attempts (serialised across the KDF), crashed by what
  does not parse, or made to lock everyone out by a time in the future.

*Detected* (reported to the user, audited, and shown by ``verify``):

- Any change to the slot list: an HMAC-SHA256 under HKDF(data key,
  "shelterdesk slot-list v1") over the canonical body (ids, logins, public
  keys, KDF parameters, sealed keys, audit anchor), checked at every unlock.
  On a mismatch the unlock *proceeds* for the slot that has just proved
  itself (staff are not locked out by someone else's edit), the tampering is
  reported, and the file is rewritten from the database's truth. A file from
  before the MAC gets one at its first unlock (trust on first use, audited).
- The previous copy used because the primary one is damaged, with the
  accounts it lacks (nothing is written over the damaged file).
- The audit log cut at its end, even with its ``audit_head`` record: the head
  (row id and MAC) is anchored here at every save and every lock, and a log
  that ends before the anchor, or differs from it, is reported. Rows are
  chained with HMAC-SHA256 under HKDF of a random secret inside the encrypted
  database (not the data key itself, so the chain survives rotations; older
  rows keep their hashes up to ``meta.audit_keyed_from``). A row inserted
  past the head is a break in the chain, never a crash.
- A role nobody with the right may have granted: each grant is signed with
  the granting slot's Ed25519 key (derived from the slot's private key; its
  public half recorded here and in the database) and counts only if the
  granter is the recovery slot, the role root, or a valid administrator.
  Other roles are ignored and reported (see store/grants.py). A signing key
  replaced in both records is found when its owner next unlocks.

*Out of reach*: anyone with a password holds the data key and can, with a
Python shell, rewrite the database and this file consistently (recompute the
MACs, re-anchor, replace another person's recorded signing key, replay an
old signed grant, or reset the role root of a database upgraded from before
grants were signed). The promise is detection, by comparison with what lives
elsewhere: backups (each carries the anchor of its day), the owner's own
unlock (her derived signing key), and the audit rows already written. A
person who can write the folder can always delete both key files (a denial,
not a disclosure): keep backups.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
import secrets
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shelterdesk.core.text import normalise_password
from shelterdesk.i18n import _
from shelterdesk.store.errors import SlotFileDamaged, WrongPassword
from shelterdesk.store.files import write_atomic

FORMAT = "shelterdesk-keyslots"
VERSION = 1
RECOVERY = "recovery"
_B32 = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"  # no I, L, O, U: easy to copy by hand


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"), validate=True)


@dataclass(frozen=True)
class KdfParams:
    time_cost: int
    memory_kib: int
    parallelism: int

    def to_json(self) -> dict:
        return {"alg": "argon2id", "t": self.time_cost, "m": self.memory_kib,
                "p": self.parallelism}

    @classmethod
    def from_json(cls, d: dict) -> KdfParams:
        """The parameters of a slot, refused (ValueError) outside the bounds the
        program accepts: a tampered ``t=10**9`` or ``m=2**31`` would otherwise
        hang a login for minutes or exhaust memory before failing."""
        if not isinstance(d, dict) or d.get("alg") != "argon2id":
            raise ValueError("unknown kdf")
        t, m, p = d.get("t"), d.get("m"), d.get("p")
        if not all(type(v) is int for v in (t, m, p)):
            raise ValueError("kdf parameters are not integers")
        if not (MIN_TIME_COST <= t <= MAX_TIME_COST and MIN_PARALLELISM <= p <= MAX_PARALLELISM
                and max(MIN_MEMORY_KIB, 8 * p) <= m <= MAX_MEMORY_KIB
                and t * m <= MAX_KDF_WORK_KIB):
            raise ValueError("kdf parameters out of bounds")
        return cls(t, m, p)


#: What the program accepts from a slot file (and what calibration chooses
#: within). Each bound alone is not enough: t=64 with m=1 GiB passed both and
#: hung a login for minutes, so the work (passes x memory) is bounded as a
#: whole, at the most that calibration ever writes (MAX_TIME_COST passes over
#: CALIBRATION_MEMORY_KIB), and memory at what a shelter PC can spare.
MIN_TIME_COST, MAX_TIME_COST = 1, 64
CALIBRATION_MEMORY_KIB = 64 * 1024
MIN_MEMORY_KIB, MAX_MEMORY_KIB = 8, 256 * 1024
MIN_PARALLELISM, MAX_PARALLELISM = 1, 8
MAX_KDF_WORK_KIB = MAX_TIME_COST * CALIBRATION_MEMORY_KIB
#: The largest key file read (a real one is a few kilobytes per account).
MAX_SLOT_FILE_BYTES = 4 * 1024 * 1024


#: The cost spent on an unknown login when no account slot says what it is.
_DUMMY_KDF = KdfParams(time_cost=2, memory_kib=64 * 1024, parallelism=1)

#: For tests only: the program calibrates (see calibrate_kdf) and never uses this.
TEST_KDF = KdfParams(time_cost=1, memory_kib=8, parallelism=1)


def _password_bytes(password: str) -> bytes:
    """NFC UTF-8; a password that is not valid text (a non-UTF-8 byte read
    from standard input arrives as a lone surrogate) still gives bytes, so it
    is an ordinary wrong password for every login, known or not."""
    try:
        return normalise_password(password)
    except UnicodeEncodeError:
        import unicodedata
        return unicodedata.normalize("NFC", password).encode("utf-8", "surrogateescape")


def derive_kek(password: str, salt: bytes, params: KdfParams) -> bytes:
    return hash_secret_raw(_password_bytes(password), salt, params.time_cost,
                           params.memory_kib, params.parallelism, 32, Type.ID)


def _argon2_once(time_cost: int, memory_kib: int) -> None:
    hash_secret_raw(b"calibration", secrets.token_bytes(16), time_cost, memory_kib, 1, 32,
                    Type.ID)


def calibrate_kdf(target_seconds: float = 0.5, memory_kib: int = CALIBRATION_MEMORY_KIB, *,
                  run=_argon2_once, clock=time.perf_counter) -> KdfParams:
    """The Argon2id cost that takes about ``target_seconds`` on this PC, within
    the bounds :meth:`KdfParams.from_json` accepts (``run`` and ``clock`` are
    replaced by tests with a fake machine)."""
    start = clock()
    run(1, memory_kib)
    one = max(clock() - start, 1e-6)
    t = round(target_seconds / one)
    return KdfParams(min(MAX_TIME_COST, max(2, t)), memory_kib, 1)


def new_recovery_code() -> str:
    """52 characters of Crockford-like base32 in groups of four: 256 bits."""
    raw = secrets.token_bytes(32)
    bits = int.from_bytes(raw, "big")
    chars = "".join(_B32[(bits >> (5 * i)) & 31] for i in range(52))
    return "-".join(chars[i:i + 4] for i in range(0, 52, 4))


def _recovery_private(code: str) -> X25519PrivateKey:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != 52 or any(ch not in _B32 for ch in cleaned):
        raise WrongPassword(_("That is not a recovery code (52 letters and digits)."))
    bits = 0
    for i, ch in enumerate(cleaned):
        bits |= _B32.index(ch) << (5 * i)
    seed = hashlib.sha256(b"shelterdesk-recovery" + bits.to_bytes(33, "big")).digest()
    return X25519PrivateKey.from_private_bytes(seed)


def _raw_private(k: X25519PrivateKey) -> bytes:
    return k.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                           serialization.NoEncryption())


def _raw_public(k: X25519PublicKey) -> bytes:
    return k.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def signing_key(private: X25519PrivateKey) -> Ed25519PrivateKey:
    """The slot's Ed25519 key for signing role grants, derived from its X25519
    private key (so it needs no wrapping of its own: whoever can open the slot
    can sign, nobody else)."""
    seed = HKDF(hashes.SHA256(), 32, salt=None,
                info=b"shelterdesk role-signing v1").derive(_raw_private(private))
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_public(private: X25519PrivateKey) -> str:
    return _b64(signing_key(private).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _seal(data_key: bytes, public: X25519PublicKey, ad: bytes) -> dict:
    eph = X25519PrivateKey.generate()
    shared = eph.exchange(public)
    epk = _raw_public(eph.public_key())
    key = HKDF(hashes.SHA256(), 32, salt=epk + _raw_public(public),
               info=b"shelterdesk-seal").derive(shared)
    nonce = secrets.token_bytes(12)
    return {"epk": _b64(epk), "nonce": _b64(nonce),
            "ct": _b64(AESGCM(key).encrypt(nonce, data_key, ad))}


def recovery_signing_key(code: str) -> Ed25519PrivateKey:
    """The Ed25519 key the recovery slot of ``code`` signs role grants with."""
    return signing_key(_recovery_private(code))


def _unseal(sealed: dict, private: X25519PrivateKey, ad: bytes) -> bytes:
    epk = _unb64(sealed["epk"])
    shared = private.exchange(X25519PublicKey.from_public_bytes(epk))
    key = HKDF(hashes.SHA256(), 32, salt=epk + _raw_public(private.public_key()),
               info=b"shelterdesk-seal").derive(shared)
    return AESGCM(key).decrypt(_unb64(sealed["nonce"]), _unb64(sealed["ct"]), ad)


class SlotFile:
    """The key slots of one database, read from and written to ``<db>.keys``.

    Written atomically: temp file in the same directory, fsync, the current
    file renamed to ``.bak``, rename into place, directory fsync. A damaged
    copy is detected by a SHA-256 over its body, and the other copy is used.
    """

    def __init__(self, path: Path, database_id: str, generation: int, slots: dict[str, dict]):
        self.path = path
        self.database_id = database_id
        self.generation = generation
        self.slots = slots  # slot id -> slot
        #: The previous copy was read because the primary one is damaged.
        self.from_backup = False
        #: The audit log's head (row id, its MAC) when the file was written.
        self.audit_anchor: tuple[int, str] | None = None
        self._read_body: dict | None = None
        self._read_mac: str | None = None
        self._mac_key: bytes | None = None
        self.mac_status = MAC_OK
        #: (slot id, Ed25519 key) of the slot that unlocked: signs role grants.
        self.signer: tuple[str, Ed25519PrivateKey] | None = None
        #: The signing public key derived from that slot (to check the records).
        self.signer_public: str | None = None

    # -- file ----------------------------------------------------------------
    @staticmethod
    def path_for(db_path: Path) -> Path:
        return db_path.with_name(db_path.name + ".keys")

    @classmethod
    def load(cls, db_path: Path) -> SlotFile:
        """The primary copy if it is intact, else the previous copy (then
        ``from_backup`` is set: the caller says so and which accounts it lacks).
        Whatever a copy holds (a directory, a FIFO, 100,000 nested brackets,
        tampered KDF values), it is either a valid slot file or damaged."""
        path = cls.path_for(db_path)
        bak = path.with_name(path.name + ".bak")
        for candidate in (path, bak):
            try:
                slots = cls._parse(path, _read_regular(candidate))
            except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
                continue
            slots.from_backup = candidate == bak
            return slots
        if not os.path.lexists(path) and not os.path.lexists(bak):
            raise SlotFileDamaged(
                _("The key file {name} is missing; without it the database cannot be opened. "
                  "Restore it from a backup.").format(name=path.name))
        raise SlotFileDamaged(
            _("The key file {name} and its previous copy are damaged. "
              "Restore the key file from a backup.").format(name=path.name))

    @classmethod
    def _parse(cls, path: Path, raw: bytes) -> SlotFile:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT \
                or doc.get("version") != VERSION:
            raise ValueError("not a slot file")
        body = doc["body"]
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        if not isinstance(doc["sha256"], str) or not secrets.compare_digest(digest, doc["sha256"]):
            raise ValueError("checksum")
        if not isinstance(body["database_id"], str) or type(body["generation"]) is not int:
            raise ValueError("body")
        slots = {}
        for s in body["slots"]:
            _check_slot(s)
            slots[s["id"]] = s  # a duplicated id: the MAC no longer verifies
        result = cls(path, body["database_id"], body["generation"], slots)
        result._read_body = body
        result._read_mac = doc.get("mac") if isinstance(doc.get("mac"), str) else None
        anchor = body.get("audit_anchor")
        if anchor is not None:
            if not (isinstance(anchor, dict) and type(anchor.get("id")) is int
                    and isinstance(anchor.get("mac"), str)):
                raise ValueError("anchor")
            result.audit_anchor = (anchor["id"], anchor["mac"])
        return result

    def _body(self) -> dict:
        body = {"database_id": self.database_id, "generation": self.generation,
                "slots": sorted(self.slots.values(), key=lambda s: s["id"])}
        if self.audit_anchor is not None:
            body["audit_anchor"] = {"id": self.audit_anchor[0], "mac": self.audit_anchor[1]}
        return body

    def _document(self, body: dict) -> dict:
        if self._mac_key is None:
            raise RuntimeError("the slot list is written only by a session that holds the key")
        return {"format": FORMAT, "version": VERSION, "body": body,
                "sha256": hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest(),
                "mac": _slot_list_mac(self._mac_key, body)}

    def _write(self, doc: dict, *, keep_previous: bool, forget_previous: bool = False) -> None:
        from shelterdesk.store.throttle import Throttle, exclusive
        db_path = self.path.with_name(self.path.name.removesuffix(".keys"))
        with exclusive(db_path):
            # The failed-login count mirrored here (outside the body) stays.
            on_disk = Throttle(db_path)._keys_doc()
            if on_disk is not None and "throttle" in on_disk:
                doc = doc | {"throttle": on_disk["throttle"]}
            data = json.dumps(doc, indent=1, sort_keys=True).encode("utf-8")
            write_atomic(self.path, data, keep_previous=keep_previous)
            if forget_previous:
                write_atomic(self.path.with_name(self.path.name + ".bak"), data)

    def save(self, *, forget_previous: bool = False) -> None:
        """Write the slots with their MAC, keeping the file replaced as
        ``.bak``. With ``forget_previous`` (a slot removed, a password changed,
        a planted slot dropped) the ``.bak`` gets the new content as well: the
        previous copy would otherwise still hold what was removed."""
        self._write(self._document(self._body()), keep_previous=True,
                    forget_previous=forget_previous)
        self._read_body, self._read_mac = None, None
        self.mac_status = MAC_OK

    def write_anchor(self, anchor: tuple[int, str], holds) -> None:
        """Record the audit log's head in the key file on disk (at lock), in
        place: only if the file there is the one this session knows (its MAC
        verifies under this session's key) and the database still holds the
        row its anchor names (``holds(anchor)``), so that a cut log stays
        reported; the slots on disk are kept as they are (another session may
        have changed them)."""
        if self._mac_key is None:
            return
        from shelterdesk.store.throttle import exclusive
        db_path = self.path.with_name(self.path.name.removesuffix(".keys"))
        with exclusive(db_path):
            try:
                disk = self._parse(self.path, _read_regular(self.path))
            except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
                return
            if disk._read_mac is None or not secrets.compare_digest(
                    disk._read_mac, _slot_list_mac(self._mac_key, disk._read_body)):
                return
            if disk.audit_anchor is not None and (disk.audit_anchor[0] >= anchor[0]
                                                  or not holds(disk.audit_anchor)):
                return
            body = dict(disk._read_body)
            body["audit_anchor"] = {"id": anchor[0], "mac": anchor[1]}
            self._write(self._document(body), keep_previous=False)
        self.audit_anchor = anchor

    def anchored_document(self, anchor: tuple[int, str] | None) -> bytes:
        """The key file as it is on disk, re-anchored at ``anchor`` and MACed
        under this session's key: a backup's key file, carrying the head of
        the database copied with it. The slots are those on disk when that
        file is the one this session knows (its MAC verifies), else this
        session's own; the failed-login count is not part of it."""
        body = self._body()
        if self._mac_key is not None:
            from shelterdesk.store.throttle import exclusive
            db_path = self.path.with_name(self.path.name.removesuffix(".keys"))
            with exclusive(db_path):
                try:
                    disk = self._parse(self.path, _read_regular(self.path))
                except (OSError, ValueError, KeyError, TypeError, AttributeError,
                        RecursionError):
                    disk = None
            if disk is not None and disk._read_mac is not None and secrets.compare_digest(
                    disk._read_mac, _slot_list_mac(self._mac_key, disk._read_body)):
                body = dict(disk._read_body)
        if anchor is not None:
            body["audit_anchor"] = {"id": anchor[0], "mac": anchor[1]}
        return json.dumps(self._document(body), indent=1, sort_keys=True).encode("utf-8")

    def copy_to(self, path: Path) -> SlotFile:
        """The same slots written at ``path`` (a backup's key file)."""
        other = SlotFile(path, self.database_id, self.generation, copy.deepcopy(self.slots))
        other.audit_anchor = self.audit_anchor
        other._mac_key = self._mac_key
        other.save()
        return other

    # -- the slot list's MAC -------------------------------------------------
    def adopt_key(self, data_key: bytes) -> None:
        """Remember the current data key's MAC key (for saving) and check the
        slot list as it was read against it: :attr:`mac_status` is MAC_OK,
        MAC_ABSENT (a file written before the MAC existed) or MAC_MISMATCH
        (the file was changed outside ShelterDesk)."""
        self._mac_key = slot_list_mac_key(data_key)
        if self._read_body is None:
            self.mac_status = MAC_OK
        elif self._read_mac is None:
            self.mac_status = MAC_ABSENT
        else:
            expected = _slot_list_mac(self._mac_key, self._read_body)
            self.mac_status = (MAC_OK if secrets.compare_digest(expected, self._read_mac)
                               else MAC_MISMATCH)

    def retain(self, slot_ids: set[str]) -> list[str]:
        """Drop every slot not in ``slot_ids``; the ids dropped."""
        dropped = sorted(set(self.slots) - slot_ids)
        for sid in dropped:
            del self.slots[sid]
        return dropped

    # -- slots ---------------------------------------------------------------
    def _ad(self, slot_id: str, what: str, generation: int | None = None) -> bytes:
        g = self.generation if generation is None else generation
        return f"shelterdesk|{what}|{self.database_id}|{slot_id}|{g}".encode()

    @property
    def rotation_pending(self) -> bool:
        return any("sealed_prev" in s for s in self.slots.values())

    def _private_ad(self, slot_id: str) -> bytes:
        # Not bound to the generation: rotation re-seals, it does not rewrap.
        return f"shelterdesk|private|{self.database_id}|{slot_id}".encode()

    @staticmethod
    def account_slot_id(account_id: int) -> str:
        return f"account:{account_id}"

    def set_account_slot(self, account_id: int, login: str, password: str,
                         data_key: bytes, kdf: KdfParams) -> None:
        if self._mac_key is None:
            self.adopt_key(data_key)
        slot_id = self.account_slot_id(account_id)
        private = X25519PrivateKey.generate()
        salt = secrets.token_bytes(16)
        kek = derive_kek(password, salt, kdf)
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(kek).encrypt(nonce, _raw_private(private), self._private_ad(slot_id))
        if self.signer is None and not self.slots:
            # The first slot of a new file is its creator's: she signs the
            # first role grants (see grants.establish_root).
            self._remember_signer(slot_id, private)
        self.slots[slot_id] = {
            "id": slot_id, "account_id": account_id, "login": login,
            "kdf": kdf.to_json() | {"salt": _b64(salt)},
            "private": {"nonce": _b64(nonce), "ct": _b64(wrapped)},
            "public": _b64(_raw_public(private.public_key())),
            "sign_public": signing_public(private),
            "sealed": _seal(data_key, private.public_key(), self._ad(slot_id, "data")),
        }

    def set_recovery_slot(self, code: str, data_key: bytes) -> None:
        if self._mac_key is None:
            self.adopt_key(data_key)
        private = _recovery_private(code)
        self.slots[RECOVERY] = {
            "id": RECOVERY, "account_id": None, "login": None,
            "public": _b64(_raw_public(private.public_key())),
            "sign_public": signing_public(private),
            "sealed": _seal(data_key, private.public_key(), self._ad(RECOVERY, "data")),
        }

    def remove_account_slot(self, account_id: int) -> None:
        self.slots.pop(self.account_slot_id(account_id), None)

    def slot_for_login(self, login: str) -> dict | None:
        return next((s for s in self.slots.values() if s.get("login") == login), None)

    def unlock(self, login: str, password: str, previous: bool = False) -> tuple[int, bytes]:
        """(account id, data key) for a login and password; WrongPassword if
        either is wrong (the message does not say which). ``previous`` asks for
        the key of the generation before an unfinished rotation."""
        slot = self.slot_for_login(login)
        wrong = WrongPassword(_("Wrong login or password."))
        if slot is None:
            # Spend the same time as a real attempt so logins cannot be probed.
            some = next((s for s in self.slots.values() if "kdf" in s), None)
            params = KdfParams.from_json(some["kdf"]) if some else _DUMMY_KDF
            derive_kek(password, secrets.token_bytes(16), params)
            raise wrong
        try:
            kdf = KdfParams.from_json(slot["kdf"])
            kek = derive_kek(password, _unb64(slot["kdf"]["salt"]), kdf)
            raw = AESGCM(kek).decrypt(_unb64(slot["private"]["nonce"]),
                                      _unb64(slot["private"]["ct"]),
                                      self._private_ad(slot["id"]))
        except InvalidTag:
            raise wrong from None
        except (KeyError, ValueError, TypeError):
            raise SlotFileDamaged(_("The key slot of this account is damaged.")) from None
        private = X25519PrivateKey.from_private_bytes(raw)
        # The account id comes from the slot id, which the AES-GCM associated
        # data authenticates; the plain "account_id" field is only covered by
        # the unkeyed checksum and could be edited to claim another account.
        account_id = _account_id_of(slot["id"])
        key = self._unseal_slot(slot, private, previous)
        self._remember_signer(slot["id"], private)
        return account_id, key

    def unlock_recovery(self, code: str, previous: bool = False) -> bytes:
        slot = self.slots.get(RECOVERY)
        if slot is None:
            raise SlotFileDamaged(_("This key file has no recovery slot."))
        private = _recovery_private(code)
        if _raw_public(private.public_key()) != _unb64(slot["public"]):
            raise WrongPassword(_("Wrong recovery code."))
        key = self._unseal_slot(slot, private, previous)
        self._remember_signer(RECOVERY, private)
        return key

    def _remember_signer(self, slot_id: str, private: X25519PrivateKey) -> None:
        self.signer = (slot_id, signing_key(private))
        self.signer_public = signing_public(private)

    def remember_recovery_signer(self, code: str) -> None:
        """After the recovery slot was replaced in a recovery session."""
        self._remember_signer(RECOVERY, _recovery_private(code))

    def forget_signer(self) -> None:
        self.signer = None
        self.signer_public = None

    def _unseal_slot(self, slot: dict, private: X25519PrivateKey, previous: bool) -> bytes:
        try:
            if previous:
                if "sealed_prev" not in slot:
                    raise SlotFileDamaged(_("The key slot of this account is damaged."))
                return _unseal(slot["sealed_prev"], private,
                               self._ad(slot["id"], "data", self.generation - 1))
            key = _unseal(slot["sealed"], private, self._ad(slot["id"], "data"))
        except (InvalidTag, KeyError, ValueError, TypeError):
            raise SlotFileDamaged(_("The key slot of this account is damaged.")) from None
        if self._mac_key is None:
            self.adopt_key(key)
        return key

    def reseal_all(self, new_data_key: bytes) -> None:
        """Seal a new data key to every slot, keeping the current seal as
        ``sealed_prev`` until :meth:`finish_rotation`: a crash between this and
        ``PRAGMA rekey`` must not lock everybody out."""
        self.generation += 1
        self._mac_key = slot_list_mac_key(new_data_key)
        for slot in self.slots.values():
            public = X25519PublicKey.from_public_bytes(_unb64(slot["public"]))
            slot["sealed_prev"] = slot["sealed"]
            slot["sealed"] = _seal(new_data_key, public, self._ad(slot["id"], "data"))

    def finish_rotation(self) -> None:
        for slot in self.slots.values():
            slot.pop("sealed_prev", None)


MAC_OK, MAC_ABSENT, MAC_MISMATCH = "ok", "absent", "mismatch"


def slot_list_mac_key(data_key: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"shelterdesk slot-list v1").derive(data_key)


def _slot_list_mac(mac_key: bytes, body: dict) -> str:
    """HMAC-SHA256 over the canonical body: database id, generation, every
    slot (id, login, public keys, KDF parameters, sealed keys) and the audit
    anchor."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(mac_key, canonical.encode("ascii"), hashlib.sha256).hexdigest()


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file of plausible size; OSError otherwise (a
    directory, a FIFO that would block, a device, a huge file)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SLOT_FILE_BYTES:
            raise OSError("not a key file")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(MAX_SLOT_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_SLOT_FILE_BYTES:
        raise OSError("not a key file")
    return data


def _check_slot(s: dict) -> None:
    """ValueError unless ``s`` has the shape of a slot (types checked here, so
    that nothing later meets a wrong type in the middle of a login)."""
    if not isinstance(s, dict) or not isinstance(s.get("id"), str):
        raise ValueError("slot")
    if s["id"] != RECOVERY:
        _account_id_of_or_error(s["id"])
        if not isinstance(s.get("login"), str):
            raise ValueError("slot login")
        KdfParams.from_json(s["kdf"])
        if len(_unb64(s["kdf"]["salt"])) < 8:
            raise ValueError("salt")
        for k in ("nonce", "ct"):
            _unb64(s["private"][k])
    if len(_unb64(s["public"])) != 32:
        raise ValueError("public key")
    for name in ("sealed", "sealed_prev"):
        if name in s:
            for k in ("epk", "nonce", "ct"):
                _unb64(s[name][k])
    if "sign_public" in s and len(_unb64(s["sign_public"])) != 32:
        raise ValueError("signing key")


def _account_id_of_or_error(slot_id: str) -> int:
    kind, _sep, number = slot_id.partition(":")
    if kind != "account" or not number.isdigit() or len(number) > 18:
        raise ValueError("slot id")
    return int(number)


def _account_id_of(slot_id: str) -> int:
    kind, _sep, number = slot_id.partition(":")
    if kind != "account" or not number.isdigit():
        raise SlotFileDamaged(_("The key slot of this account is damaged."))
    return int(number)


def new_slot_file(db_path: Path) -> SlotFile:
    return SlotFile(SlotFile.path_for(db_path), secrets.token_hex(16), 1, {})
