"""The code lists are exactly DOMAIN.md's, and codes are stable identifiers."""

from __future__ import annotations

import re

import pytest

from shelterdesk.core import codes
from shelterdesk.core.codes import ALL_LISTS


def test_main_complaint_is_the_seed_table_5_in_order():
    assert [c.code for c in codes.MAIN_COMPLAINT] == [
        "dv_spouse", "dating_dv", "family", "other_violence", "stalking", "no_home",
        "trafficking", "other"]
    assert [c.ja_label for c in codes.MAIN_COMPLAINT] == [
        "夫等の暴力（DV）", "デートDV", "家族間の問題", "その他の暴力", "ストーカー被害",
        "帰住先なし", "人身取引被害", "その他"]


@pytest.mark.parametrize("codelist, expected", [
    (codes.ADMISSION_TYPE, ["temporary_protection", "entrusted_protection", "residential",
                            "other"]),
    (codes.ROLE, ["intake", "caseworker", "manager", "admin"]),
    (codes.AFTERCARE_KIND, ["phone", "visit", "handover"]),
    (codes.MILESTONE_STATUS, ["planned", "in_progress", "done", "dropped"]),
    (codes.PROTECTION_ORDER, ["none", "applied", "issued", "expired"]),
    (codes.DANGER_LEVEL, ["high", "medium", "low"]),
])
def test_small_lists(codelist, expected):
    assert sorted(c.code for c in codelist) == sorted(expected)


def test_discharge_destinations_and_referral_sources():
    assert len(codes.DISCHARGE_DESTINATION.codes) == 12
    assert "unknown" in codes.DISCHARGE_DESTINATION and "returned" in codes.DISCHARGE_DESTINATION
    assert len(codes.REFERRAL_SOURCE.codes) == 10
    assert codes.REFERRAL_SOURCE.get("other_prefecture").ja_label == "他都道府県（広域）"


@pytest.mark.parametrize("name", sorted(ALL_LISTS))
def test_every_list_is_well_formed(name):
    cl = ALL_LISTS[name]
    found = [c.code for c in cl]
    assert len(found) == len(set(found)), "duplicate code"
    assert all(re.fullmatch(r"[a-z][a-z_]*|[A-Z]", c) for c in found)
    assert all(c.label and c.ja_label for c in cl)
    assert len({c.ja_label for c in cl}) == len(found), "two codes share a Japanese label"


@pytest.mark.parametrize("text, expected", [
    ("dv_spouse", "dv_spouse"),
    ("DV_SPOUSE", "dv_spouse"),
    ("夫等の暴力（DV）", "dv_spouse"),
    (" ストーカー被害 ", "stalking"),
    ("Stalking", "stalking"),
    ("DV", None),
    ("", None),
])
def test_from_code_or_label(text, expected):
    assert codes.MAIN_COMPLAINT.from_code_or_label(text) == expected


def test_label_of_unknown_code_is_the_code_itself():
    assert codes.MAIN_COMPLAINT.label("gone_code") == "gone_code"
    assert codes.MAIN_COMPLAINT.label(None) == ""
    assert "x" not in codes.MAIN_COMPLAINT and "other" in codes.MAIN_COMPLAINT
