"""``shelterdesk verify``: SQLCipher's and SQLite's integrity checks, the
audit chain (against the head anchored in the key file) and the key file
(changed outside ShelterDesk, unknown slots, previous copy used), one line each
(``name: ok`` or the first problems); exit 1 if any fails. A last line
``last_verified_backup: YYYY-MM-DD`` (or ``none``) says when the last backup was
made and verified; it is information, not a check. The check names and ``ok``
are a contract for scripts, not translated.

Every check runs and is reported whatever the others found: a damaged page
gives ``cipher_integrity_check: damaged page N`` and the other checks say what
they could do. A damaged database is opened without writing anything into it
(no login, verify or lock row).
"""

from __future__ import annotations

from shelterdesk.cli.common import add_db_option, add_user_option, unlock
from shelterdesk.i18n import _

CHECKS = ("cipher_integrity_check", "integrity_check", "foreign_key_check")


def register(sub) -> None:
    sp = add_db_option(sub.add_parser("verify", help=_("check the database and the audit log")))
    add_user_option(sp)
    sp.set_defaults(func=cmd_verify)


def cmd_verify(args) -> int:
    from shelterdesk.store import backup as backups
    from shelterdesk.store.errors import StoreError
    session = unlock(args, damaged_ok=True)
    try:
        last = None
        if not session.db.damaged:
            last = backups.last_verified(session.db)
        damaged = session.db.damaged
        problems = session.db.integrity_problems()
        try:
            audit = session.db.verify_audit(session.slots.audit_anchor)
        except StoreError as e:
            audit = [str(e)]
        if not session.db.damaged:
            session.db.audit("verify", "database")
    finally:
        session.lock()
    ok = True
    for name in CHECKS:
        found = problems[name]
        ok &= not found
        print(f"{name}: " + ("ok" if not found else "; ".join(found[:5])))
    ok &= not audit
    print("audit_chain: " + ("ok" if not audit else "; ".join(audit[:5])))
    ok &= not session.warnings
    print("key_file: " + ("ok" if not session.warnings else " ".join(session.warnings)))
    # Information, not a check: never changes the exit status.
    # (``unknown`` on a damaged database: nothing more is read from it.)
    print("last_verified_backup: " + (last.date().isoformat() if last else
                                      "unknown" if damaged else "none"))
    return 0 if ok else 1
