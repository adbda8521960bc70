"""A new recovery code (issue 8, item 7): an administrator replaces the
recovery slot, for instance after the sealed envelope was lost or opened, or
when a creation was interrupted after the database was in place but before
anybody saw the code.

The vault's invariants hold across the change:

- the new slot's public keys (X25519 and signing) are recorded in the
  database before the key file is written (``Session.save_slots``), so the
  next unlock vouches for the new recovery slot and does not drop it as
  unknown;
- both copies of the key file get the new slot (the previous copy would
  otherwise still open with the old code);
- role grants signed by the recovery slot stay valid: each one that verifies
  under the old recovery signing key is signed again by the new one, with
  the same time (a grant that does not verify now stays invalid: replacing
  the code must never make a forged grant count);
- the database transaction and the key file change together: if the file
  cannot be written, the transaction is rolled back and the old code still
  works.

Backups keep the key file of their day, so they open with the code of their
day, not the new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shelterdesk.store import grants
from shelterdesk.store.vault import (
    RECOVERY,
    new_recovery_code,
    recovery_signing_key,
)

if TYPE_CHECKING:
    from shelterdesk.store.session import Session


def replace_recovery_code(s: Session) -> str:
    """Replace the recovery slot with one for a new code; the code, to be
    shown once (never stored in the clear, never logged). Administrators only;
    audited (``recovery_code_replaced``, no detail)."""
    s.require("admin")
    code = new_recovery_code()
    new_signer = recovery_signing_key(code)
    with s.slot_change(), s.db.transaction():
        regranted = grants.resign(s.db, s.slots, RECOVERY, new_signer)
        s.slots.set_recovery_slot(code, s.data_key)
        s.db.audit("recovery_code_replaced", "database", None, f"grants={regranted}")
        s.save_slots(forget_previous=True)
    if s.slots.signer is not None and s.slots.signer[0] == RECOVERY:
        # A recovery session signs from now on with the new slot's key.
        s.slots.remember_recovery_signer(code)
    return code
