"""Who is working, as the store sees it: the roles of ``db.account_id``.

Why the store asks and not only the screens: a case note for caseworkers must
not reach an intake account even through a screen that forgot to hide it (or
the command line), so the repositories of the caseworker's desk read the roles
from the database (the authority for who exists, ARCHITECTURE.md) and filter
their queries by them. A recovery session has no account and no roles.
"""

from __future__ import annotations

from shelterdesk.i18n import _
from shelterdesk.store.errors import Forbidden

#: A resident's name as every list shows it: her alias, else her legal name.
NAME_SQL = ("coalesce(nullif(r.alias, ''), trim(r.family_name || ' ' || r.given_name))")


def roles_of(db) -> frozenset[str]:
    if db.account_id is None:
        return frozenset()
    return frozenset(r[0] for r in db.query(
        "SELECT ar.role FROM account_role ar JOIN account a ON a.id = ar.account_id "
        "WHERE ar.account_id=? AND a.disabled=0", (db.account_id,)))


def require(db, roles: frozenset[str]) -> frozenset[str]:
    """The account's roles; Forbidden unless it holds one of ``roles``."""
    held = roles_of(db)
    if not held & roles:
        raise Forbidden(_("Your account may not do this."))
    return held
