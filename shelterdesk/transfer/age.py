"""age-format (age-encryption.org/v1) encryption and decryption, in memory.

Why in memory: age's own tools write plaintext as they decrypt, and leave a
partial file behind when a later chunk fails to authenticate. Here the whole
file is decrypted into memory and handed over only when every chunk (and the
final-chunk flag, so a file cut at a chunk boundary) has authenticated; on
any failure nothing is returned and nothing has been written anywhere.

Recipients are X25519 (``age1…``); a passphrase (scrypt) file is a separate
file, since age allows a passphrase stanza only alone. The binary format is
written (not armored); both are read.
"""

from __future__ import annotations

from shelterdesk.i18n import _
from shelterdesk.transfer.errors import TransferError

MAGIC = b"age-encryption.org/v1\n"
ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"


def is_age(data: bytes) -> bool:
    head = data.lstrip()[:64]
    return head.startswith(MAGIC) or head.startswith(ARMOR)


def _dearmor(data: bytes) -> bytes:
    if not data.lstrip().startswith(ARMOR):
        return data
    import base64
    lines = [ln.strip() for ln in data.decode("ascii", "replace").strip().splitlines()]
    if len(lines) < 2 or not lines[-1].startswith("-----END AGE ENCRYPTED FILE-----"):
        raise TransferError(_("The file is damaged or incomplete (it may have been cut off "
                              "while copying); nothing was imported."))
    try:
        return base64.b64decode("".join(lines[1:-1]), validate=True)
    except ValueError:
        raise TransferError(_("The file is damaged or incomplete (it may have been cut off "
                              "while copying); nothing was imported.")) from None


def encrypt(data: bytes, recipients: list[str]) -> bytes:
    import pyrage
    try:
        keys = [pyrage.x25519.Recipient.from_str(r.strip()) for r in recipients]
    except Exception:
        raise TransferError(_("A recipient key is not valid; check the partner's "
                              "registration.")) from None
    return pyrage.encrypt(data, keys)


def encrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    import pyrage
    return pyrage.passphrase.encrypt(data, passphrase)


def _not_age() -> TransferError:
    return TransferError(_("This is not an encrypted hand-over file (age format); nothing "
                           "was imported."))


def _failed(message: str) -> TransferError:
    m = message.lower()
    if "no matching keys" in m:
        return TransferError(_("This file was not encrypted for this facility (another "
                               "recipient, or a passphrase file); nothing was imported."))
    if "header mac" in m or "header" in m:
        return TransferError(_("The file's header was changed after it was written; it "
                               "cannot be trusted and nothing was imported."))
    return TransferError(_("The file is damaged or incomplete (it may have been cut off "
                           "while copying, or changed); nothing was imported."))


def decrypt(data: bytes, identities: list[str]) -> bytes:
    """The plaintext, or a :class:`TransferError`; all of it or nothing."""
    import pyrage
    if not is_age(data):
        raise _not_age()
    data = _dearmor(data)
    ids = [pyrage.x25519.Identity.from_str(i) for i in identities]
    try:
        return pyrage.decrypt(data, ids)
    except pyrage.DecryptError as e:
        raise _failed(str(e)) from None
    except Exception:
        raise _failed("") from None


def decrypt_with_passphrase(data: bytes, passphrase: str) -> bytes:
    import pyrage
    if not is_age(data):
        raise _not_age()
    data = _dearmor(data)
    try:
        return pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as e:
        if "decryption failed" in str(e).lower():
            raise TransferError(_("The passphrase is wrong, or the file is not a passphrase "
                                  "file.")) from None
        raise _failed(str(e)) from None
    except Exception:
        raise _failed("") from None
