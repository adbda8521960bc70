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
    """Recomputes every resident's search key with kanji-variant and Latin-diacritic folding."""
    from shelterdesk.core.text import search_key

    rows = con.execute("SELECT id, family_name, given_name, alias, family_kana, given_kana "
                       "FROM resident").fetchall()
    con.executemany("UPDATE resident SET search_key = ? WHERE id = ?", [
        (search_key(fn, gn, fn + gn, alias, fk, gk, fk + gk), rid)
        for rid, fn, gn, alias, fk, gk in rows])


def _v3(con) -> None:
    """Adds capacity_change (capacity by effective date) and retained_stay (anonymous figures of purged stays)."""
    run_script(con, HERE / "v0003_capacity_retention.sql")


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


STEPS: list[Callable] = [_v1, _v2, _v3]
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
