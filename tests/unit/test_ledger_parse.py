"""Reading the Excel ledger: encodings, date formats, codes or labels, grouping,
and every error reported with the row and column Excel shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from shelterdesk.core import ledger

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ledger"
TODAY = date(2026, 11, 21)
HEADER = ",".join(ledger.STAY_COLUMNS)
CHILD_HEADER = ",".join(ledger.CHILD_COLUMNS)


def read(stays: str, children: str | None = None, encoding: str = "utf-8"):
    return ledger.read_ledger(stays.encode(encoding),
                              children.encode(encoding) if children is not None else None,
                              today=TODAY)


def errors_of(plan) -> list[str]:
    return [str(e) for e in plan.errors]


def stay_by_id(plan, lid):
    return next(s for s in plan.stays() if s.ledger_id == lid)


@pytest.mark.parametrize("suffix", ["cp932", "utf8_bom", "utf8"])
def test_each_encoding_reads_the_same_ledger(suffix):
    plan = ledger.read_ledger((FIXTURES / f"stays_{suffix}.csv").read_bytes(),
                              (FIXTURES / f"children_{suffix}.csv").read_bytes(), today=TODAY)
    assert plan.errors == []
    assert plan.stay_count == 5
    assert plan.child_row_count == 4
    assert plan.resident_count == 4  # L-001 and L-003 are one woman
    hanako = next(r for r in plan.residents if r.resident.given_name == "花子")
    assert [s.ledger_id for s in hanako.stays] == ["L-001", "L-003"]
    assert hanako.resident.birth_date == date(1990, 3, 4)
    yuko = stay_by_id(plan, "L-002")
    assert [c.child.given_name for c in yuko.children] == ["一郎", "二葉"]


def test_the_cp932_fixture_really_is_cp932():
    data = (FIXTURES / "stays_cp932.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert (FIXTURES / "stays_utf8_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_era_dates_and_labels_or_codes():
    plan = ledger.read_ledger((FIXTURES / "stays_cp932.csv").read_bytes(), None, today=TODAY)
    l1 = stay_by_id(plan, "L-001").stay
    assert l1.admitted_on == date(2022, 5, 1)  # R4.5.1
    assert l1.discharged_on == date(2022, 6, 1)  # 令和4年6月1日
    assert (l1.admission_type, l1.main_complaint, l1.referral_source,
            l1.discharge_destination) == ("temporary_protection", "dv_spouse", "police",
                                          "independent")  # all given as Japanese labels
    l2 = stay_by_id(plan, "L-002").stay
    assert (l2.admission_type, l2.main_complaint, l2.referral_source,
            l2.discharge_destination) == ("temporary_protection", "dv_spouse", "self",
                                          "public_housing")  # all given as codes
    l5 = stay_by_id(plan, "L-005").stay
    assert l5.admitted_on == date(2023, 8, 1)  # 令和5年8月1日
    assert l5.discharged_on is None and l5.discharge_destination is None
    alias_only = next(r for r in plan.residents if r.resident.alias == "エーさん（仮）")
    assert alias_only.resident.birth_date == date(1985, 1, 2)  # S60.1.2
    assert alias_only.resident.language == "vi"
    assert alias_only.key is None  # an alias alone is never grouped


def test_h_era_birth_date_and_excel_time_part():
    plan = read(f"{HEADER}\nA1,見本,花子,みほん,はなこ,,H2.3.4,JP,ja,2022/5/1 0:00,,一時保護,"
                "dv_spouse,self,,\n")
    assert plan.errors == []
    r = plan.residents[0]
    assert r.resident.birth_date == date(1990, 3, 4)
    assert r.stays[0].stay.admitted_on == date(2022, 5, 1)


def test_grouping_one_woman_two_ledger_ids_latest_alias_wins():
    plan = read(f"{HEADER}\n"
                "B2,架空,一子,カクウ,カズコ,,1980-01-01,JP,,2020-01-01,2020-02-01,other,other,"
                "self,unknown,\n"
                "B1,架空,一子,かくう,かずこ,カズさん（仮）,S55.1.1,JP,,2018-01-01,2018-03-01,"
                "other,other,self,unknown,\n")
    assert plan.errors == []
    assert plan.resident_count == 1
    (r,) = plan.residents
    assert [s.ledger_id for s in r.stays] == ["B1", "B2"]  # by admission date
    assert r.resident.alias == "カズさん（仮）"


def test_different_birth_dates_are_different_women():
    plan = read(f"{HEADER}\n"
                "C1,架空,一子,かくう,かずこ,,1980-01-01,JP,,2020-01-01,2020-02-01,other,other,"
                "self,unknown,\n"
                "C2,架空,一子,かくう,かずこ,,1980-01-02,JP,,2020-01-01,2020-02-01,other,other,"
                "self,unknown,\n")
    assert plan.errors == []
    assert plan.resident_count == 2


def test_an_invalid_file_lists_every_error_with_excel_rows_and_columns():
    stays = (f"{HEADER}\n"
             # row 2: fine
             "E1,見本,花子,みほん,はなこ,,1990-03-04,JP,ja,2022-05-01,2022-06-01,一時保護,"
             "dv_spouse,self,independent,\n"
             # row 3: a note with a line break inside quotes is still one Excel row
             '"E2",架空,優子,かくう,ゆうこ,"ユウ\nさん",1985-07-07,JP,ja,2022-07-01,2022-06-30,'
             "一時保護,dv_spouse,self,independent,\n"
             # row 4: blank (skipped but counted)
             ",,,,,,,,,,,,,,,\n"
             # row 5: several problems at once
             "E3,,,abc,,,2030-01-01,JP,ja,R4.13.1,,bogus,,警察,independent,\n"
             # row 6: the same ledger_id again
             "E1,試験,桜,しけん,さくら,,1995-12-31,JP,ja,2023-01-01,,other,other,self,,\n")
    children = (f"{CHILD_HEADER}\n"
                "E9,見本,太郎,みほん,たろう,2015-01-01,M\n"
                "E1,見本,大人,みほん,おとな,2000-01-01,X\n")
    plan = read(stays, children)
    assert errors_of(plan) == [
        "row 3, column discharged_on: Discharge date is before the admission date.",
        "row 5, column family_name: Enter her name or an alias (one of them is enough).",
        "row 5, column family_kana: Family name (kana) must be written in kana.",
        "row 5, column birth_date: Date of birth is in the future.",
        "row 5, column admitted_on: This is not a date that exists or can be read (the cell "
        "holds 7 characters: letters, digits, punctuation); use 2022-05-01, 2022/5/1, R4.5.1 "
        "or 令和4年5月1日.",
        "row 5, column admission_type: The cell (5 characters: letters) is neither a code "
        "nor a Japanese label of Admission type.",
        "row 5, column main_complaint: Primary complaint is required.",
        "row 5, column discharge_destination: A discharge destination is given but "
        "discharged_on is blank; fill in the discharge date or clear the destination "
        "(blank = still in residence).",
        "row 6, column ledger_id: This ledger_id is already used in row 2.",
        "children.csv: row 2, column ledger_id: This ledger_id is not in stays.csv.",
        "children.csv: row 3, column birth_date: A companion child must be under 18 at "
        "admission (this child was 22).",
        "children.csv: row 3, column sex: Sex must be F, M or blank.",
    ]
    assert [(e.file, e.row, e.column) for e in plan.errors][-1] == ("children.csv", 3, "sex")


def test_missing_columns_are_named_on_the_header_row():
    header = HEADER.replace(",main_complaint", "").replace(",room", "")
    plan = read(f"{header},備考\nX1\n")
    assert errors_of(plan) == [
        "row 1, column main_complaint: This column is missing from the header row.",
        "row 1, column room: This column is missing from the header row.",
    ]


def test_extra_columns_are_ignored_and_listed_and_header_case_is_free():
    header = HEADER.upper().replace("LEDGER_ID", " Ledger_ID ")
    plan = read(f"{header},備考\nX1,見本,花子,,,,,,,2022-05-01,,other,other,self,,,メモ\n")
    assert plan.errors == []
    assert plan.ignored_columns == [("stays.csv", "Q")]  # the place, not the header text


def test_a_cell_beyond_the_header_is_an_error():
    plan = read(f"{HEADER}\nX1,見本,花子,,,,,,,2022-05-01,,other,other,self,,,stray\n")
    assert errors_of(plan) == ["row 2, column Q: This cell is outside the columns of the "
                               "header row."]


def test_discharged_stay_needs_a_destination_and_dates_must_be_real():
    plan = read(f"{HEADER}\n"
                "D1,見本,花子,,,,,,,2022-05-01,2022-05-02,other,other,self,,\n"
                "D2,見本,花子,,,,,,,2022-05-01,2099-01-01,other,other,self,unknown,\n"
                "D3,見本,花子,,,,,,,,,other,other,self,,\n")
    assert errors_of(plan) == [
        "row 2, column discharge_destination: A discharged stay needs its discharge "
        "destination.",
        "row 3, column discharged_on: Discharge date is in the future.",
        "row 4, column admitted_on: A date is required.",
    ]


def test_overlapping_and_two_open_stays_of_one_woman():
    base = "見本,花子,みほん,はなこ,,1990-03-04,JP,ja"
    plan = read(f"{HEADER}\n"
                f"O1,{base},2022-01-01,2022-03-01,other,other,self,unknown,\n"
                f"O2,{base},2022-02-01,2022-04-01,other,other,self,unknown,\n"
                f"O3,{base},2023-01-01,,other,other,self,,\n"
                f"O4,{base},2024-01-01,,other,other,self,,\n"
                # discharged and readmitted the same day is not an overlap
                f"O5,{base},2022-04-01,2022-05-01,other,other,self,unknown,\n")
    assert errors_of(plan) == [
        "row 3, column admitted_on: This stay overlaps the stay in row 2 of the same woman "
        "(same names, kana and birth date).",
        "row 5, column discharged_on: The same woman has another stay without a discharge "
        "date (row 4); only one stay can be open.",
    ]


def test_unreadable_encoding_is_refused_with_advice():
    plan = ledger.read_ledger(b"\x81\x00\xff\xfe\x80 not text", None, today=TODAY)
    (e,) = plan.errors
    assert e.row is None
    assert str(e).startswith("stays.csv: stays.csv is neither UTF-8 nor CP932")
    plan = ledger.read_ledger(HEADER.encode("utf-16"), None, today=TODAY)
    assert "UTF-16" in str(plan.errors[0])


def test_unknown_language_and_language_names():
    plan = read(f"{HEADER}\n"
                "G1,見本,花子,,,,,,ベトナム語,2022-05-01,,other,other,self,,\n"
                "G2,見本,桜,,,,,,クリンゴン語,2022-05-01,,other,other,self,,\n")
    assert stay_by_id(plan, "G1") and plan.residents[0].resident.language == "vi"
    assert errors_of(plan) == ["row 3, column language: The cell (6 characters: kana, kanji) "
                               "is not a language code (such as ja, en, vi) or a known "
                               "language name."]


def test_children_grouped_within_a_stay_are_not_listed_twice():
    stays = f"{HEADER}\nK1,見本,花子,,,,1990-01-01,,,2022-05-01,,other,other,self,,\n"
    children = (f"{CHILD_HEADER}\nK1,見本,陽,みほん,ひなた,2020-06-06,F\n"
                "K1,見本,陽,みほん,ひなた,2020/6/6,F\n")
    plan = read(stays, children)
    assert errors_of(plan) == ["children.csv: row 3, column given_name: This child is "
                               "already listed for this stay in row 2."]


def test_progress_is_reported():
    calls = []
    ledger.read_ledger((FIXTURES / "stays_utf8.csv").read_bytes(),
                       (FIXTURES / "children_utf8.csv").read_bytes(), today=TODAY,
                       progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (9, 9)


def test_an_unreadable_stays_file_is_one_error_not_one_per_child():
    children = f"{CHILD_HEADER}\nL1,見本,陽,,,2020-01-01,F\nL2,見本,蓮,,,2019-01-01,M\n"
    plan = ledger.read_ledger(b"\xff\xff\xff", children.encode(), today=TODAY)
    assert len(plan.errors) == 1 and plan.errors[0].file == "stays.csv"


@pytest.mark.parametrize("column, cell", [
    ("birth_date", "見本花子"), ("admitted_on", "架空 優子"), ("language", "見本花子"),
    ("admission_type", "見本花子"), ("main_complaint", "試験桜"), ("ledger_id", None)])
def test_a_name_in_a_wrong_column_is_never_echoed(column, cell):
    """Issue 8, item 8: say what is wrong and where, not what the cell holds."""
    values = dict(zip(ledger.STAY_COLUMNS,
                      "X1,見本,花子,,,,,,,2022-05-01,,other,other,self,,".split(","), strict=True))
    if cell is not None:
        values[column] = cell
    rows = ",".join(values[c] for c in ledger.STAY_COLUMNS)
    stays = f"{HEADER},見本花子の備考\n{rows},\n"
    if cell is None:  # the same ledger_id twice, and a child of a missing one
        stays += f"{rows},\n"
    children = f"{CHILD_HEADER}\nZZ見本,見本,太郎,みほん,たろう,2015-01-01,M\n"
    plan = read(stays, children)
    text = "\n".join(errors_of(plan)) + repr(plan.ignored_columns)
    assert plan.errors
    for secret in ("見本", "花子", "架空", "優子", "試験", "ZZ"):
        assert secret not in text, text
