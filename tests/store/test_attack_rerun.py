"""The attacks of issue 8 run again, with variants: each test here failed
before its fix (see the commit that added it)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from shelterdesk.store import session as sessions
from shelterdesk.store import vault
from shelterdesk.store.errors import SlotFileDamaged
from shelterdesk.store.vault import KdfParams
from tests.conftest import ADMIN, PASSWORD


def _rewrite_slots(path: Path, edit) -> None:
    """Edit the body and recompute the unkeyed checksum, as an attacker would."""
    doc = json.loads(path.read_text())
    edit(doc["body"])
    doc["sha256"] = hashlib.sha256(json.dumps(doc["body"], sort_keys=True).encode()).hexdigest()
    path.write_text(json.dumps(doc))


# -- KDF values that each pass their own bound but together hang a login -----------------

@pytest.mark.parametrize(("t", "m", "p"), [
    (64, 1024 * 1024, 1),      # 160 s and 1 GiB on the test PC before the fix
    (vault.MAX_TIME_COST, vault.MAX_MEMORY_KIB, vault.MAX_PARALLELISM),
    (2, 2 * 1024 * 1024, 1),   # memory alone: more than a shelter PC may have free
])
def test_kdf_cost_is_bounded_as_a_whole(t, m, p):
    with pytest.raises(ValueError):
        KdfParams.from_json({"alg": "argon2id", "t": t, "m": m, "p": p})


def test_the_most_costly_accepted_kdf_is_what_calibration_can_choose():
    """Every accepted cost is at most what calibrate_kdf writes at its slowest
    (MAX_TIME_COST passes over 64 MiB): a few seconds, never minutes."""
    worst = KdfParams(vault.MAX_TIME_COST, 64 * 1024, 1)
    KdfParams.from_json(worst.to_json())
    assert vault.MAX_KDF_WORK_KIB == worst.time_cost * worst.memory_kib
    with pytest.raises(ValueError):
        KdfParams.from_json(KdfParams(vault.MAX_TIME_COST, 64 * 1024 + 8, 1).to_json())


def test_tampered_costly_kdf_is_refused_without_deriving(db_path, monkeypatch):
    """t=64 and m=1 GiB in every slot: the login used to run the derivation
    (160 s, 1 GiB), then call the right password wrong and count a strike."""
    costs = []
    real = vault.hash_secret_raw

    def spy(secret, salt, t, m, p, n, kind):
        costs.append(t * m)
        if t * m > vault.MAX_KDF_WORK_KIB:
            raise AssertionError("a tampered cost was derived")
        return real(secret, salt, t, m, p, n, kind)

    monkeypatch.setattr(vault, "hash_secret_raw", spy)

    def edit(body):
        for slot in body["slots"]:
            if "kdf" in slot:
                slot["kdf"]["t"], slot["kdf"]["m"] = 64, 1024 * 1024

    for name in ("shelter.db.keys", "shelter.db.keys.bak"):
        p = db_path.with_name(name)
        if p.exists():
            _rewrite_slots(p, edit)
    with pytest.raises(SlotFileDamaged):
        sessions.unlock(db_path, ADMIN, PASSWORD)


# -- the role root deleted with two SQL statements ------------------------------------------

OTHER_PASSWORD = "another horse 2"


@pytest.mark.parametrize("first", ["intake", "admin"])
def test_deleting_the_role_root_does_not_make_unsigned_roles_count(session, db_path, first):
    """An intake account with the data key deleted ``meta.role_root`` and
    inserted an unsigned admin role for herself: the database then looked like
    one upgraded before grants were signed, she was an administrator, verify
    said nothing, and the next administrator's unlock signed her role for good.
    The root is read from the chained audit log (its ``roles_signed`` row),
    which a SQL statement cannot change unseen."""
    from shelterdesk.store import accounts as accounts_repo
    acct = accounts_repo.add_account(session, "intake1", "受付 架空", {"intake"}, OTHER_PASSWORD)
    session.lock()
    s = sessions.unlock(db_path, "intake1", OTHER_PASSWORD)
    s.db.con.execute("DELETE FROM meta WHERE key='role_root'")
    s.db.con.execute("INSERT INTO account_role(account_id, role) VALUES (?, 'admin')", (acct.id,))
    s.lock()
    order = [("intake1", OTHER_PASSWORD), (ADMIN, PASSWORD), ("intake1", OTHER_PASSWORD)]
    if first == "admin":
        order = order[1:]
    for login, pw in order:
        s = sessions.unlock(db_path, login, pw)
        try:
            roles = s.account.roles
            warned = any("not signed by an administrator" in w for w in s.warnings)
            unsigned = s.db.query("SELECT count(*) FROM account_role WHERE account_id=? "
                                  "AND role='admin' AND grant_sig IS NOT NULL", (acct.id,))[0][0]
        finally:
            s.lock()
        assert warned, login
        assert unsigned == 0  # never signed on her behalf
        if login == ADMIN:
            assert roles == frozenset({"admin", "manager"})
        else:
            assert roles == frozenset({"intake"})
