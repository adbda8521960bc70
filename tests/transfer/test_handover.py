"""The encrypted hand-over: our files open with the reference age tool, its
files import; damaged, foreign and wrong files are refused whole; consent
gating; what leaves and what never does."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import AGE, PARTNER, admit_and_discharge

from shelterdesk.core.aftercare import Partner
from shelterdesk.core.models import Consent
from shelterdesk.store import aftercare, partners, residents
from shelterdesk.store.errors import DiskFull
from shelterdesk.transfer import age, bundle, handover
from shelterdesk.transfer.errors import NothingToExport, TransferError

needs_age = pytest.mark.skipif(AGE is None, reason="the reference age tool is not installed")


def _export(world, tmp_path, name="aftercare.age", **kw) -> handover.Exported:
    return handover.export(world.db, world.partner_id, tmp_path / "stick" / name, **kw)


@pytest.fixture(autouse=True)
def _stick(tmp_path):
    (tmp_path / "stick").mkdir()


def _zip(world, path: Path) -> dict[str, bytes]:
    plain = age.decrypt(path.read_bytes(), [world.identity])
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_export_contents_minimum_necessary(world, tmp_path):
    res = _export(world, tmp_path)
    assert (res.people, res.items) == (1, 6) and res.passphrase is None
    members = _zip(world, res.path)
    assert set(members) == {"manifest.json", "schedule.csv", "schedule.ics", "schedule.json"}
    manifest = json.loads(members["manifest.json"])
    assert manifest["reply_to"] == aftercare.facility_recipient(world.db)
    # The head when the bundle was built: a row of the chain as written (the
    # export's own audit rows come after it), the chain intact.
    rid, mac = manifest["audit_head"].split(":")
    assert world.db.query("SELECT hash FROM audit WHERE id=?", (int(rid),)) == [(mac,)]
    assert world.db.verify_audit() == []
    for name in bundle.MEMBERS:
        assert manifest["sha256"][name] == bundle.sha256(members[name])
    raw = members["schedule.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:13] == ["項目ID", "氏名", "ふりがな", "生年月日", "連絡先電話", "市町村", "危険度",
                            "種別", "予定日", "担当", "結果", "実施日", "メモ"]
    assert rows[1][1] == "見本 花子" and rows[1][6] == "高" and rows[1][7] == "電話フォローアップ"
    everything = b"".join(members.values()).decode("utf-8", "replace")
    for never in ("テスト施設", "架空の記録", "101", "dv_spouse", "夫等の暴力"):
        assert never not in everything


def test_ics_parses_and_has_no_names(world, tmp_path):
    from icalendar import Calendar
    members = _zip(world, _export(world, tmp_path).path)
    cal = Calendar.from_ical(members["schedule.ics"])
    assert str(cal["METHOD"]) == "PUBLISH"
    events = list(cal.walk("VEVENT"))
    items = aftercare.items_of_stay(world.db, world.stay_id)
    assert len(events) == len(items)
    by_uid = {i.uid: i for i in items}
    for ev in events:
        it = by_uid[str(ev["UID"])]
        assert ev.decoded("DTSTART") == it.due_on and ev["DTSTART"].params.get("VALUE") == "DATE"
        assert int(ev["SEQUENCE"]) == it.sequence
        assert str(it.id) != str(ev["UID"])
    text = members["schedule.ics"].decode()
    assert "見本" not in text and "花子" not in text and "みほん" not in text and "090" not in text


def test_sequence_is_raised_when_an_item_changes(world, tmp_path):
    from icalendar import Calendar
    first = world.items[0]
    aftercare.record_outcome(world.db, first, "completed", date.today(), "架空の結果")
    members = _zip(world, _export(world, tmp_path).path)
    uid = aftercare.get_item(world.db, first).uid
    ev = next(e for e in Calendar.from_ical(members["schedule.ics"]).walk("VEVENT")
              if str(e["UID"]) == uid)
    assert int(ev["SEQUENCE"]) == 1


def test_formula_cells_are_neutralised(world, tmp_path):
    aftercare.record_outcome(world.db, world.items[0], "completed", date.today(), "=HYPERLINK(1)")
    rows = list(csv.reader(io.StringIO(
        _zip(world, _export(world, tmp_path).path)["schedule.csv"].decode("utf-8-sig"))))
    assert rows[1][12] == "'=HYPERLINK(1)"


@needs_age
def test_reference_age_decrypts_our_export(world, tmp_path):
    res = _export(world, tmp_path)
    out = subprocess.run([AGE, "-d", "-i", str(world.identity_file), str(res.path)],
                         capture_output=True, check=True).stdout
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert "schedule.csv" in z.namelist()


@needs_age
def test_passphrase_export_opens_with_reference_age(world, tmp_path):
    res = _export(world, tmp_path, passphrase=True)
    assert res.passphrase and len(res.passphrase.split("-")) == 5
    # age reads a passphrase from the terminal only; pyrage stands in for it here,
    # and the file is a passphrase file alone (age's scrypt stanza).
    data = res.path.read_bytes()
    assert b"-> scrypt" in data and b"-> X25519" not in data
    assert zipfile.is_zipfile(io.BytesIO(age.decrypt_with_passphrase(data, res.passphrase)))
    with pytest.raises(TransferError, match="passphrase is wrong"):
        age.decrypt_with_passphrase(data, "wrong-words")


def test_a_partner_without_key_gets_a_passphrase_file(world, tmp_path):
    p = partners.get_partner(world.db, world.partner_id)
    p.recipient = ""
    partners.save_partner(world.session, p)
    res = _export(world, tmp_path)
    assert res.passphrase is not None


def _returned_csv(world, tmp_path, edit, encoding="utf-8-sig") -> bytes:
    import secrets
    members = _zip(world, _export(world, tmp_path, f"{secrets.token_hex(4)}.age").path)
    rows = list(csv.reader(io.StringIO(members["schedule.csv"].decode("utf-8-sig"))))
    edit(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def _to_reply_to(world, payload: bytes, tmp_path) -> Path:
    path = tmp_path / "results.age"
    path.write_bytes(age.encrypt(payload, [aftercare.facility_recipient(world.db)]))
    return path


def _fill(row_index, outcome="実施", done="R8.11.2", note="架空の面談"):
    def edit(rows):
        rows[row_index][10], rows[row_index][11], rows[row_index][12] = outcome, done, note
    return edit


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_results_import_cp932_and_utf8_bom(world, tmp_path, encoding):
    payload = _returned_csv(world, tmp_path, _fill(1), encoding)
    res = handover.read_results(world.db, _to_reply_to(world, payload, tmp_path))
    assert (len(res.plan.updates), len(res.plan.unchanged), len(res.plan.conflicts)) == (1, 5, 0)
    assert handover.apply(world.db, res) == 1
    it = aftercare.get_item(world.db, world.items[0])
    assert (it.outcome, it.done_on, it.note) == ("completed", date(2026, 11, 2), "架空の面談")


@needs_age
def test_a_file_the_reference_age_made_imports(world, tmp_path):
    payload = _returned_csv(world, tmp_path, _fill(2, outcome="not_reached", done="2026/11/3"))
    plain = tmp_path / "results.csv"
    plain.write_bytes(payload)
    enc = tmp_path / "results.csv.age"
    subprocess.run([AGE, "-r", aftercare.facility_recipient(world.db), "-o", str(enc),
                    str(plain)], check=True)
    res = handover.read_results(world.db, enc)
    assert [c.item_id for c in res.plan.updates] == [world.items[1]]


def test_conflict_is_shown_and_local_kept(world, tmp_path):
    payload = _returned_csv(world, tmp_path, _fill(1, note="相手の記録"))
    aftercare.record_outcome(world.db, world.items[0], "needs_support", date.today(), "当方の記録")
    res = handover.read_results(world.db, _to_reply_to(world, payload, tmp_path))
    assert [c.item_id for c in res.plan.conflicts] == [world.items[0]]
    c = res.plan.conflicts[0]
    assert c.local[0] == "needs_support" and c.partner[0] == "completed"
    handover.apply(world.db, res)
    assert aftercare.get_item(world.db, world.items[0]).note == "当方の記録"
    handover.apply(world.db, handover.read_results(
        world.db, _to_reply_to(world, payload, tmp_path)), take_theirs={world.items[0]})
    assert aftercare.get_item(world.db, world.items[0]).note == "相手の記録"


def test_unknown_item_ids_refuse_the_file(world, tmp_path):
    def edit(rows):
        rows[1][0] = "99999"
    payload = _returned_csv(world, tmp_path, edit)
    with pytest.raises(aftercare.UnknownItems, match="99999"):
        handover.read_results(world.db, _to_reply_to(world, payload, tmp_path))


def test_bad_cells_refuse_the_file(world, tmp_path):
    payload = _returned_csv(world, tmp_path, _fill(1, outcome="たぶん", done="昨日"))
    with pytest.raises(TransferError, match="row 2"):
        handover.read_results(world.db, _to_reply_to(world, payload, tmp_path))


# -- attack paths ------------------------------------------------------------------------------
def _good_results(world, tmp_path) -> bytes:
    return age.encrypt(_returned_csv(world, tmp_path, _fill(1)),
                       [aftercare.facility_recipient(world.db)])


def test_truncated_tampered_and_foreign_files_are_refused(world, tmp_path):
    import pyrage
    big = _returned_csv(world, tmp_path, _fill(1)) + b"\r\n" * 70000  # more than one chunk
    data = age.encrypt(big, [aftercare.facility_recipient(world.db)])
    header_end = data.index(b"\n---") + 1
    header_end = data.index(b"\n", header_end) + 1
    boundary = header_end + 16 + 65536 + 16  # nonce + first full chunk
    assert len(data) > boundary
    flipped = bytearray(data)
    flipped[-5] ^= 1
    foreign = age.encrypt(big, [str(pyrage.x25519.Identity.generate().to_public())])
    before = aftercare.get_item(world.db, world.items[0])
    for bad, what in ((data[:boundary], "damaged"), (data[:-1], "damaged"),
                      (bytes(flipped), "damaged"), (foreign, "not encrypted for this"),
                      (b"PK\x03\x04 not age", "not an encrypted"),
                      (data[:40] + b"A" + data[41:], None)):
        with pytest.raises(TransferError, match=what):
            handover.plan_results_bytes(world.db, bad)
    assert aftercare.get_item(world.db, world.items[0]) == before


def test_bundle_with_a_mismatching_manifest_is_refused(world, tmp_path):
    plain = age.decrypt(_export(world, tmp_path).path.read_bytes(), [world.identity])
    manifest, members = bundle.open_bundle(plain)
    members["schedule.csv"] += b"1,x\r\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for n, d in members.items():
            if n != "manifest.json":
                z.writestr(n, d)
    with pytest.raises(TransferError, match="do not match"):
        bundle.open_bundle(buf.getvalue())


def test_read_back_that_differs_removes_the_file(world, tmp_path, monkeypatch):
    real = handover.files.read_input_file
    monkeypatch.setattr(handover.files, "read_input_file", lambda p: real(p)[:-1])
    with pytest.raises(TransferError):
        _export(world, tmp_path)
    assert list((tmp_path / "stick").iterdir()) == []
    assert world.db.query("SELECT count(*) FROM aftercare_export")[0][0] == 0


def test_full_disk_and_pulled_stick_leave_no_file(world, tmp_path, monkeypatch):
    import shelterdesk.store.files as files
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.f.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(DiskFull):
        _export(world, tmp_path)
    monkeypatch.undo()
    assert list((tmp_path / "stick").iterdir()) == []

    def pulled(path, data):
        path.parent.rmdir()
        raise OSError(errno.EIO, "Input/output error")
    with pytest.raises(TransferError, match="USB stick"):
        _export(world, tmp_path, write=pulled)
    assert not (tmp_path / "stick").exists()


def test_existing_file_is_not_replaced(world, tmp_path):
    (tmp_path / "stick" / "aftercare.age").write_bytes(b"old")
    with pytest.raises(Exception, match="already exists"):
        _export(world, tmp_path)
    assert (tmp_path / "stick" / "aftercare.age").read_bytes() == b"old"


# -- consent gating -----------------------------------------------------------------------------
def test_consent_gating(world, tmp_path):
    db = world.db
    today = date.today()
    cases = {}
    for name, scope, recipient, given, expires, withdrawn in (
            ("expired", "municipality_aftercare", PARTNER, today - timedelta(days=90),
             today - timedelta(days=1), None),
            ("withdrawn", "municipality_aftercare", PARTNER, today - timedelta(days=90), None,
             today - timedelta(days=2)),
            ("other_partner", "municipality_aftercare", "別の市", today - timedelta(days=9),
             None, None),
            ("other_scope", "medical", PARTNER, today - timedelta(days=9), None, None)):
        rid, sid = admit_and_discharge(db, "架空", name, consent=False)
        residents.insert_consent(db, Consent(None, rid, scope, recipient, given, expires))
        if withdrawn:
            kid = residents.consents_of(db, rid)[0].id
            residents.withdraw_consent(db, kid, withdrawn)
        aftercare.save_schedule(db, sid, [aftercare.NewItem("phone", today)])
        cases[name] = rid
    h = handover.preview(db, world.partner_id)
    assert [p.resident_id for p in h.people] == [world.resident_id]
    assert {(e.resident_id, e.reason) for e in h.excluded} == {
        (cases["expired"], "expired"), (cases["withdrawn"], "withdrawn")}
    assert all(i.resident_id == world.resident_id for i in h.items)


def test_nobody_with_consent_means_no_file(session, tmp_path):
    pid = partners.save_partner(session, Partner(name="誰もいない市"))
    with pytest.raises(NothingToExport):
        handover.export(session.db, pid, tmp_path / "stick" / "x.age")
    assert list((tmp_path / "stick").iterdir()) == []


def test_no_plaintext_outside_the_destination(world, tmp_path, monkeypatch):
    import tempfile
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    res = _export(world, tmp_path)
    handover.read_results(world.db, _to_reply_to(world, _returned_csv(
        world, tmp_path, _fill(1)), tmp_path))
    needles = [s.encode(enc) for s in ("見本", "花子", "みほん")
               for enc in ("utf-8", "cp932", "utf-16-le", "utf-16-be")]
    for folder in (scratch, res.path.parent, tmp_path):
        for p in folder.rglob("*"):
            if p.is_file() and p.suffix not in (".db", ".keys", ".bak") and \
                    "shelter.db" not in p.name:
                data = p.read_bytes()
                assert not any(n in data for n in needles), p.name


def test_our_ics_matches_what_icalendar_builds(world, tmp_path):
    from icalendar import Calendar, Event
    h = handover.preview(world.db, world.partner_id)
    ours = Calendar.from_ical(bundle.build_ics(h, __import__("datetime").datetime(2026, 1, 2)))
    for ev, it in zip(ours.walk("VEVENT"), h.items, strict=True):
        ref = Event()
        ref.add("uid", it.uid)
        ref.add("dtstart", it.due_on)
        ref.add("sequence", it.sequence)
        assert ev.decoded("DTSTART") == ref.decoded("DTSTART")
        assert str(ev["UID"]) == str(ref["UID"]) and int(ev["SEQUENCE"]) == it.sequence
        assert str(ev["SUMMARY"]).startswith("電話フォローアップ ")
    long = bundle._fold("SUMMARY:" + "電" * 60)
    assert all(len(part) <= 75 for part in long.split(b"\r\n"))


def test_export_records_the_revision_the_file_carried(world):
    """An item changed between reading it and recording the export keeps the
    revision the file carried: a returned row is compared with that."""
    items = aftercare.handover(world.db, world.partner_id).items
    changed = items[0].id
    aftercare.record_outcome(world.db, changed, "completed", date.today(), "")
    export_id = aftercare.record_export(world.db, world.partner_id, items, "0" * 64)
    recorded = dict(world.db.query(
        "SELECT item_id, sequence FROM aftercare_export_item WHERE export_id=?", (export_id,)))
    assert recorded == {i.id: i.sequence for i in items}
    assert aftercare.get_item(world.db, changed).sequence == recorded[changed] + 1


def test_json_member_is_the_same_items_one_per_line(world, tmp_path):
    members = _zip(world, _export(world, tmp_path).path)
    doc = json.loads(members["schedule.json"])
    assert doc["format"] == bundle.FORMAT and len(doc["items"]) == len(world.items)
    lines = members["schedule.json"].decode().splitlines()
    assert sum(1 for ln in lines if '"uid"' in ln) == len(world.items)

def test_a_zip_bomb_is_refused_before_it_is_inflated(monkeypatch):
    """Members that stay under the per-member cap but together inflate to
    hundreds of megabytes (a few hundred kilobytes on the stick): refused from
    the sizes the ZIP declares, nothing inflated."""
    from shelterdesk.transfer import bundle
    from shelterdesk.transfer.errors import TransferError

    buf = io.BytesIO()
    big = b"\0" * (bundle.MAX_MEMBER_BYTES - 1)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(bundle.CSV_NAME, "項目ID\n")
        for i in range(4):
            z.writestr(f"pad{i}.bin", big)
    data = buf.getvalue()
    assert len(data) < 2 * 1024 * 1024

    def no_inflating(*a, **k):
        raise AssertionError("inflated")

    monkeypatch.setattr(zipfile.ZipFile, "read", no_inflating)
    with pytest.raises(TransferError):
        bundle.results_csv_from(data)
    with pytest.raises(TransferError):
        bundle.open_bundle(data)
