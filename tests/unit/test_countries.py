"""Nationality: names from Babel, common countries first, free text kept."""

from __future__ import annotations

from shelterdesk.core import countries


def test_the_list_has_japanese_names_with_the_common_countries_first():
    listed = countries.countries("ja")
    assert listed[:5] == [("JP", "日本"), ("CN", "中国"), ("KR", "韓国"), ("PH", "フィリピン"),
                          ("VN", "ベトナム")]
    codes = [c for c, _n in listed]
    assert len(codes) == len(set(codes)) > 200
    assert "001" not in codes and "ZZ" not in codes  # regions are not nationalities


def test_codes_are_shown_as_names_and_free_text_as_typed():
    assert countries.nationality_name("JP", "ja") == "日本"
    assert countries.nationality_name("BR", "en") == "Brazil"
    assert countries.nationality_name("無国籍", "ja") == "無国籍"
    assert countries.nationality_name("", "ja") == ""


def test_a_typed_country_name_is_stored_as_its_code():
    assert countries.nationality_code("フィリピン", "ja") == "PH"
    assert countries.nationality_code("Vietnam", "ja") == "VN"
    assert countries.nationality_code(" 無国籍 ", "ja") == "無国籍"
