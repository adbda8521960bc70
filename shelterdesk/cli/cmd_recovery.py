"""``shelterdesk recovery-code``: an administrator replaces the recovery code
(the old one stops opening the database; audited). The new code is printed
once on stdout, for printing and sealing, exactly as ``init`` prints it; it
is never stored in the clear. Backups keep opening with the code of their day.
"""

from __future__ import annotations

from shelterdesk.cli.common import add_db_option, add_user_option, unlock
from shelterdesk.i18n import _


def register(sub) -> None:
    sp = add_db_option(sub.add_parser(
        "recovery-code", help=_("replace the recovery code with a new one (administrators)")))
    add_user_option(sp)
    sp.set_defaults(func=cmd_recovery_code)


def cmd_recovery_code(args) -> int:
    from shelterdesk.store.recovery import replace_recovery_code
    session = unlock(args)
    try:
        code = replace_recovery_code(session)
    finally:
        session.lock()
    print(_("Recovery code (print it, seal it in an envelope; it is shown only once):"))
    print(code, flush=True)
    print(_("The previous recovery code no longer opens the database."))
    return 0
