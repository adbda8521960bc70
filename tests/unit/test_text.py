"""Folding for search, kana checks, password normalisation."""

from __future__ import annotations

import pytest

from shelterdesk.core.text import (
    KANJI_VARIANTS,
    fold,
    is_kana,
    normalise_password,
    search_fold,
    search_key,
)


@pytest.mark.parametrize("a, b", [
    ("はなこ", "ハナコ"),
    ("はなこ", "ﾊﾅｺ"),
    ("がっこう", "ｶﾞｯｺｳ"),  # half-width voiced mark composes
    ("ぱん", "ﾊﾟﾝ"),
    ("ヴぁ", "ゔぁ"),
    ("ゝゞ", "ヽヾ"),
    ("MARIA", "maria"),
    ("ＭＡＲＩＡ", "maria"),
    ("１２３", "123"),
    ("見本 花子", "見本　花子"),
    ("見本花子", "見本 花子"),
    ("が", "か\u3099"),  # NFD input
])
def test_fold_treats_these_alike(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("a, b", [("はな", "はなこ"), ("見本", "見木"), ("か", "が")])
def test_fold_keeps_these_apart(a, b):
    assert fold(a) != fold(b)


def test_fold_of_nothing():
    assert fold(None) == "" and fold("") == "" and fold(" 　\t") == ""


def test_search_key_separates_fields():
    key = search_key("見本", "花子", "", "かくう")
    assert fold("花子") in key and "かくう" in key
    assert "こか" not in key  # no match across the end of one field and the next


@pytest.mark.parametrize("text, ok", [
    ("みほん", True), ("ミホン", True), ("ﾐﾎﾝ", True), ("みほん はなこ", True),
    ("メアリー", True), ("見本", False), ("mihon", False), ("みほん1", False), ("", True),
])
def test_is_kana(text, ok):
    assert is_kana(text) is ok


def test_password_is_nfc_normalised_and_nothing_else():
    assert normalise_password("か\u3099") == normalise_password("が") == "が".encode()
    # Width and case are part of the password: not folded.
    assert normalise_password("Ａ") != normalise_password("A")
    assert normalise_password("abc") != normalise_password("ABC")
    assert normalise_password(" pw ") == b" pw "


@pytest.mark.parametrize("a, b", [
    ("𠮷田", "吉田"), ("髙橋", "高橋"), ("﨑", "崎"), ("德", "徳"), ("邊", "辺"), ("邉", "辺"),
    ("澤", "沢"), ("齋", "斎"), ("齊", "斉"), ("濱", "浜"), ("廣", "広"), ("國", "国"),
    ("櫻", "桜"), ("Mẫu Lan", "mau lan"), ("Đặng", "dang"), ("Nguyễn", "NGUYEN"),
    ("José", "jose"), ("Søren", "soren"),
])
def test_search_fold_treats_these_alike(a, b):
    assert search_fold(a) == search_fold(b)


@pytest.mark.parametrize("a, b", [("が", "か"), ("ぱ", "は"), ("吉", "告"), ("斎", "斑")])
def test_search_fold_keeps_these_apart(a, b):
    assert search_fold(a) != search_fold(b)


def test_variant_table_is_one_way_and_single_characters():
    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in KANJI_VARIANTS.items())
    # Folding a folded form changes nothing (no chains left half-folded).
    assert all(v not in KANJI_VARIANTS for v in KANJI_VARIANTS.values())


def test_fold_itself_keeps_variants_and_diacritics():
    """Readmission matching and the ledger use fold(), which stays exact."""
    assert fold("𠮷") != fold("吉") and fold("ẫ") != fold("a")
