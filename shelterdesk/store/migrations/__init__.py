"""The schema ladder: ``PRAGMA user_version`` says which steps have run.

One step per version, each a function with a one-line docstring saying what it
changes; all pending steps run in one exclusive transaction. A step that has
shipped is never edited: add the next one. ``tests/store/test_migrations.py``
opens the committed database of every older version and upgrades it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shelterdesk.core.codes import ALL_LISTS

HERE = Path(__file__).resolve().parent
APPLICATION_ID = 0x5344_4B31  # "SDK1": marks a ShelterDesk database


def _v1(con) -> None:
    """Every record of DOMAIN.md, the code tables seeded from core.codes."""
    run_script(con, HERE / "v0001_initial.sql")
    rows = [(cl.name, c.code, c.ja_label, c.label, i)
            for cl in ALL_LISTS.values() for i, c in enumerate(cl.codes)]
    con.executemany("INSERT INTO code(list, code, label_ja, label_en, sort) VALUES (?,?,?,?,?)",
                    rows)


def _v2(con) -> None:
    """Folded search keys; grants, plans, casework, aftercare, capacity, retention (V2_SCRIPTS)."""
    import uuid

    from shelterdesk.core.text import search_key
    from shelterdesk.store.rows import now_text

    rows = con.execute("SELECT id, family_name, given_name, alias, family_kana, given_kana "
                       "FROM resident").fetchall()
    con.executemany("UPDATE resident SET search_key = ? WHERE id = ?", [
        (search_key(fn, gn, fn + gn, alias, fk, gk, fk + gk), rid)
        for rid, fn, gn, alias, fk, gk in rows])
    for script in V2_SCRIPTS:
        run_script(con, HERE / script)
    # Aftercare items written at version 1 get their calendar UID and times.
    stamp = now_text()
    ids = [r[0] for r in con.execute("SELECT id FROM aftercare").fetchall()]
    con.executemany("UPDATE aftercare SET uid=?, created_at=?, updated_at=? WHERE id=?",
                    [(str(uuid.uuid4()), stamp, stamp, i) for i in ids])


#: Version 2, the schema of the caseworker and manager features, in the order it
#: is applied. Written as one step because no version between 1 and this one was
#: ever released; each script's header says what it adds.
V2_SCRIPTS = (
    "v0002_role_grants.sql",   # account_role.grant_sig: the granting administrator's signature
    "v0002_plans.sql",         # responsible account, next review, indexes, the goal template
    "v0002_casework.sql",      # case-note corrections, the school and nursery checklist, indexes
    "v0002_aftercare.sql",     # item UID and change counter, closure days, hand-overs
    "v0002_capacity_retention.sql",  # capacity by effective date; purged stays' anonymous figures
)


def run_script(con, path: Path) -> None:
    """Run a .sql file statement by statement inside the open transaction
    (``executescript`` would commit it)."""
    import sqlcipher3

    buf = ""
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not buf and line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlcipher3.complete_statement(buf):
            con.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete statement at the end of {path.name}")


STEPS: list[Callable] = [_v1, _v2]
LATEST = len(STEPS)


def upgrade(con) -> int:
    """Bring ``con`` to LATEST; returns the version it was at. The caller must
    not be inside a transaction."""
    before = con.execute("PRAGMA user_version").fetchone()[0]
    if before > LATEST:
        from shelterdesk.i18n import _
        from shelterdesk.store.errors import StoreError
        raise StoreError(_("This database was written by a newer ShelterDesk (schema {v}); "
                           "update the program.").format(v=before))
    if before == LATEST:
        return before
    con.execute("BEGIN EXCLUSIVE")
    try:
        for version in range(before + 1, LATEST + 1):
            STEPS[version - 1](con)
        con.execute(f"PRAGMA user_version = {LATEST}")
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return before
