"""Folding for search, kana checks, password normalisation."""

from __future__ import annotations

import pytest

from shelterdesk.core.text import fold, is_kana, normalise_password, search_key


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
