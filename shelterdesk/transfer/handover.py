"""The aftercare hand-over as the GUI and the command line run it: preview,
export (build, encrypt, write atomically, read back and decrypt, record), and
the results import (decrypt in memory, match, plan, apply).

Order of an export, and why:
1. The store reads who may be handed over (a valid consent for this partner
   today) and their items; nobody means no file (:class:`NothingToExport`).
2. The ZIP is built and encrypted in memory: to the partner's recipient and
   the facility's own, or, for a partner without a key (or when asked), to a
   generated passphrase alone (age allows a passphrase stanza only alone).
3. ``store.files.write_output`` writes it: refuses to overwrite, temporary
   name on the same device, fsync, rename. A pulled stick or a full disk
   leaves no file at the destination (the temporary file is removed) and one
   sentence.
4. The file is read back from the stick and decrypted (with the facility's
   identity, or the passphrase), and its manifest hashes checked; only then is
   the export recorded and "done" shown. A read-back that fails removes the
   file it wrote.

No Qt, no SQL: the store is called for rows and writes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from shelterdesk.i18n import _
from shelterdesk.store import aftercare as aftercare_repo
from shelterdesk.store import files
from shelterdesk.transfer import age, bundle
from shelterdesk.transfer import passphrase as passphrases
from shelterdesk.transfer.errors import NothingToExport, TransferError

#: What leaves, named in the preview (DOMAIN.md's minimum necessary).
FIELDS = (bundle.NAME, bundle.KANA, bundle.BIRTH, bundle.PHONE, bundle.MUNICIPALITY,
          bundle.DANGER, bundle.KIND, bundle.DUE, bundle.ASSIGNEE, bundle.OUTCOME, bundle.DONE,
          bundle.NOTE)


def preview(db, partner_id: int, on: date | None = None) -> aftercare_repo.Handover:
    """What an export today would carry (and who is excluded, and why)."""
    return aftercare_repo.handover(db, partner_id, on)


@dataclass
class Exported:
    path: Path
    people: int
    items: int
    passphrase: str | None = None  # shown once, never stored
    export_id: int | None = None


def uses_passphrase(partner, asked: bool) -> bool:
    return asked or not partner.recipient.strip()


def export(db, partner_id: int, out: Path, *, passphrase: bool = False,
           on: date | None = None, protect: Iterable[Path] = (),
           progress: Callable[[int, int], None] | None = None,
           write: Callable[[Path, bytes], Path] | None = None) -> Exported:
    """Export the schedule for ``partner_id`` to ``out`` (see the module's order).
    ``write`` replaces the atomic write (tests inject a pulled stick)."""
    step = progress or (lambda _n, _of: None)
    h = preview(db, partner_id, on)
    if not h.people:
        aftercare_repo.audit_export_attempt(db, partner_id, "no_valid_consent")
        raise NothingToExport(_("Nobody has a valid consent to share aftercare with this "
                                "partner; no file was written."))
    step(1, 4)
    reply_to = aftercare_repo.facility_recipient(db)
    built = bundle.build(h, reply_to=reply_to,
                         audit_head=str(db.audit_head() or ""),
                         now=datetime.now())
    secret = None
    if uses_passphrase(h.partner, passphrase):
        secret = passphrases.generate()
        data = age.encrypt_with_passphrase(built.zip_bytes, secret)
    else:
        data = age.encrypt(built.zip_bytes, [h.partner.recipient, reply_to])
    step(2, 4)
    target = write_file(out, data, protect=protect, write=write)
    step(3, 4)
    try:
        verify_written(db, target, built.zip_bytes, secret)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    export_id = aftercare_repo.record_export(db, partner_id, h.items, bundle.sha256(data))
    step(4, 4)
    return Exported(target, len(h.people), len(h.items), secret, export_id)


def write_file(out: Path, data: bytes, *, protect: Iterable[Path] = (),
               write: Callable[[Path, bytes], Path] | None = None) -> Path:
    out = Path(out)
    try:
        if write is not None:
            return write(out, data)
        return files.write_new_output(out, data, protect=protect)
    except OSError as e:
        problem = files.disk_problem(e, out.parent)
        if problem is not None:
            raise problem from None
        raise TransferError(_("The file could not be written to {path} (was the USB stick "
                              "removed?); nothing was left there. Try again.").format(
            path=out.parent)) from None


def verify_written(db, path: Path, expected_zip: bytes, secret: str | None) -> dict:
    """Read the file back from where it was written and decrypt it; the
    plaintext must be what was encrypted and its manifest must hold."""
    try:
        data = files.read_input_file(path)
    except Exception:
        raise TransferError(_("The file written to {path} could not be read back; it was "
                              "removed. Try again, or use another USB stick.").format(
            path=path.parent)) from None
    if secret is not None:
        plain = age.decrypt_with_passphrase(data, secret)
    else:
        plain = age.decrypt(data, [aftercare_repo.facility_identity(db)])
    if plain != expected_zip:
        raise TransferError(_("The file read back from {path} differs from what was written; "
                              "it was removed. Try again, or use another USB stick.").format(
            path=path.parent))
    manifest, _members = bundle.open_bundle(plain)
    return manifest


# -- results ----------------------------------------------------------------------------------
@dataclass
class ResultsFile:
    rows: int
    plan: aftercare_repo.ResultsPlan = field(default_factory=aftercare_repo.ResultsPlan)


def read_results(db, path: Path) -> ResultsFile:
    """Decrypt a returned file with the facility's identity (in memory), parse
    its CSV and plan the import. Refuses the whole file on any problem."""
    data = files.read_input_file(Path(path))
    return plan_results_bytes(db, data)


def plan_results_bytes(db, data: bytes) -> ResultsFile:
    plain = age.decrypt(data, [aftercare_repo.facility_identity(db)])
    cells = bundle.parse_results(bundle.results_csv_from(plain))
    rows = [aftercare_repo.ReturnedRow(c.row_no, c.item_id, c.outcome, c.done_on, c.note,
                                       c.sequence) for c in cells]
    return ResultsFile(len(rows), aftercare_repo.plan_results(db, rows))


def apply(db, results: ResultsFile, take_theirs: set[int] = frozenset()) -> int:
    return aftercare_repo.apply_results(db, results.plan, take_theirs)
