"""The hand-over's contents: a small ZIP with the schedule as CSV, iCalendar
and JSON, and a manifest; and reading back a ZIP or a returned CSV.

What goes in is decided here, field by field (DOMAIN.md, minimum necessary):
her name, kana, birth date, current safe phone, municipality, danger level,
and per item the kind, due date, assignee, outcome, done date and note. Never
the facility's name or address, room or bed, health notes, complaint or case
notes: the input rows (store.aftercare.Handover) do not even carry them. A
staff assignee is written as 施設職員, never a staff member's name.

- ``schedule.csv``: UTF-8 with BOM (Japanese Excel opens it), Japanese headers,
  every cell through core.tabular.spreadsheet_cell (formula leaders
  neutralised); 版 is the item's revision, which the results import compares.
- ``schedule.ics``: METHOD:PUBLISH, one all-day VEVENT per item, the item's
  random UID, SEQUENCE = its revision, a summary of kind + reference code. No
  name, note or phone: calendars sync to places a name must not go.
- ``schedule.json``: the same, machine-readable.
- ``manifest.json``: format, version, created at, partner, counts, ``reply_to``
  (the facility's age recipient), SHA-256 per member, the audit-chain head.

No Qt, no SQL: plain rows in, bytes out.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shelterdesk.core import codes
from shelterdesk.core.aftercare import reference_code
from shelterdesk.core.tabular import FORMULA_LEADERS, spreadsheet_cell
from shelterdesk.i18n import _
from shelterdesk.transfer.errors import TransferError

FORMAT = "shelterdesk-aftercare-handover"
VERSION = 1
CSV_NAME, ICS_NAME, JSON_NAME, MANIFEST_NAME = (
    "schedule.csv", "schedule.ics", "schedule.json", "manifest.json")
MEMBERS = (CSV_NAME, ICS_NAME, JSON_NAME)
#: The CSV's headers (a contract with the partner's staff and their Excel).
ITEM_ID, REVISION, NAME, KANA, BIRTH, PHONE, MUNICIPALITY, DANGER, KIND, DUE, ASSIGNEE, \
    OUTCOME, DONE, NOTE = ("項目ID", "版", "氏名", "ふりがな", "生年月日", "連絡先電話", "市町村",
                           "危険度", "種別", "予定日", "担当", "結果", "実施日", "メモ")
CSV_HEADERS = (ITEM_ID, NAME, KANA, BIRTH, PHONE, MUNICIPALITY, DANGER, KIND, DUE, ASSIGNEE,
               OUTCOME, DONE, NOTE, REVISION)
#: How a staff assignee is written for a partner (never a staff member's name).
STAFF_ASSIGNEE = "施設職員"
#: The largest ZIP member read back (a hand-over of 10,000 items is ~2 MB).
MAX_MEMBER_BYTES = 64 * 1024 * 1024


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _assignee(item, partner_names: dict[int, str]) -> str:
    if item.assignee_partner_id is not None:
        return partner_names.get(item.assignee_partner_id, item.assignee)
    if item.assignee_account_id is not None:
        return STAFF_ASSIGNEE
    return ""


@functools.cache
def _ja_labels(code_list) -> dict[str, str]:
    return {c.code: c.ja_label for c in code_list}


def _ja(code_list, code: str | None) -> str:
    return _ja_labels(code_list).get(code, "") if code else ""


def _ics_date(d: date) -> str:
    return d.isoformat().replace("-", "")


def build_csv(handover, partner_names: dict[int, str]) -> bytes:
    people = {p.resident_id: p for p in handover.people}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_HEADERS)
    for it in handover.items:
        p = people[it.resident_id]
        w.writerow([spreadsheet_cell(v) for v in (
            it.id, p.name, p.kana, _iso(p.birth_date), p.phone, p.municipality,
            _ja(codes.DANGER_LEVEL, p.danger_level), _ja(codes.AFTERCARE_KIND, it.kind),
            _iso(it.due_on), _assignee(it, partner_names),
            _ja(codes.AFTERCARE_OUTCOME, it.outcome), _iso(it.done_on), it.note, it.sequence)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> bytes:
    """RFC 5545 line folding: at most 75 octets per line, never inside a character."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:  # nearly every line: no per-character walk
        return raw + b"\r\n"
    out, cur = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > (75 if not out else 74):
            out.append(cur)
            cur = b""
        cur += b
    out.append(cur)
    return b"\r\n ".join(out) + b"\r\n"


def build_ics(handover, stamp: datetime) -> bytes:
    """The calendar, written directly (RFC 5545): the ``icalendar`` package
    took ~10 s for 10,000 events, the issue's budget is 1 s for the whole
    export. tests/transfer check that ``icalendar`` parses it to the same
    events it would have built itself."""
    dtstamp = stamp.strftime("%Y%m%dT%H%M%S")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ShelterDesk//aftercare//JA",
             "METHOD:PUBLISH"]
    for it in handover.items:
        lines += ["BEGIN:VEVENT",
                  f"SUMMARY:{_ics_text(_ja(codes.AFTERCARE_KIND, it.kind))} "
                  f"{reference_code(it.uid)}",
                  f"DTSTART;VALUE=DATE:{_ics_date(it.due_on)}",
                  f"DTEND;VALUE=DATE:{_ics_date(it.due_on + timedelta(days=1))}",
                  f"DTSTAMP:{dtstamp}",
                  f"UID:{_ics_text(it.uid)}",
                  f"SEQUENCE:{int(it.sequence)}",
                  "STATUS:" + ("CANCELLED" if it.outcome == "closed" else "CONFIRMED"),
                  "TRANSP:TRANSPARENT",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return b"".join(_fold(ln) for ln in lines)


def build_json(handover, partner_names: dict[int, str]) -> bytes:
    people = []
    ref = {}
    for n, p in enumerate(handover.people, 1):
        ref[p.resident_id] = n
        people.append({"person": n, "name": p.name, "kana": p.kana,
                       "birth_date": _iso(p.birth_date) or None, "phone": p.phone,
                       "municipality": p.municipality, "danger_level": p.danger_level})
    items = [{"id": it.id, "person": ref[it.resident_id], "kind": it.kind,
              "kind_label": _ja(codes.AFTERCARE_KIND, it.kind), "due_on": _iso(it.due_on),
              "assignee": _assignee(it, partner_names), "outcome": it.outcome,
              "done_on": _iso(it.done_on) or None, "note": it.note, "uid": it.uid,
              "revision": it.sequence} for it in handover.items]
    # One object per line, each by json's C encoder (``indent`` would make json
    # fall back to its pure-Python encoder: a quarter of a 10,000-item export).
    def array(objs: list[dict]) -> str:
        if not objs:
            return "[]"
        return "[\n  " + ",\n  ".join(json.dumps(o, ensure_ascii=False) for o in objs) + "\n ]"
    head = json.dumps({"format": FORMAT, "version": VERSION}, ensure_ascii=False)[:-1]
    return (f'{head},\n "people": {array(people)},\n "items": {array(items)}\n}}\n'
            ).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Built:
    zip_bytes: bytes
    manifest: dict


def build(handover, *, reply_to: str, audit_head: str, now: datetime | None = None) -> Built:
    """The ZIP for ``handover`` (store.aftercare.Handover: plain rows)."""
    now = (now or datetime.now()).replace(microsecond=0)
    names = {handover.partner.id: handover.partner.name}
    for it in handover.items:
        if it.assignee_partner_id is not None and it.assignee_partner_id not in names:
            names[it.assignee_partner_id] = it.assignee
    members = {CSV_NAME: build_csv(handover, names), ICS_NAME: build_ics(handover, now),
               JSON_NAME: build_json(handover, names)}
    manifest = {"format": FORMAT, "version": VERSION, "created_at": now.isoformat(),
                "partner": handover.partner.name, "items": len(handover.items),
                "people": len(handover.people), "reply_to": reply_to,
                "sha256": {name: sha256(data) for name, data in members.items()},
                "audit_head": audit_head}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, data in members.items():
            z.writestr(name, data)
    return Built(buf.getvalue(), manifest)


def _damaged() -> TransferError:
    return TransferError(_("The hand-over's contents do not match its manifest; the file "
                           "cannot be trusted."))


def _members(zip_bytes: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
            out = {}
            infos = z.infolist()
            # The sizes the ZIP declares, as a whole (a bomb of many members
            # each under the cap); reading never inflates past a declared size.
            if len(infos) > 20 or sum(i.file_size for i in infos) > MAX_MEMBER_BYTES:
                raise _damaged()
            for info in infos:
                out[info.filename] = z.read(info)
            return out
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise TransferError(_("The decrypted file is not a hand-over ZIP.")) from None


def open_bundle(zip_bytes: bytes) -> tuple[dict, dict[str, bytes]]:
    """The manifest and members of a hand-over ZIP, every member checked
    against the manifest's SHA-256; a mismatch or a missing member refuses it."""
    members = _members(zip_bytes)
    try:
        manifest = json.loads(members[MANIFEST_NAME].decode("utf-8"))
    except (KeyError, ValueError):
        raise _damaged() from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("sha256"), dict):
        raise _damaged()
    if set(manifest["sha256"]) != set(MEMBERS) or set(members) != {MANIFEST_NAME, *MEMBERS}:
        raise _damaged()
    for name, digest in manifest["sha256"].items():
        if sha256(members[name]) != digest:
            raise _damaged()
    return manifest, members


# -- results coming back ------------------------------------------------------------------------
@dataclass(frozen=True)
class ResultCell:
    """A returned row before the store matches it (the store's ReturnedRow)."""
    row_no: int
    item_id: int
    outcome: str | None
    done_on: date | None
    note: str | None  # None: the file has no メモ column (keep the note here)
    sequence: int | None


def _unneutralise(text: str) -> str:
    """Undo spreadsheet_cell: ``'=x`` was written for ``=x``."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_LEADERS):
        return text[1:]
    return text


def results_csv_from(payload: bytes) -> bytes:
    """The CSV inside a decrypted results file: the CSV itself, or the ZIP's
    ``schedule.csv``. The manifest is not checked here: the partner edited that
    member, and age's authentication already covers the whole file."""
    if payload[:4] == b"PK\x03\x04":
        members = _members(payload)
        if CSV_NAME not in members:
            raise TransferError(_("The ZIP holds no {name}.").format(name=CSV_NAME))
        return members[CSV_NAME]
    return payload


def parse_results(csv_bytes: bytes) -> list[ResultCell]:
    """Rows of a returned CSV (UTF-8 with or without BOM, or CP932 as Excel
    saves it). 結果 as the Japanese label, the English label or the code;
    実施日 in any form the ledger import accepts. Any bad cell refuses the
    whole file, naming rows and columns, never contents."""
    from shelterdesk.core.dates import DateFormatError, parse_date
    from shelterdesk.core.ledger import LedgerFileError, decode
    try:
        text = decode(csv_bytes, CSV_NAME)
    except LedgerFileError as e:
        raise TransferError(str(e)) from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise TransferError(_("The results file is empty.")) from None
    if ITEM_ID not in header:
        raise TransferError(_("The results file has no column {col}.").format(col=ITEM_ID))
    col = {h: i for i, h in enumerate(header)}
    problems: list[str] = []
    rows: list[ResultCell] = []
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells=cells) -> str:
            i = col.get(name)
            return _unneutralise(cells[i].strip()) if i is not None and i < len(cells) else ""
        raw_id = cell(ITEM_ID)
        if not raw_id.isdigit():
            problems.append(_("row {n}: {col} is not a number").format(n=n, col=ITEM_ID))
            continue
        outcome = None
        if cell(OUTCOME):
            outcome = codes.AFTERCARE_OUTCOME.from_code_or_label(cell(OUTCOME))
            if outcome is None:
                problems.append(_("row {n}: {col} is not one of the outcomes").format(
                    n=n, col=OUTCOME))
        done = None
        raw_done = cell(DONE).split(" ")[0]
        if raw_done:
            try:
                done = parse_date(raw_done)
            except DateFormatError:
                problems.append(_("row {n}: {col} is not a date").format(n=n, col=DONE))
        rev = cell(REVISION)
        rows.append(ResultCell(n, int(raw_id), outcome, done,
                               cell(NOTE) if NOTE in col else None,
                               int(rev) if rev.isdigit() else None))
    if problems:
        raise TransferError(_("The results file has errors; nothing was imported: {list}")
                            .format(list="; ".join(problems[:10])))
    return rows
