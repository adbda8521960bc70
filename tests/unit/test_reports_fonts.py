"""The font fallback chain: which font draws what, and what is reported."""

from __future__ import annotations

from shelterdesk.reports import fonts


def test_each_script_goes_to_a_font_that_has_it():
    chain = fonts.chain("regular", "ja")
    report = fonts.GlyphReport()
    runs = dict((text.strip(), font) for font, text in chain.runs(
        "髙橋 Nguyễn 견본 नेपाली", report))
    assert runs["髙橋"] == "BIZUDGothic"
    assert runs["Nguyễn"] == "NotoSans"  # the whole word, no font change mid-word
    assert runs["견본"] == "NanumGothic"
    assert runs["नेपाली"] == "NotoSansDevanagari"
    assert not report.missing


def test_rare_kanji_alone_goes_to_the_fallback():
    chain = fonts.chain()
    runs = chain.runs("\U00020BB7子")
    assert runs[0][0].startswith("HanaMin") and runs[0][1] == "\U00020BB7"
    assert runs[1] == ("BIZUDGothic", "子")  # its neighbour stays in the main font


def test_compatibility_ideograph_is_not_normalised():
    # 﨑 U+FA11 must print as itself, not be folded to 崎 U+5D0E.
    text = "".join(s for _f, s in fonts.chain().runs("山﨑"))
    assert text == "山﨑"


def test_missing_character_is_marked_and_reported():
    report = fonts.GlyphReport()
    runs = fonts.chain().runs("a\ue000b\U000F0000", report)
    assert "".join(s for _f, s in runs) == "a〓b〓"
    assert report.codepoints == ["U+E000", "U+F0000"]


def test_unsupported_variation_selector_is_reported_base_kept():
    report = fonts.GlyphReport()
    text = "".join(s for _f, s in fonts.chain().runs("葛\U000E0100", report))
    assert text == "葛"
    assert report.codepoints == ["U+E0100"]


def test_language_chain_leads_with_its_font():
    assert fonts.chain("regular", "ko").primary == "NanumGothic"
    assert fonts.chain("bold", "ja").primary == "BIZUDGothic-Bold"
    assert fonts.chain("regular", "ne").primary == "NotoSansDevanagari"


def test_warm_up_loads_the_document_fonts():
    """What the GUI runs on a worker after login: every font of the Japanese
    chains is parsed and registered, one page drawn in memory."""
    assert fonts.warm_up() >= 1
    assert fonts.load("BIZUDGothic") is not None
