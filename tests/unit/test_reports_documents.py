"""Printed documents, checked the way a person would: the text poppler reads
back from the PDF, the fonts it embeds, the mark on every page, and the
command line's exit codes. All names are plainly fictitious."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from shelterdesk.core.models import Child, Consent, Resident, SafetyFlags, Stay
from shelterdesk.i18n import DOCUMENT_LANGUAGES
from shelterdesk.reports.consent_sheet import TITLE_JA, build_consent_sheet
from shelterdesk.reports.intake_sheet import build_intake_sheet
from shelterdesk.store import rooms, stays
from shelterdesk.store.errors import NotFound

NOW = datetime(2026, 11, 21, 22, 5)
RARE = "\U00020BB7"  # 𠮷, CJK Extension B: BIZ UD lacks it


def _pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


def _pdffonts(data: bytes, tmp_path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True,
                         text=True).stdout.splitlines()[2:]
    return [line.split() for line in out if line.strip()]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def admit(db, family: str, given: str, *, kana=("みほん", "はなこ"), alias="", children=(),
          consents=(), language="ja", bed=None) -> int:
    free = [b for b in rooms.free_beds(db)]
    r = Resident(family_name=family, given_name=given, family_kana=kana[0],
                 given_kana=kana[1], alias=alias, birth_date=date(1990, 4, 1),
                 nationality="日本", language=language,
                 allergies="そば（架空）",
                 safety=SafetyFlags(True, "issued", "high", "架空の注意事項", True))
    s = Stay(admitted_at=datetime(2026, 11, 21, 21, 30), admission_type="temporary_protection",
             main_complaint="dv_spouse", issue_tags=("poverty",), referral_source="police",
             bed_id=bed or free[0].bed_id, review_on=date(2026, 12, 5))
    stay = stays.admit(db, stays.Admission(r, s, list(children), [], list(consents)),
                       now=datetime(2026, 11, 21, 22, 0))
    return stay.id


@pytest.fixture
def takahashi(db) -> int:
    family_bed = next(b for b in rooms.free_beds(db) if b.family_room)
    return admit(
        db, "髙橋", RARE + "子", kana=("たかはし", "よしこ"), bed=family_bed.bed_id,
        children=[Child(family_name="山﨑", given_name="見本", family_kana="やまさき",
                        given_kana="みほん", birth_date=date(2019, 5, 5), sex="F")],
        consents=[Consent(scope="municipality_aftercare", recipient="架空市",
                          given_on=date(2026, 11, 21)),
                  Consent(scope="medical", recipient="架空病院", given_on=date(2026, 11, 21))])


def test_intake_sheet_prints_rare_and_variant_kanji_as_text(db, takahashi, tmp_path):
    result = build_intake_sheet(db, takahashi, staff_name="受付 架空", now=NOW)
    text = _pdftotext(result.data)
    assert "髙橋" in text and RARE + "子" in text  # 髙 U+9AD9, 𠮷 U+20BB7
    assert "山﨑 見本" in text  # 﨑 U+FA11, the companion child
    assert "令和8年11月21日 21:30" in text  # admission in the Japanese era
    assert "平成2年4月1日" in text  # her birth date, era too
    assert result.missing == ()
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) == result.pages >= 1
    for n, page in enumerate(pages, 1):
        assert "取扱注意" in page, f"page {n} lacks the confidential mark"
        assert f"{n} / {result.pages}" in page


def test_every_font_is_embedded_truetype(db, takahashi, tmp_path):
    for data in (build_intake_sheet(db, takahashi, now=NOW).data,
                 build_consent_sheet(db, takahashi, "ne", now=NOW).data,
                 build_consent_sheet(db, takahashi, "ko", now=NOW).data):
        rows = _pdffonts(data, tmp_path)
        assert rows
        for row in rows:
            line = " ".join(row)
            assert "TrueType" in line, line  # TrueType or CID TrueType, never Type 1
            emb = row[-5]
            assert emb == "yes", f"not embedded: {line}"


def test_vietnamese_and_korean_names_print(db, tmp_path):
    vi = admit(db, "Nguyễn", "Thị Mẫu", kana=("グエン", "ティマウ"), language="vi")
    ko = admit(db, "견본", "지은", kana=("キョンボン", "ジウン"), language="ko")
    vi_text = _pdftotext(build_intake_sheet(db, vi, now=NOW).data)
    ko_text = _pdftotext(build_intake_sheet(db, ko, now=NOW).data)
    assert "Nguyễn Thị Mẫu" in vi_text
    assert "견본 지은" in ko_text
    assert "Nguyễn Thị Mẫu" in _pdftotext(build_consent_sheet(db, vi, "vi", now=NOW).data)


def test_uncovered_character_is_reported_not_dropped(db):
    sid = admit(db, "見本", "花子", alias="見本\ue000花子")
    result = build_intake_sheet(db, sid, now=NOW)
    assert result.missing == ("\ue000",)
    assert result.missing_codepoints == ["U+E000"]
    assert "見本〓花子" in _pdftotext(result.data)  # a visible placeholder, not a gap


KNOWN_PHRASE = {
    "en": "House rules", "zh": "生活规则", "ko": "생활 규칙", "vi": "Nội quy sinh hoạt",
    "tl": "Mga patakaran ng bahay", "pt": "Regras da casa", "es": "Normas de la casa",
    # Shaped Devanagari loses vowel signs in text extraction; these words have none.
    "ne": "घरका",
}


@pytest.mark.parametrize("lang", DOCUMENT_LANGUAGES)
def test_consent_sheet_in_every_language(db, takahashi, lang):
    result = build_consent_sheet(db, takahashi, lang, now=NOW)
    text = _flat(_pdftotext(result.data))
    assert result.missing == ()
    phrase = KNOWN_PHRASE.get(lang, "生活のきまり")
    assert phrase in text
    assert TITLE_JA in text  # staff recognise the sheet in any language
    assert text.count("取扱注意") == result.pages
    assert ("ネイティブ話者" in text) == (lang != "ja")  # draft note for staff
    # One box per consent scope, ticked as recorded (municipality, medical).
    assert text.count("☑") == 2 and text.count("☐") == 3


def test_consent_sheet_tick_follows_withdrawal(db):
    sid = admit(db, "見本", "花子", consents=[
        Consent(scope="child_guidance", recipient="架空児相", given_on=date(2026, 1, 1),
                withdrawn_on=date(2026, 6, 1))])
    text = _pdftotext(build_consent_sheet(db, sid, "en", now=NOW).data)
    assert "☑" not in text and text.count("☐") == 5


def test_consent_sheet_prints_the_facility_house_rules_or_blanks(session, takahashi):
    from shelterdesk.store import settings

    blank = _flat(_pdftotext(build_consent_sheet(session.db, takahashi, "en", now=NOW).data))
    assert "Curfew: ________" in blank and "years after you leave" not in blank
    settings.update(session, {settings.RECORD_RETENTION_YEARS: 5, settings.CURFEW: "22:00",
                              settings.QUIET_HOURS: "22:00-6:00"})
    text = _flat(_pdftotext(build_consent_sheet(session.db, takahashi, "en", now=NOW).data))
    assert "keep them for 5 years after you leave" in text
    assert "Curfew: 22:00" in text and "22:00-6:00" in text


def test_unknown_stay_and_language(db):
    with pytest.raises(NotFound):
        build_intake_sheet(db, 999)
    with pytest.raises(ValueError):
        build_consent_sheet(db, 1, "fr")


# -- the command line ---------------------------------------------------------

PASSWORD = "correct horse 1"  # the conftest administrator's


def _cli(args, password=None):
    return subprocess.run([sys.executable, "-m", "shelterdesk.cli", "--lang", "en", *args],
                          input=(password or PASSWORD) + "\n", capture_output=True, text=True, timeout=120)


def test_cli_print_intake_and_consent(session, db_path, tmp_path):
    sid = admit(session.db, "見本", "花子", alias="見本\ue000")
    session.lock()
    out = tmp_path / "intake.pdf"
    r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay", str(sid),
              "--out", str(out)])
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert "U+E000" in r.stderr  # warned before the sheet is used, still written
    # Encrypted by default: AES-256, the password once on standard output.
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and lines[1].startswith("password: ")
    password = lines[1].removeprefix("password: ")
    assert subprocess.run(["qpdf", "--requires-password", str(out)]).returncode == 0
    out2 = tmp_path / "consent.pdf"
    r = _cli(["print", "consent", "--db", str(db_path), "--user", "admin", "--stay", str(sid),
              "--lang", "es", "--out", str(out2)])
    assert r.returncode == 0, r.stderr
    import io

    import pikepdf
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out2)
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out2, password=password)  # each file its own password
    second = r.stdout.splitlines()[1].removeprefix("password: ")
    with pikepdf.open(out2, password=second) as pdf:
        clear = io.BytesIO()
        pdf.save(clear)
    assert "Normas de la casa" in _flat(_pdftotext(clear.getvalue()))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left

    from shelterdesk.store import session as sessions
    s = sessions.unlock(db_path, "admin", PASSWORD)
    try:
        rows = s.db.query("SELECT action, entity, entity_id, detail FROM audit "
                          "WHERE action='print' ORDER BY id")
    finally:
        s.lock()
    assert [(a, e, i) for a, e, i, _d in rows] == [("print", "stay", sid)] * 2
    assert "doc=intake lang=ja" in rows[0][3] and "doc=consent lang=es" in rows[1][3]
    assert rows[0][3].endswith("enc=pdf-aes256") and rows[1][3].endswith("enc=pdf-aes256")
    assert "見本" not in " ".join(d for *_x, d in rows)  # ids only, never a name


def test_cli_print_failures(session, db_path, tmp_path):
    session.lock()
    out = tmp_path / "x.pdf"
    r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay", "999",
              "--out", str(out)])
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1 and "999" in r.stderr
    assert not out.exists()
    r = _cli(["print", "consent", "--db", str(db_path), "--user", "admin", "--stay", "1",
              "--lang", "fr", "--out", str(out)])
    assert r.returncode == 2
    r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay", "1",
              "--out", str(out)], password="wrong password")
    assert r.returncode == 1 and not out.exists()


def test_consent_sheet_does_not_name_the_facility(session, tmp_path):
    """She takes the consent sheet with her; the shelter's name could give away
    where she is."""
    stay = stays.admit(session.db, stays.Admission(
        Resident(family_name="見本", given_name="花子", family_kana="みほん",
                 given_kana="はなこ", birth_date=date(1990, 1, 2)),
        Stay(admitted_at=datetime(2026, 11, 20, 21, 30), admission_type="temporary_protection",
             main_complaint="dv_spouse", referral_source="police")))
    facility = session.db.get_meta("facility_name")
    for lang in ("ja", "en"):
        pdf = tmp_path / f"consent-{lang}.pdf"
        pdf.write_bytes(build_consent_sheet(session.db, stay.id, lang).data)
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "見本" in text
        assert facility not in text


def test_cli_print_never_overwrites_the_database_or_its_key_file(session, db_path, tmp_path):
    """Issue 8, item 1: --out over the database, its key file or an existing
    file is refused (exit 1, one line); --force replaces only an ordinary file."""
    sid = admit(session.db, "見本", "花子")
    session.lock()
    before = {s: Path(str(db_path) + s).read_bytes() for s in ("", ".keys")}
    for suffix in ("", ".keys", ".keys.bak", "-wal", ".lockout"):
        for force in ([], ["--force"]):
            r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay",
                      str(sid), "--out", str(db_path) + suffix, *force])
            assert r.returncode == 1, (suffix, force)
            assert len(r.stderr.strip().splitlines()) == 1
            assert "never overwritten" in r.stderr
    assert {s: Path(str(db_path) + s).read_bytes() for s in ("", ".keys")} == before
    out = tmp_path / "old.pdf"
    out.write_bytes(b"%PDF-1.4 keep me")
    r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay", str(sid),
              "--out", str(out)])
    assert r.returncode == 1 and "--force" in r.stderr
    assert out.read_bytes() == b"%PDF-1.4 keep me"
    r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay", str(sid),
              "--out", str(out), "--force"])
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() != b"%PDF-1.4 keep me"


def test_intake_sheet_carries_the_danger_warning_and_every_consent_status(db):
    """The safety box names the perpetrator's danger and the warning typed for
    staff; each consent prints its status as of the day of printing."""
    sid = admit(db, "見本", "花子", consents=[
        Consent(scope="medical", recipient="架空病院", given_on=date(2026, 11, 1)),
        Consent(scope="municipality_aftercare", recipient="架空市", given_on=date(2026, 10, 1),
                withdrawn_on=date(2026, 11, 10)),
        Consent(scope="welfare_office", recipient="架空福祉事務所", given_on=date(2025, 4, 1),
                expires_on=date(2026, 3, 31)),
        Consent(scope="child_guidance", recipient="架空児童相談所", given_on=date(2026, 12, 1))])
    text = _flat(_pdftotext(build_intake_sheet(db, sid, now=NOW).data))
    safety = text[text.index("加害者の危険度"):]
    assert "注意事項" in safety and "架空の注意事項" in safety
    assert "高" in safety.split("注意事項")[0]  # danger level "high" beside its label
    for status in ("有効", "撤回", "期間満了", "有効期間前"):
        assert status in text, status
    # each status stands on its consent's row
    assert re.search(r"架空病院.*?有効", text)
    assert re.search(r"架空市.*?撤回", text)
    assert re.search(r"架空福祉事務所.*?期間満了", text)
    assert re.search(r"架空児童相談所.*?有効期間前", text)

def test_cli_print_plain_warns_and_is_audited_age_opens_with_its_password(session, db_path,
                                                                         tmp_path):
    sid = admit(session.db, "見本", "花子")
    session.lock()
    plain = tmp_path / "plain.pdf"
    r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay", str(sid),
              "--out", str(plain), "--plain"])
    assert r.returncode == 0, r.stderr
    assert "not encrypted" in r.stderr and "password" not in r.stdout
    assert subprocess.run(["qpdf", "--requires-password", str(plain)]).returncode == 2
    assert "見本" in _pdftotext(plain.read_bytes())
    aged = tmp_path / "intake.age"
    r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay", str(sid),
              "--out", str(aged), "--age"])
    assert r.returncode == 0, r.stderr
    password = r.stdout.splitlines()[1].removeprefix("password: ")
    from pyrage import passphrase
    assert aged.read_bytes().startswith(b"age-encryption.org/v1")
    with pytest.raises(Exception):
        passphrase.decrypt(aged.read_bytes(), "WRONG-PASS")
    assert passphrase.decrypt(aged.read_bytes(), password).startswith(b"%PDF")
    r = _cli(["print", "intake", "--db", str(db_path), "--user", "admin", "--stay", str(sid),
              "--out", str(tmp_path / "x.pdf"), "--plain", "--encrypt"])
    assert r.returncode == 2  # one or the other
    from shelterdesk.store import session as sessions
    s = sessions.unlock(db_path, "admin", PASSWORD)
    try:
        details = [d for (d,) in s.db.query("SELECT detail FROM audit WHERE action='print' "
                                            "ORDER BY id")]
    finally:
        s.lock()
    assert details == ["doc=intake lang=ja enc=plain", "doc=intake lang=ja enc=age"]
