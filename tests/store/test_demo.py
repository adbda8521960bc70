"""The demo database looks like a real house: one name per person, siblings
with different given names, the safety flag on a minority."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from shelterdesk.store import demo, residents


@pytest.fixture(scope="module", params=[date(2025, 6, 30), date(2026, 1, 15)],
                ids=lambda d: d.isoformat())
def demo_db(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    s = demo.create_demo(path, today=request.param)  # the program's own (demo) KDF
    yield s
    s.lock()


def test_the_demo_uses_its_fixed_cheap_kdf(demo_db):
    assert demo_db.kdf == demo.DEMO_KDF


def test_no_name_stands_for_two_residents(demo_db):
    rows = residents.list_residents(demo_db.db, residents.VIEW_ALL, limit=10_000)
    assert len(rows) > 50
    names = Counter(r.legal_name for r in rows)
    assert names.most_common(1)[0][1] == 1
    aliases = Counter(r.alias for r in rows if r.alias)
    assert not aliases or aliases.most_common(1)[0][1] == 1


def test_siblings_never_share_a_given_name(demo_db):
    assert demo_db.db.query("SELECT resident_id, given_name FROM child "
                            "GROUP BY resident_id, given_name HAVING count(*) > 1") == []
    assert demo_db.db.query("SELECT count(*) FROM child")[0][0] > 10


def test_the_safety_flag_is_the_minority(demo_db):
    here = residents.list_residents(demo_db.db, residents.VIEW_IN_RESIDENCE, limit=1000)
    flagged = sum(r.safety.any for r in here)
    assert len(here) >= 5
    assert 1 <= flagged <= len(here) // 3
    everyone = residents.list_residents(demo_db.db, residents.VIEW_ALL, limit=10_000)
    assert sum(r.safety.any for r in everyone) <= len(everyone) // 3
