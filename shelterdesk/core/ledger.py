"""Reading and checking the Excel ledger (入所台帳) before anything is written.

The shelter's history arrives as two CSV files exported from Excel
(DOMAIN.md "Ledger import"): ``stays.csv`` and, optionally, ``children.csv``.
:func:`read_ledger` turns their bytes into a :class:`LedgerPlan`: the residents
it found (one person with several ledger_ids is one resident with several
stays), their stays and children, and *every* problem as a :class:`LedgerError`
(file, Excel row, column, reason). Nothing here touches the database; the
store's ``ledger_import`` adds the checks that need it and writes the plan in
one transaction, so a ledger with one bad row writes nothing at all.

Decisions, so that staff get what they expect and nobody guesses later:

- Encoding: strict UTF-8 (a BOM is allowed and dropped) first, else CP932
  (what Japanese Excel writes as "CSV"); anything else is refused with advice
  rather than decoded into mojibake that would then be stored for good.
- Row numbers are the rows Excel shows: the header is row 1 and a record with
  a line break inside a quoted cell is still one row. Entirely blank rows
  (Excel often exports trailing ``,,,,``) are skipped but still counted.
- Header names are matched ignoring case and surrounding spaces. A missing
  column is an error on row 1 naming it; a column named twice is an error
  (which one would count?). Extra columns (notes, formulas) are *ignored* and
  listed in ``LedgerPlan.ignored_columns`` so the caller can say so: the
  ledger usually carries free-text notes that must not silently become part
  of the record, and refusing the whole file for them would only make staff
  delete columns by hand.
- A cell beyond the header's last column that holds something is an error
  (column given as Excel's letter): data would otherwise be dropped.
- The same resident is the same family name, given name, both kana and birth
  date (compared after :func:`~shelterdesk.core.text.fold`, so katakana and
  hiragana or full- and half-width spellings agree). Without a birth date or
  without any name a row is never grouped with another: an alias alone does
  not identify a woman, and a wrong merge would show one woman's history on
  another's record. Fields that may differ between her rows (alias,
  nationality, language) come from her latest stay that has them.
- ``room`` matters only for a stay still open (blank ``discharged_on``): the
  store gives it the first free bed of that room when the room exists and is
  in service, otherwise no bed (the record shows "no bed" and the summary
  counts it). Rooms of past stays are not kept: beds are about now, and the
  rooms of years ago may no longer exist.
- Dates may carry an Excel time part ("2022/5/1 0:00"); it is dropped. The
  admission time is unknown and stored as such.
- Messages are for the staff member who owns the file; they may quote a cell
  (a date that does not parse) but never appear in logs.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from shelterdesk.core import codes
from shelterdesk.core.dates import DateFormatError, parse_date
from shelterdesk.core.models import Child, Resident, Stay
from shelterdesk.core.text import describe, fold
from shelterdesk.core.validation import FieldError, check_child, check_resident, check_stay
from shelterdesk.i18n import _

STAYS_FILE = "stays.csv"
CHILDREN_FILE = "children.csv"

STAY_COLUMNS = (
    "ledger_id", "family_name", "given_name", "family_kana", "given_kana", "alias",
    "birth_date", "nationality", "language", "admitted_on", "discharged_on",
    "admission_type", "main_complaint", "referral_source", "discharge_destination", "room",
)
CHILD_COLUMNS = (
    "ledger_id", "family_name", "given_name", "family_kana", "given_kana", "birth_date", "sex",
)

LEDGER_ID_MAX = 40
ROOM_MAX = 40

#: Language column: ISO 639 codes are taken as they are; these names (Japanese
#: and English, as a ledger may spell them) map to codes. Blank means Japanese.
LANGUAGE_NAMES: dict[str, str] = {
    "日本語": "ja", "japanese": "ja", "英語": "en", "english": "en",
    "中国語": "zh", "chinese": "zh", "韓国語": "ko", "朝鮮語": "ko", "韓国・朝鮮語": "ko",
    "korean": "ko", "ベトナム語": "vi", "vietnamese": "vi", "タガログ語": "tl",
    "フィリピン語": "tl", "フィリピノ語": "tl", "tagalog": "tl", "filipino": "tl",
    "ポルトガル語": "pt", "portuguese": "pt", "スペイン語": "es", "spanish": "es",
    "ネパール語": "ne", "nepali": "ne", "タイ語": "th", "thai": "th",
    "インドネシア語": "id", "indonesian": "id", "ロシア語": "ru", "russian": "ru",
    "ウクライナ語": "uk", "ukrainian": "uk", "ミャンマー語": "my", "ビルマ語": "my",
    "burmese": "my", "フランス語": "fr", "french": "fr", "ヒンディー語": "hi", "hindi": "hi",
    "ベンガル語": "bn", "bengali": "bn", "シンハラ語": "si", "sinhala": "si",
    "モンゴル語": "mn", "mongolian": "mn", "ペルシャ語": "fa", "persian": "fa",
    "アラビア語": "ar", "arabic": "ar", "ウルドゥー語": "ur", "urdu": "ur",
}
_ISO_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
#: Never in a CSV that Excel wrote: control characters, and the characters
#: CP932 gives the stray single bytes 0xA0 and 0xFD-0xFF (so a binary or Latin-1
#: file is refused instead of "decoding" as CP932).
_BINARY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\uf8f0-\uf8f3]")
_EXCEL_TIME = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")

#: Validation field names (core.validation) → ledger column.
_FIELD_COLUMN = {"admitted_at": "admitted_on"}


@dataclass(frozen=True)
class LedgerError:
    """One problem: ``row`` is the row Excel shows (header = 1), None when the
    whole file is unreadable; ``column`` is a header name (or Excel's column
    letter for a cell beyond the header)."""
    file: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        # The "row N, column C:" frame is a contract for scripts and is not
        # translated; the reason is in the user's language.
        prefix = "" if self.file == STAYS_FILE else f"{self.file}: "
        if self.row is None:
            return f"{self.file}: {self.reason}"
        return f"{prefix}row {self.row}, column {self.column}: {self.reason}"


@dataclass
class LedgerChild:
    row: int
    child: Child

    @property
    def key(self) -> tuple:
        """Same child of the same mother: names and birth date."""
        c = self.child
        return (fold(c.family_name), fold(c.given_name), c.birth_date)


@dataclass
class LedgerStay:
    row: int
    ledger_id: str
    stay: Stay  # codes resolved; admitted_at is midnight (the ledger has no time)
    room: str = ""
    children: list[LedgerChild] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.stay.discharged_on is None


@dataclass
class LedgerResident:
    resident: Resident
    #: identity for grouping and for finding her in the database; None when
    #: the ledger does not identify her well enough (see module docstring).
    key: tuple | None
    stays: list[LedgerStay] = field(default_factory=list)  # by admission date


@dataclass
class LedgerPlan:
    residents: list[LedgerResident] = field(default_factory=list)
    errors: list[LedgerError] = field(default_factory=list)
    #: (file, column) of header columns that were not imported
    ignored_columns: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def stay_count(self) -> int:
        return sum(len(r.stays) for r in self.residents)

    @property
    def child_row_count(self) -> int:
        return sum(len(s.children) for r in self.residents for s in r.stays)

    @property
    def resident_count(self) -> int:
        return len(self.residents)

    def stays(self):
        for r in self.residents:
            yield from r.stays


class LedgerFileError(ValueError):
    """The file cannot be read at all (encoding); the message names the file."""


# -- reading -------------------------------------------------------------------

def decode(data: bytes, file_name: str) -> str:
    """UTF-8 (BOM or not) or CP932, strictly: a wrong guess must fail, not
    produce mojibake that would be stored as a name."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LedgerFileError(_(
            "{file} is UTF-16 text (Excel's \"Unicode text\"). Save it from Excel as "
            "\"CSV UTF-8\" or \"CSV\" and try again.").format(file=file_name))
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _BINARY.search(text):
            return text
    raise LedgerFileError(_(
        "{file} is neither UTF-8 nor CP932 (Shift_JIS) text. Save it from Excel as "
        "\"CSV UTF-8\" or \"CSV\" and try again.").format(file=file_name))


def excel_column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names the column of a stray cell."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(ord("A") + rem) + name
    return name


@dataclass
class _Table:
    file: str
    columns: dict[str, int]  # wanted column -> index
    rows: list[tuple[int, list[str]]]  # (Excel row, cells)


def _read_table(data: bytes, file_name: str, wanted: tuple[str, ...],
                errors: list[LedgerError], ignored: list[tuple[str, str]]) -> _Table | None:
    try:
        text = decode(data, file_name)
    except LedgerFileError as e:
        errors.append(LedgerError(file_name, None, "", str(e)))
        return None
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for i, cells in enumerate(reader):
            records.append((i + 1, [c.strip() for c in cells]))
    except csv.Error as e:
        errors.append(LedgerError(file_name, len(records) + 1, "",
                                  _("The CSV text cannot be read ({problem}).").format(
                                      problem=e)))
        return None
    if not records or not any(records[0][1]):
        errors.append(LedgerError(file_name, None, "", _(
            "The file is empty or its first row is not a header row.")))
        return None
    header = [unicodedata.normalize("NFKC", h).strip().lower() for h in records[0][1]]
    columns: dict[str, int] = {}
    before = len(errors)
    for idx, name in enumerate(header):
        if not name:
            continue
        if name in columns:
            where = name if name in wanted else excel_column(idx)
            errors.append(LedgerError(file_name, 1, where, _(
                "This column appears twice in the header (columns {a} and {b}).").format(
                    a=excel_column(columns[name]), b=excel_column(idx))))
            continue
        columns[name] = idx
        if name not in wanted:
            # Its place, not its text: a header can be anything, even a name.
            ignored.append((file_name, excel_column(idx)))
    for name in wanted:
        if name not in columns:
            errors.append(LedgerError(file_name, 1, name, _(
                "This column is missing from the header row.")))
    if len(errors) > before:
        return None
    width = len(header)
    rows = []
    for row_no, cells in records[1:]:
        if not any(cells):
            continue
        for idx in range(width, len(cells)):
            if cells[idx]:
                errors.append(LedgerError(file_name, row_no, excel_column(idx), _(
                    "This cell is outside the columns of the header row.")))
        cells = cells + [""] * (width - len(cells))
        rows.append((row_no, cells))
    return _Table(file_name, {n: columns[n] for n in wanted}, rows)


class _Row:
    """One record's cells by column name, collecting its errors; the first
    error of a column wins so one mistake is reported once."""

    def __init__(self, table: _Table, row_no: int, cells: list[str], errors: list[LedgerError]):
        self.table, self.row, self.cells, self.errors = table, row_no, cells, errors
        self.bad: set[str] = set()

    def __getitem__(self, column: str) -> str:
        return self.cells[self.table.columns[column]]

    def error(self, column: str, reason: str) -> None:
        if column in self.bad:
            return
        self.bad.add(column)
        self.errors.append(LedgerError(self.table.file, self.row, column, reason))

    def field_errors(self, found: list[FieldError], rename: dict[str, str] | None = None) -> None:
        for fe in found:
            column = (rename or {}).get(fe.field, _FIELD_COLUMN.get(fe.field, fe.field))
            self.error(column, fe.message)

    def date(self, column: str, required: bool = False) -> date | None:
        text = _EXCEL_TIME.sub("", self[column])
        if not text:
            if required:
                self.error(column, _("A date is required."))
            return None
        try:
            return parse_date(text)
        except DateFormatError:
            # Not str(e): it quotes the cell, and a name typed here must not
            # reach stderr or the screen's error list.
            self.error(column, _("This is not a date that exists or can be read (the cell "
                                 "holds {what}); use 2022-05-01, 2022/5/1, R4.5.1 or "
                                 "令和4年5月1日.").format(what=describe(text)))
            return None

    def code(self, column: str, codelist: codes.CodeList, label: str,
             required: bool = True) -> str | None:
        text = self[column]
        if not text:
            if required:
                self.error(column, _("{field} is required.").format(field=label))
            return None
        found = codelist.from_code_or_label(unicodedata.normalize("NFKC", text)) \
            or codelist.from_code_or_label(text)
        if found is None:
            self.error(column, _("The cell ({what}) is neither a code nor a Japanese label of "
                                 "{field}.").format(what=describe(text), field=label))
        return found

    def length(self, column: str, limit: int) -> str:
        text = self[column]
        if len(text) > limit:
            self.error(column, _("Too long (at most {n} characters).").format(n=limit))
        return text


def _language(row: _Row) -> str:
    text = unicodedata.normalize("NFKC", row["language"]).strip()
    if not text:
        return "ja"
    low = text.lower()
    if low in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[low]
    if text in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[text]
    if _ISO_LANGUAGE.match(low):
        return low
    row.error("language", _("The cell ({what}) is not a language code (such as ja, en, vi) "
                            "or a known language name.").format(what=describe(text)))
    return "ja"


def resident_key(r: Resident) -> tuple | None:
    """Who she is for grouping and matching: names, kana and birth date; None
    when there is no birth date or no name (never grouped)."""
    if r.birth_date is None or not (r.family_name.strip() or r.given_name.strip()):
        return None
    return (fold(r.family_name), fold(r.given_name), fold(r.family_kana), fold(r.given_kana),
            r.birth_date)


def _read_stay(row: _Row, today: date, now: datetime) -> tuple[Resident, LedgerStay]:
    r = Resident(
        family_name=row["family_name"], given_name=row["given_name"],
        family_kana=row["family_kana"], given_kana=row["given_kana"], alias=row["alias"],
        birth_date=row.date("birth_date"), nationality=row["nationality"],
        language=_language(row))
    row.field_errors(check_resident(r, today))
    admitted = row.date("admitted_on", required=True)
    discharged = row.date("discharged_on")
    s = Stay(
        admitted_at=datetime.combine(admitted, datetime.min.time()) if admitted else None,
        admission_type=row.code("admission_type", codes.ADMISSION_TYPE, _("Admission type"))
        or "",
        main_complaint=row.code("main_complaint", codes.MAIN_COMPLAINT, _("Primary complaint"))
        or "",
        referral_source=row.code("referral_source", codes.REFERRAL_SOURCE,
                                 _("Referral source")) or "",
        discharged_on=discharged,
        discharge_destination=row.code("discharge_destination", codes.DISCHARGE_DESTINATION,
                                       _("Discharge destination"), required=False),
    )
    if not row["discharged_on"] and row["discharge_destination"]:
        row.error("discharge_destination", _(
            "A discharge destination is given but discharged_on is blank; fill in the "
            "discharge date or clear the destination (blank = still in residence)."))
    if discharged is not None and not row["discharge_destination"]:
        row.error("discharge_destination", _("A discharged stay needs its discharge "
                                             "destination."))
    row.field_errors(check_stay(s, now))
    ledger_id = row.length("ledger_id", LEDGER_ID_MAX)
    if not ledger_id:
        row.error("ledger_id", _("A ledger_id is required: it links children to the stay and "
                                 "makes a second import add nothing."))
    s.ledger_id = ledger_id
    return r, LedgerStay(row.row, ledger_id, s, row.length("room", ROOM_MAX))


def _overlaps(a: LedgerStay, b: LedgerStay) -> bool:
    """Same-day discharge and readmission is fine; otherwise two stays of
    one woman may not share a day, and only one may be open."""
    a0, b0 = a.stay.admitted_on, b.stay.admitted_on
    a1, b1 = a.stay.discharged_on or date.max, b.stay.discharged_on or date.max
    return a0 < b1 and b0 < a1


def _merge(into: Resident, later: Resident) -> None:
    """``later`` is the same woman as written on a later stay's row: what she
    is called and speaks now is what the record should show."""
    for f in ("alias", "nationality", "language"):
        if getattr(later, f):
            setattr(into, f, getattr(later, f))


def read_ledger(stays: bytes, children: bytes | None = None, *, today: date | None = None,
                progress: Callable[[int, int], None] | None = None) -> LedgerPlan:
    """Read and check both files; the plan lists every error at once.

    ``progress(done, total)`` (rows read) lets a dialog move a bar for a large
    ledger; it is called from the caller's thread.
    """
    today = today or date.today()
    now = datetime.combine(today, datetime.max.time())
    plan = LedgerPlan()
    errors = plan.errors
    st = _read_table(stays, STAYS_FILE, STAY_COLUMNS, errors, plan.ignored_columns)
    ch = (_read_table(children, CHILDREN_FILE, CHILD_COLUMNS, errors, plan.ignored_columns)
          if children is not None else None)
    total = (len(st.rows) if st else 0) + (len(ch.rows) if ch else 0)
    done = 0

    groups: dict[tuple, LedgerResident] = {}
    by_ledger_id: dict[str, tuple[LedgerStay, LedgerResident]] = {}
    residents: list[LedgerResident] = []
    as_written: dict[int, Resident] = {}  # stay row -> the resident as that row gives her
    for row_no, cells in st.rows if st else []:
        row = _Row(st, row_no, cells, errors)
        resident, ls = _read_stay(row, today, now)
        if ls.ledger_id and ls.ledger_id in by_ledger_id:
            row.error("ledger_id", _("This ledger_id is already used in row {row}.").format(
                row=by_ledger_id[ls.ledger_id][0].row))
            continue
        key = resident_key(resident)
        group = groups.get(key) if key else None
        if group is None:
            group = LedgerResident(resident, key)
            residents.append(group)
            if key:
                groups[key] = group
        group.stays.append(ls)
        as_written[ls.row] = resident
        if ls.ledger_id:
            by_ledger_id[ls.ledger_id] = (ls, group)
        done += 1
        if progress and done % 500 == 0:
            progress(done, total)

    for group in residents:
        group.stays.sort(key=lambda s: (s.stay.admitted_on or date.min, s.row))
        if len(group.stays) > 1:
            group.resident = as_written[group.stays[0].row]
            for ls in group.stays[1:]:
                _merge(group.resident, as_written[ls.row])
        dated = [s for s in group.stays if s.stay.admitted_on is not None]
        for i, later in enumerate(dated):
            for earlier in dated[:i]:
                if _overlaps(earlier, later):
                    if earlier.is_open and later.is_open:
                        reason = _("The same woman has another stay without a discharge date "
                                   "(row {row}); only one stay can be open.")
                        column = "discharged_on"
                    else:
                        reason = _("This stay overlaps the stay in row {row} of the same woman "
                                   "(same names, kana and birth date).")
                        column = "admitted_on"
                    errors.append(LedgerError(STAYS_FILE, later.row, column,
                                              reason.format(row=earlier.row)))
                    break

    seen_children: dict[tuple[str, tuple], int] = {}
    for row_no, cells in ch.rows if ch else []:
        row = _Row(ch, row_no, cells, errors)
        lid = row["ledger_id"]
        sex_text = row["sex"]
        sex = None
        if sex_text:
            sex = codes.SEX.from_code_or_label(unicodedata.normalize("NFKC", sex_text).upper())
            if sex is None:
                row.error("sex", _("Sex must be F, M or blank."))
        child = Child(family_name=row["family_name"], given_name=row["given_name"],
                      family_kana=row["family_kana"], given_kana=row["given_kana"],
                      birth_date=row.date("birth_date"), sex=sex, relationship="")
        found = by_ledger_id.get(lid) if lid else None
        if not lid:
            row.error("ledger_id", _("A ledger_id is required: it names the stay this child "
                                     "came with."))
        elif found is None and st is not None:  # unreadable stays.csv: said once already
            row.error("ledger_id", _("This ledger_id is not in stays.csv."))
        admitted_on = found[0].stay.admitted_on if found else None
        row.field_errors(check_child(ch=child, admitted_on=admitted_on, today=today))
        if found:
            lc = LedgerChild(row_no, child)
            first = seen_children.get((lid, lc.key))
            if first is not None:
                row.error("given_name", _("This child is already listed for this stay in row "
                                          "{row}.").format(row=first))
            else:
                seen_children[(lid, lc.key)] = row_no
                found[0].children.append(lc)
        done += 1
        if progress and done % 500 == 0:
            progress(done, total)
    if progress:
        progress(total, total)

    errors.sort(key=lambda e: (e.file != STAYS_FILE, e.row or 0,
                               _column_order(e.file, e.column)))
    plan.residents = residents
    return plan


def _column_order(file: str, column: str) -> int:
    cols = STAY_COLUMNS if file == STAYS_FILE else CHILD_COLUMNS
    return cols.index(column) if column in cols else len(cols)
