"""TrueType fonts for printed documents, with per-character fallback.

Why this exists: BIZ UD (the Japanese print fonts) has no Hangul, no
Vietnamese stacked diacritics, no Devanagari and no rare kanji such as 𠮷
(U+20BB7), yet a resident's name must print exactly as it is written. So text
is cut into *runs*, each drawn in the first font of a chain that has glyphs for
it. A character that no font in the chain covers is printed as 〓 (the geta
mark Japanese typesetting uses for a missing glyph) **and** collected in a
:class:`GlyphReport`, which travels back with the PDF so the GUI and the CLI can
tell staff before anything is printed. Never drop such a character silently and
never substitute a look-alike: a wrong kanji in a name is a wrong person.

Only TrueType outlines are used: ReportLab cannot embed CFF fonts (Noto Sans
CJK), and every font here is embedded as a subset, so the PDF prints the same on
any machine. Do not NFC-normalise text before drawing: NFC folds CJK
compatibility ideographs (used in some family names) into other code points.

Fonts are loaded lazily, once per process, under a lock (documents are built in
a worker thread): a fallback font is opened only when a character needs it.
Devanagari needs shaping (conjuncts, vowel-sign reordering); ReportLab 5 shapes
through ``uharfbuzz`` when a paragraph style has ``shaping=1`` and the font is
``shapable``. Only the Devanagari fonts are marked shapable, so Japanese, Latin
and Hangul text is laid out exactly as before.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: Printed in place of a character no font covers (reported, never silent).
MISSING_MARK = "〓"

_WIN = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
#: Fonts installed "for this user only" on Windows 10 and later land here.
_WIN_USER = Path(os.environ.get("LOCALAPPDATA", r"C:\Users\Default\AppData\Local")
                 ) / "Microsoft" / "Windows" / "Fonts"
_DEB = Path("/usr/share/fonts/truetype")


@dataclass(frozen=True)
class FontSpec:
    """One font of a chain: where it may be found, in order of preference."""
    name: str  # the name registered with ReportLab (also the PDF base font name)
    family: str  # for fc-match
    paths: tuple[Path, ...]
    subfont: int = 0  # index inside a .ttc collection
    shapable: bool = False
    style: str = "Regular"


def _spec(name, family, *paths, subfont=0, shapable=False, style="Regular") -> FontSpec:
    return FontSpec(name, family, tuple(Path(p) for p in paths), subfont, shapable, style)


SPECS: dict[str, FontSpec] = {s.name: s for s in (
    _spec("BIZUDGothic", "BIZ UDGothic", _DEB / "bizud-gothic/BIZUDGothic-Regular.ttf",
          _WIN / "BIZ-UDGothicR.ttc"),
    _spec("BIZUDGothic-Bold", "BIZ UDGothic", _DEB / "bizud-gothic/BIZUDGothic-Bold.ttf",
          _WIN / "BIZ-UDGothicB.ttc", style="Bold"),
    _spec("BIZUDMincho", "BIZ UDMincho", _DEB / "bizud-mincho/BIZUDMincho-Regular.ttf",
          _WIN / "BIZ-UDMinchoM.ttc"),
    _spec("NotoSans", "Noto Sans", _DEB / "noto/NotoSans-Regular.ttf", _WIN / "segoeui.ttf"),
    _spec("NotoSans-Bold", "Noto Sans", _DEB / "noto/NotoSans-Bold.ttf", _WIN / "segoeuib.ttf",
          style="Bold"),
    _spec("NanumGothic", "NanumGothic", _DEB / "nanum/NanumGothic.ttf", _WIN / "malgun.ttf"),
    _spec("NanumGothic-Bold", "NanumGothic", _DEB / "nanum/NanumGothicBold.ttf",
          _WIN / "malgunbd.ttf", style="Bold"),
    _spec("WenQuanYiZenHei", "WenQuanYi Zen Hei", _DEB / "wqy/wqy-zenhei.ttc",
          _WIN / "msyh.ttc"),
    _spec("HanaMinA", "HanaMinA", _DEB / "hanazono/HanaMinA.ttf"),
    _spec("HanaMinB", "HanaMinB", _DEB / "hanazono/HanaMinB.ttf"),
    _spec("NotoSansDevanagari", "Noto Sans Devanagari",
          _DEB / "noto/NotoSansDevanagari-Regular.ttf", _WIN / "Nirmala.ttf", shapable=True),
    _spec("NotoSansDevanagari-Bold", "Noto Sans Devanagari",
          _DEB / "noto/NotoSansDevanagari-Bold.ttf", _WIN / "NirmalaB.ttf", shapable=True,
          style="Bold"),
)}

_RARE = ("HanaMinA", "HanaMinB")
#: Chains by weight; the first font is the document's main font.
_BASE_CHAINS: dict[str, tuple[str, ...]] = {
    "regular": ("BIZUDGothic", "NotoSans", "NanumGothic", "WenQuanYiZenHei", *_RARE,
                "NotoSansDevanagari"),
    "bold": ("BIZUDGothic-Bold", "NotoSans-Bold", "NanumGothic-Bold", "WenQuanYiZenHei",
             *_RARE, "NotoSansDevanagari-Bold", "BIZUDGothic"),
    "mincho": ("BIZUDMincho", "NotoSans", "NanumGothic", "WenQuanYiZenHei", *_RARE,
               "NotoSansDevanagari"),
}
#: Which font should lead for text in a language (its glyph forms, its spacing).
_LEAD: dict[str, dict[str, str]] = {
    "regular": {"en": "NotoSans", "vi": "NotoSans", "tl": "NotoSans", "pt": "NotoSans",
                "es": "NotoSans", "ko": "NanumGothic", "zh": "WenQuanYiZenHei",
                "ne": "NotoSansDevanagari"},
    "bold": {"en": "NotoSans-Bold", "vi": "NotoSans-Bold", "tl": "NotoSans-Bold",
             "pt": "NotoSans-Bold", "es": "NotoSans-Bold", "ko": "NanumGothic-Bold",
             "zh": "WenQuanYiZenHei", "ne": "NotoSansDevanagari-Bold"},
}


class FontsUnavailable(RuntimeError):
    """The main Japanese font is not installed; nothing can be printed."""


def _install_shaping_guard() -> None:
    """ReportLab 5.1 shapes a multi-font "word" (say 𠮷子: HanaMinA + BIZ UD)
    with the *first* font's glyph ids and then looks them up in the other
    fonts, which crashes (IndexError) or draws wrong glyphs. Shape a word only
    when all of it is in one shapable font; anything else is laid out as
    before. Devanagari words are always one font here (alphabetic words stay
    whole), so Nepali still gets its conjuncts."""
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph

    original = ttfonts.shapeFragWord
    if getattr(original, "_shelterdesk_guard", False):
        return

    def guarded(w, *args, **kwargs):
        names = {f.fontName for f, _s in w[1:] if hasattr(f, "fontName")
                 and not hasattr(f, "cbDefn")}
        if len(names) != 1 or not getattr(pdfmetrics.getFont(names.pop()), "shapable", False):
            return w
        return original(w, *args, **kwargs)

    guarded._shelterdesk_guard = True
    paragraph.shapeFragWord = guarded


def _utf16_hex(cp: int) -> str:
    return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()


def _install_tounicode_fix() -> None:
    """ReportLab 5.1 writes each glyph's Unicode value in the ToUnicode CMap as
    ``<%04X>``: a character beyond the BMP (𠮷, U+20BB7, CJK Ext. B) becomes
    five hex digits, which readers take as U+20BB. The page looks right but
    copying or searching the name yields another character. Write UTF-16BE
    (a surrogate pair) as the PDF reference requires."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "_shelterdesk_fix", False):
        return

    def make(fontname, subset):
        text = original(fontname, [v if v <= 0xFFFF else 0 for v in subset])
        if all(v <= 0xFFFF for v in subset):
            return text
        for i, v in enumerate(subset):
            if v > 0xFFFF:
                text = text.replace(f"<{i:02X}> <0000>", f"<{i:02X}> <{_utf16_hex(v)}>", 1)
        return text

    make._shelterdesk_fix = True
    ttfonts.makeToUnicodeCMap = make


_install_shaping_guard()
_install_tounicode_fix()

_lock = threading.RLock()
_loaded: dict[str, tuple[str, frozenset[int]] | None] = {}


def _fc_match(family: str, style: str) -> Path | None:
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{family}|%{file}", f"{family}:style={style}"],
                             capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, file = out.partition("|")
    # fc-match always answers with *some* font; accept it only if it is the one asked for.
    if family.lower() in (f.strip().lower() for f in families.split(",")) and file:
        return Path(file)
    return None


def _locate(spec: FontSpec) -> Path | None:
    for p in spec.paths:
        if p.is_file():
            return p
    if sys.platform != "win32":
        return _fc_match(spec.family, spec.style)
    for p in spec.paths:
        if p.parent == _WIN and (_WIN_USER / p.name).is_file():
            return _WIN_USER / p.name
    return None


def located(name: str) -> Path | None:
    """The file the font ``name`` is read from on this machine (the self-test
    names it), or None."""
    return _locate(SPECS[name])


#: The Japanese print fonts; without them documents print with the fallback
#: chain (readable, but not the shelter's typeface) and the program says so.
MAIN_FONTS = ("BIZUDGothic", "BIZUDMincho")


def missing_main_fonts() -> list[str]:
    """Which of :data:`MAIN_FONTS` this machine lacks (empty when all are there)."""
    return [n for n in MAIN_FONTS if load(n) is None]


def load(name: str) -> tuple[str, frozenset[int]] | None:
    """Register the font ``name`` with ReportLab once; its name and cmap, or
    None when it is not installed on this machine."""
    with _lock:
        if name in _loaded:
            return _loaded[name]
        spec = SPECS[name]
        path = _locate(spec)
        result = None
        if path is not None:
            try:
                font = TTFont(spec.name, str(path), subfontIndex=spec.subfont,
                              shapable=spec.shapable)
            except Exception:  # a damaged or CFF font: treat as absent, others still print
                font = None
            if font is not None:
                pdfmetrics.registerFont(font)
                # A snapshot: ReportLab's shaping adds private-use code points
                # (U+E000...) to charToGlyph for the ligatures it makes, which
                # would make a private-use character in a name look "covered".
                result = (spec.name, frozenset(
                    cp for cp, gid in font.face.charToGlyph.items() if gid))
        _loaded[name] = result
        return result


# Zero-width joiners, variation selectors and combining marks belong to the
# character before them: a cluster is drawn in one font or reported whole.
def _joins_previous(ch: str) -> bool:
    cp = ord(ch)
    return (unicodedata.category(ch) in ("Mn", "Mc", "Me") or 0xFE00 <= cp <= 0xFE0F
            or 0xE0100 <= cp <= 0xE01EF or cp in (0x200C, 0x200D))


def clusters(text: str) -> list[str]:
    out: list[str] = []
    for ch in text:
        if out and _joins_previous(ch) and not out[-1].isspace():
            out[-1] += ch
        else:
            out.append(ch)
    return out


@dataclass
class GlyphReport:
    """Characters that no installed font can draw, gathered while a document
    is built. Shown to staff before printing, as code points (never the text
    around them: that may be a name)."""
    missing: set[str] = field(default_factory=set)

    def add(self, ch: str) -> None:
        self.missing.add(ch)

    @property
    def codepoints(self) -> list[str]:
        return [f"U+{ord(c):04X}" for c in sorted(self.missing)]


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFF00 <= cp <= 0xFFEF
            or 0x20000 <= cp <= 0x3FFFF)


_WORD = re.compile(r"\s+|\S+")


class FontChain:
    """An ordered list of fonts; :meth:`runs` cuts text by glyph coverage."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names
        first = next((f for f in (load(n) for n in names) if f), None)
        if first is None:
            raise FontsUnavailable(
                "None of the document fonts (BIZ UDGothic and its fallbacks) is installed.")
        self.primary = first[0]

    def _fonts(self):
        for n in self.names:
            f = load(n)
            if f is not None:
                yield f

    @staticmethod
    def _covers(cmap: frozenset[int], cluster: str) -> bool:
        return all(ord(c) in cmap for c in cluster)

    def font_for(self, cluster: str) -> str | None:
        for name, cmap in self._fonts():
            if self._covers(cmap, cluster):
                return name
        return None

    def runs(self, text: str, report: GlyphReport | None = None) -> list[tuple[str, str]]:
        """``[(font_name, text), ...]``: each cluster in the first font that
        has it, alphabetic words whole in one font. Uncovered clusters become
        :data:`MISSING_MARK` and are added to ``report``."""
        out: list[tuple[str, str]] = []

        def emit(font: str, s: str) -> None:
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + s)
            else:
                out.append((font, s))

        for m in _WORD.finditer(text):
            word = m.group()
            if word.isspace():
                # Keep spaces in the font before them; an ideographic space
                # (U+3000) a Latin font lacks goes to a font that has it.
                prev = out[-1][0] if out else self.primary
                if not self._covers(_cmap_of(prev), word):
                    prev = self.font_for(word) or self.primary
                    if not self._covers(_cmap_of(prev), word):
                        word = " " * len(word)
                emit(prev, word)
                continue
            # Alphabetic words stay in one font (no font change inside
            # "Nguyễn"); CJK text goes character by character, so one rare
            # kanji does not pull its neighbours into a Mincho fallback.
            whole = None if any(_is_cjk(c) for c in word) else self.font_for(word)
            if whole is not None:
                emit(whole, word)
                continue
            for cl in clusters(word):
                font = self.font_for(cl)
                if font is None:
                    base = cl[0]
                    font = self.font_for(base)
                    for c in cl if font is None else cl[1:]:
                        if report is not None:
                            report.add(c)
                    if font is None:
                        emit(self.primary, MISSING_MARK)
                        continue
                    cl = base
                emit(font, cl)
        return out

    def markup(self, text: str, report: GlyphReport | None = None) -> str:
        """Paragraph markup: each run escaped and wrapped in its font; line
        breaks in the text become <br/>."""
        parts = []
        for i, line in enumerate(text.split("\n")):
            if i:
                parts.append("<br/>")
            for font, s in self.runs(line, report):
                parts.append(f'<font name="{font}">{escape(s)}</font>')
        return "".join(parts)

    def width(self, text: str, size: float, report: GlyphReport | None = None) -> float:
        return sum(pdfmetrics.stringWidth(s, f, size) for f, s in self.runs(text, report))

    def draw(self, canvas, x: float, y: float, text: str, size: float,
             report: GlyphReport | None = None, align: str = "left") -> float:
        """Draw one line on a canvas (page headers and footers); the width drawn."""
        runs = self.runs(text, report)
        total = sum(pdfmetrics.stringWidth(s, f, size) for f, s in runs)
        if align == "right":
            x -= total
        elif align == "center":
            x -= total / 2
        for font, s in runs:
            canvas.setFont(font, size)
            canvas.drawString(x, y, s, shaping=SPECS[font].shapable)
            x += pdfmetrics.stringWidth(s, font, size)
        return total


def _cmap_of(name: str) -> frozenset[int]:
    f = load(name)
    return f[1] if f else frozenset()


_chains: dict[tuple[str, str], FontChain] = {}


def chain(weight: str = "regular", lang: str = "ja") -> FontChain:
    """The chain for text of ``weight`` (regular, bold, mincho) in ``lang``:
    the language's own font leads, the rest follow as fallbacks."""
    with _lock:
        key = (weight, lang)
        if key not in _chains:
            base = _BASE_CHAINS[weight]
            lead = _LEAD.get(weight, {}).get(lang)
            names = (lead, *(n for n in base if n != lead)) if lead else base
            _chains[key] = FontChain(names)
        return _chains[key]


def warm_up(langs: tuple[str, ...] = ("ja",)) -> int:
    """Do once, ahead of time, what makes a session's first document slow:
    parse and register every font of the chains the sheets use (the CJK and
    rare-kanji fallbacks are large TrueType files), import the document
    modules and draw one throwaway page in memory with every loaded font, so
    ReportLab's subsetting and PDF writing code has run once. Returns how many
    fonts are loaded.

    Meant for a worker thread right after login (gui/app.py runs it through
    gui.tasks.run_task); safe alongside a real build, which waits on the same
    lock for a font being loaded. Nothing is written to disk and no personal
    text is drawn."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    import shelterdesk.reports.consent_sheet
    import shelterdesk.reports.intake_sheet  # noqa: F401

    names: dict[str, None] = {}
    for weight in _BASE_CHAINS:
        for lang in langs:
            names.update(dict.fromkeys(chain(weight, lang).names))
    loaded = [f[0] for f in (load(n) for n in names) if f]
    canvas = Canvas(io.BytesIO())
    for y, font in enumerate(loaded):
        canvas.setFont(font, 10)
        canvas.drawString(40, 800 - 14 * y, "Aあア亜")
    canvas.showPage()
    canvas.save()
    return len(loaded)
