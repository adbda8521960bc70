"""Backups: an encrypted copy of the database with the key slots of its time
beside it, so it opens with the passwords and recovery code of that day.

Never over an existing file; the copy is verified after writing (see
``Database.backup_to``). Restoring and the backup reminders come with the
backup feature.
"""

from __future__ import annotations

from pathlib import Path

from shelterdesk.i18n import _
from shelterdesk.store.errors import DatabaseExists
from shelterdesk.store.session import Session
from shelterdesk.store.vault import SlotFile


def backup(s: Session, target: Path) -> None:
    """Encrypted copy of the database and the slot file beside it."""
    s.require("admin", "manager")
    target = Path(target)
    keys_target = SlotFile.path_for(target)
    if keys_target.exists():
        raise DatabaseExists(_("{name} already exists; choose another file name.").format(
            name=keys_target.name))
    s.db.backup_to(target, s.data_key)
    # The copy's key file records the audit head of the copy (its anchor).
    from shelterdesk.store.session import audit_anchor
    s.slots.audit_anchor = audit_anchor(s.db) or s.slots.audit_anchor
    s.slots.copy_to(keys_target)
    s.db.audit("backup", "database")
