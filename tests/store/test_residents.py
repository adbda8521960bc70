"""The residents list: views, search as you type with kana folding, sorting,
paging and counting; and the resident record itself."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from shelterdesk.core.models import Child, Resident, SafetyFlags, Stay
from shelterdesk.core.validation import ValidationError
from shelterdesk.store import residents, stays
from shelterdesk.store.residents import VIEW_ALL, VIEW_DISCHARGED, VIEW_IN_RESIDENCE
from shelterdesk.store.rooms import free_beds

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0)


def _bed(db, room: str, label: str = "A") -> int:
    return next(b.bed_id for b in free_beds(db) if b.room == room and b.bed == label)


def _admit(db, family, given, fk, gk, *, alias="", born=date(1990, 5, 5), on=date(2026, 11, 1),
           bed=None, children=0, safety=None) -> stays.Stay:
    r = Resident(family_name=family, given_name=given, family_kana=fk, given_kana=gk,
                 alias=alias, birth_date=born, safety=safety or SafetyFlags())
    kids = [Child(family_name=family, given_name=f"子{i}", birth_date=date(2020, 1, 1 + i))
            for i in range(children)]
    s = Stay(admitted_at=datetime.combine(on, datetime.min.time()),
             admission_type="temporary_protection", main_complaint="dv_spouse",
             referral_source="police", bed_id=bed)
    return stays.admit(db, stays.Admission(r, s, kids), now=NOW)


@pytest.fixture
def people(db):
    """Five residents: three in residence, two discharged (one of them twice)."""
    p = {}
    p["hanako"] = _admit(db, "見本", "花子", "みほん", "はなこ", on=date(2026, 11, 1),
                         bed=_bed(db, "101"), born=date(1990, 11, 22))
    p["sakura"] = _admit(db, "架空", "桜", "かくう", "さくら", alias="ミドリ（仮）",
                         on=date(2026, 10, 1), bed=_bed(db, "201", "A"), children=2,
                         born=date(1985, 1, 1),
                         safety=SafetyFlags(support_measure=True, danger_level="high"))
    p["yoko"] = _admit(db, "試用", "陽子", "しよう", "ようこ", on=date(2026, 11, 20),
                       bed=_bed(db, "102"), born=date(2000, 2, 29))
    p["ayako"] = _admit(db, "例示", "彩子", "れいじ", "あやこ", on=date(2025, 4, 1),
                        born=date(1970, 3, 3))
    stays.discharge(db, p["ayako"].id, date(2025, 6, 1), "independent")
    p["maria"] = _admit(db, "Sample", "Maria", "", "", on=date(2024, 1, 10), born=None)
    stays.discharge(db, p["maria"].id, date(2024, 1, 10), "relatives")
    # Her second stay, also closed: the list shows her once, with the latest stay.
    second = Stay(admitted_at=datetime(2025, 9, 1), admission_type="temporary_protection",
                  main_complaint="dv_spouse", referral_source="self")
    r = residents.get_resident(db, p["maria"].resident_id, audit_view=False)
    p["maria2"] = stays.admit(db, stays.Admission(r, second), now=NOW)
    stays.discharge(db, p["maria2"].id, date(2025, 9, 30), "step_house")
    return p


def _names(rows) -> list[str]:
    return [r.display_name for r in rows]


def _list(db, view=VIEW_ALL, search="", **kw):
    return residents.list_residents(db, view, search, today=TODAY, **kw)


# -- views ---------------------------------------------------------------------------

def test_in_residence_is_the_default_view(db, people):
    rows = residents.list_residents(db, today=TODAY)
    assert sorted(_names(rows)) == sorted(["見本 花子", "ミドリ（仮）", "試用 陽子"])
    assert residents.count_residents(db) == 3


def test_discharged_and_all_views(db, people):
    assert sorted(_names(_list(db, VIEW_DISCHARGED))) == ["Sample Maria", "例示 彩子"]
    assert len(_list(db, VIEW_ALL)) == 5
    assert residents.count_residents(db, VIEW_DISCHARGED) == 2
    assert residents.count_residents(db, VIEW_ALL) == 5


def test_a_readmitted_resident_appears_once_with_her_latest_stay(db, people):
    rows = [r for r in _list(db) if r.resident_id == people["maria"].resident_id]
    assert len(rows) == 1
    assert rows[0].stay_id == people["maria2"].id
    assert rows[0].admitted_on == date(2025, 9, 1)
    assert rows[0].discharged_on == date(2025, 9, 30)


def test_row_contents(db, people):
    row = next(r for r in _list(db) if r.resident_id == people["sakura"].resident_id)
    assert row.display_name == "ミドリ（仮）"  # the alias, when she has one
    assert row.legal_name == "架空 桜" and row.kana == "かくう さくら"
    assert (row.room, row.bed) == ("201", "A")
    assert row.children == 2
    assert row.age == 41
    assert row.days == 52  # 1 October to 21 November, both counted
    assert row.safety.any and row.safety.support_measure and row.safety.danger_level == "high"
    hanako = next(r for r in _list(db) if r.resident_id == people["hanako"].resident_id)
    assert hanako.age == 35  # birthday tomorrow
    assert not hanako.safety.any
    # A discharged resident has no bed any more.
    ayako = next(r for r in _list(db) if r.resident_id == people["ayako"].resident_id)
    assert (ayako.room, ayako.bed) == ("", "")
    assert ayako.days == 61


def test_discharge_moves_her_between_views(db, people):
    stays.discharge(db, people["yoko"].id, date(2026, 11, 21), "relatives")
    assert "試用 陽子" not in _names(_list(db, VIEW_IN_RESIDENCE))
    assert "試用 陽子" in _names(_list(db, VIEW_DISCHARGED))


# -- search as you type -----------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "はなこ", "ハナコ", "ﾊﾅｺ", "みほん はなこ", "ミホン　ハナコ", "ﾐﾎﾝﾊﾅｺ", "みほんはな",
    "見本", "花子", "見本 花子", "見本花子",
])
def test_search_folds_kana_and_width(db, people, typed):
    assert _names(_list(db, VIEW_ALL, typed)) == ["見本 花子"]


@pytest.mark.parametrize("typed", ["ミドリ", "みどり", "ﾐﾄﾞﾘ", "（仮）", "(仮)"])
def test_search_finds_the_alias(db, people, typed):
    assert "ミドリ（仮）" in _names(_list(db, VIEW_ALL, typed))


@pytest.mark.parametrize("typed", ["maria", "MARIA", "ｍａｒｉａ", "Ｓａｍｐｌｅ"])
def test_search_latin_ignores_case_and_width(db, people, typed):
    assert _names(_list(db, VIEW_ALL, typed)) == ["Sample Maria"]


def test_search_keystroke_by_keystroke(db, people):
    typed = ""
    counts = []
    for ch in "かくうさくら":
        typed += ch
        counts.append(len(_list(db, VIEW_ALL, typed)))
    assert counts[-1] == 1
    assert counts == sorted(counts, reverse=True)


def test_search_does_not_match_across_fields_or_wildcards(db, people):
    # "こかくう" would only match across the end of one name and another field.
    assert _list(db, VIEW_ALL, "はなこかくう") == []
    assert _list(db, VIEW_ALL, "%") == []
    assert _list(db, VIEW_ALL, "_") == []
    assert len(_list(db, VIEW_ALL, "   ")) == 5  # blank search: everybody


def test_search_respects_the_view(db, people):
    assert _names(_list(db, VIEW_IN_RESIDENCE, "あやこ")) == []
    assert _names(_list(db, VIEW_DISCHARGED, "あやこ")) == ["例示 彩子"]
    assert residents.count_residents(db, VIEW_DISCHARGED, "アヤコ") == 1


@pytest.mark.parametrize("stored, typed", [
    ("𠮷田", "吉田"), ("吉田", "𠮷田"), ("髙木", "高木"), ("山﨑", "山崎"), ("德永", "徳永"),
    ("渡邊", "渡辺"), ("渡邉", "渡邊"), ("澤口", "沢口"), ("齋木", "斉木"), ("濱口", "浜口"),
])
def test_search_folds_kanji_variants_in_the_key_only(db, stored, typed):
    """Synthetic names: a variant kanji in the stored name is found by the
    everyday form and back; the stored name itself is never changed."""
    st = _admit(db, stored, "見本", "", "")
    assert _names(_list(db, VIEW_ALL, typed)) == [f"{stored} 見本"]
    assert residents.get_resident(db, st.resident_id, audit_view=False).family_name == stored


@pytest.mark.parametrize("typed", ["Mau", "mau lan", "MẪU", "Mâu", "Dang"])
def test_search_folds_latin_diacritics(db, typed):
    """A foreign name stored without kana is found by its Latin spelling,
    with or without the diacritics."""
    _admit(db, "Đặng", "Mẫu Lan", "", "")
    assert _names(_list(db, VIEW_ALL, typed)) == ["Đặng Mẫu Lan"]


def test_search_still_keeps_voiced_kana_apart(db, people):
    assert _list(db, VIEW_ALL, "かかく") == []  # が/か: dakuten is not a diacritic


def test_search_follows_an_edit(db, people):
    r = residents.get_resident(db, people["yoko"].resident_id, audit_view=False)
    r.alias = "ソラ（仮）"
    residents.update_resident(db, r)
    assert _names(_list(db, VIEW_ALL, "そら")) == ["ソラ（仮）"]


# -- sorting and paging -----------------------------------------------------------------

def test_sort_by_kana_is_the_default(db, people):
    kana = [r.kana for r in _list(db) if r.kana]
    assert kana == sorted(kana)
    assert kana[0] == "かくう さくら"


@pytest.mark.parametrize("sort, key", [
    ("kana", lambda r: r.kana),
    ("admitted", lambda r: r.admitted_on),
    ("days", lambda r: r.days),
    ("children", lambda r: r.children),
])
def test_sorting_both_ways(db, people, sort, key):
    up = _list(db, sort=sort)
    down = _list(db, sort=sort, descending=True)
    assert [key(r) for r in up] == sorted(key(r) for r in up)
    assert [key(r) for r in down] == sorted((key(r) for r in down), reverse=True)


def test_sort_by_age_youngest_first(db, people):
    ages = [r.age for r in _list(db, sort="age") if r.age is not None]
    assert ages == sorted(ages)


def test_sort_by_safety_puts_flagged_residents_first_when_descending(db, people):
    rows = _list(db, sort="safety", descending=True)
    assert rows[0].display_name == "ミドリ（仮）"


def test_unknown_sort_column_is_not_sql(db, people):
    rows = _list(db, sort="r.id; DROP TABLE resident")
    assert len(rows) == 5


def test_paging_covers_every_row_once(db, people):
    whole = [r.resident_id for r in _list(db)]
    pages = []
    for offset in range(0, 5, 2):
        pages += [r.resident_id for r in _list(db, limit=2, offset=offset)]
    assert pages == whole
    assert _list(db, limit=2, offset=10) == []


def test_list_is_not_audited_but_opening_her_record_is(db, people):
    before = db.query("SELECT count(*) FROM audit")[0][0]
    _list(db)
    assert db.query("SELECT count(*) FROM audit")[0][0] == before
    residents.get_resident(db, people["hanako"].resident_id)
    last = db.query("SELECT action, entity, entity_id FROM audit ORDER BY id DESC LIMIT 1")[0]
    assert last == ("view", "resident", people["hanako"].resident_id)


# -- the record ------------------------------------------------------------------------

def test_resident_round_trip(db):
    r = Resident(family_name="見本", given_name="花子", family_kana="ミホン", given_kana="ハナコ",
                 alias="", birth_date=date(1991, 7, 7), nationality="JP", language="ja",
                 safe_phone="090-0000-0000", registered_municipality="架空市",
                 pregnant=True, allergies="そば", medications="なし",
                 safety=SafetyFlags(True, "issued", "medium", "注意（架空）", True))
    rid = residents.insert_resident(db, r, TODAY)
    back = residents.get_resident(db, rid)
    assert back == r


def test_likely_matches_on_readmission(db, people):
    m = residents.likely_matches(db, "ミホン", "ハナコ", date(1990, 11, 22))
    assert [x.resident_id for x in m] == [people["hanako"].resident_id]
    assert residents.likely_matches(db, "みほん", "はなこ", date(1990, 11, 23)) == []


def test_invalid_resident_is_refused_with_field_names(db):
    with pytest.raises(ValidationError) as e:
        residents.insert_resident(db, Resident(family_name="見本", family_kana="見本",
                                               birth_date=date(2030, 1, 1)), TODAY)
    fields = {err.field for err in e.value.errors}
    assert fields == {"family_kana", "birth_date"}
    assert residents.count_residents(db, VIEW_ALL) == 0


def test_child_over_17_at_admission_is_refused(db):
    admission = stays.Admission(
        Resident(family_name="架空", given_name="桜"),
        Stay(admitted_at=NOW, admission_type="temporary_protection",
             main_complaint="dv_spouse", referral_source="self"),
        [Child(given_name="大人", birth_date=date(2008, 11, 1))])
    with pytest.raises(ValidationError) as e:
        stays.admit(db, admission, now=NOW)
    assert "18" in e.value.for_field("children[0].birth_date")[0]
    assert residents.count_residents(db, VIEW_ALL) == 0


def test_add_child_links_her_to_the_stay_in_one_transaction(db):
    s = _admit(db, "見本", "花子", "みほん", "はなこ")
    cid = stays.add_child(db, Child(resident_id=s.resident_id, family_name="見本",
                                    given_name="蓮", birth_date=date(2019, 6, 1)), s)
    assert [k.id for k in residents.children_of(db, s.resident_id)] == [cid]
    assert stays.get_stay(db, s.id).child_ids == (cid,)
    # without a stay: the child only
    alone = stays.add_child(db, Child(resident_id=s.resident_id, given_name="結衣"), None)
    assert stays.get_stay(db, s.id).child_ids == (cid,)
    assert alone in [k.id for k in residents.children_of(db, s.resident_id)]


def test_add_child_writes_nothing_when_the_stay_is_not_hers_or_the_child_is_wrong(db):
    from shelterdesk.store.errors import NotFound
    s = _admit(db, "見本", "花子", "みほん", "はなこ")
    other = _admit(db, "架空", "桜", "かくう", "さくら")
    with pytest.raises(NotFound):
        stays.add_child(db, Child(resident_id=s.resident_id, given_name="蓮"), other)
    with pytest.raises(ValidationError):
        stays.add_child(db, Child(resident_id=s.resident_id, given_name="大人",
                                  birth_date=date(2000, 1, 1)), s)
    assert residents.children_of(db, s.resident_id) == []
    assert stays.get_stay(db, s.id).child_ids == ()
    assert stays.get_stay(db, other.id).child_ids == ()
