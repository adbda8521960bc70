"""Creating a facility touches nothing that was there before."""

from __future__ import annotations

import pytest

from shelterdesk.store import facility as facility_repo
from shelterdesk.store.errors import DatabaseExists


def test_init_never_touches_files_it_did_not_make(tmp_path):
    """A leftover -wal beside a missing database: creation refuses and the
    leftover stays (it may hold the last transactions of a real database)."""
    from shelterdesk.core.models import Facility
    from shelterdesk.store.vault import TEST_KDF

    db = tmp_path / "shelter.db"
    wal = tmp_path / "shelter.db-wal"
    wal.write_bytes(b"not ours")
    with pytest.raises(DatabaseExists):
        facility_repo.create_facility(db, Facility("見本施設", 5), [], "admin", "管理者",
                               "long enough 1", kdf=TEST_KDF)
    assert wal.read_bytes() == b"not ours"
    assert not db.exists()
