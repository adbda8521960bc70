"""PDF preview: from memory, print and save audited, uncovered characters
reported before printing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from intake_helpers import admit_sample
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox

from shelterdesk.gui.dialogs.pdf_preview import PdfPreviewDialog, build_document


def audits(db, action):
    return db.query("SELECT entity, entity_id, detail FROM audit WHERE action=?", (action,))


def test_consent_sheet_previewed_printed_and_saved(qtbot, session, tmp_path):
    db = session.db
    s = admit_sample(db)
    result = build_document(db, s.id, "consent", "ko")
    dlg = PdfPreviewDialog(session, result, s.id, "consent", "ko")
    qtbot.addWidget(dlg)
    assert dlg.document.pageCount() >= 1
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dlg.print_to(printer)
    assert audits(db, "print") == [("stay", s.id, "doc=consent lang=ko")]
    assert dlg.save_to(tmp_path / "chosen")  # .pdf is added
    assert (tmp_path / "chosen.pdf").read_bytes().startswith(b"%PDF")
    assert audits(db, "save") == [("stay", s.id, "doc=consent lang=ko enc=pdf-aes256")]
    # Encrypted by default (issue 12): qpdf says a password is needed; only the
    # password shown once (in the dialog, selectable) opens it.
    import subprocess

    import pikepdf
    assert subprocess.run(["qpdf", "--requires-password",
                           str(tmp_path / "chosen.pdf")]).returncode == 0
    assert dlg.last_password in dlg.password_label.text()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(tmp_path / "chosen.pdf", password="WRONG")
    with pikepdf.open(tmp_path / "chosen.pdf", password=dlg.last_password) as pdf:
        assert len(pdf.pages) == dlg.document.pageCount()
    assert dlg.suggested_name() == f"consent-stay{s.id}-ko.pdf"  # ids only, no name


def test_plain_pdf_only_after_the_warning_and_audited(qtbot, session, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    db = session.db
    s = admit_sample(db)
    dlg = PdfPreviewDialog(session, build_document(db, s.id, "intake", "ja"), s.id, "intake",
                           "ja")
    qtbot.addWidget(dlg)
    plain_filter = "Plain PDF, not protected (*.pdf)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "plain.pdf"), plain_filter))
    answers = []
    monkeypatch.setattr("shelterdesk.gui.dialogs.pdf_preview.ask_yes_no",
                        lambda *a, **k: answers.append(a[2]) or False)
    assert not dlg.save_as()  # warned, declined: nothing written
    assert "anyone" in answers[0] and not (tmp_path / "plain.pdf").exists()
    monkeypatch.setattr("shelterdesk.gui.dialogs.pdf_preview.ask_yes_no", lambda *a, **k: True)
    assert dlg.save_as()
    assert (tmp_path / "plain.pdf").read_bytes().startswith(b"%PDF")
    assert audits(db, "save") == [("stay", s.id, "doc=intake lang=ja enc=plain")]
    age_filter = "age file with a password (*.age)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "sheet"), age_filter))
    assert dlg.save_as()
    from pyrage import passphrase
    assert passphrase.decrypt((tmp_path / "sheet.age").read_bytes(),
                              dlg.last_password).startswith(b"%PDF")


def test_uncovered_characters_are_reported_before_printing(qtbot, session, monkeypatch,
                                                           tmp_path):
    db = session.db
    s = admit_sample(db)
    result = replace(build_document(db, s.id, "intake", "ja"), missing=("\U000f0000",))
    dlg = PdfPreviewDialog(session, result, s.id, "intake", "ja")
    qtbot.addWidget(dlg)
    assert "U+F0000" in dlg.missing_label.text()
    asked = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    assert not dlg.print_document()  # declined at the warning: no print dialog, no audit
    assert not dlg.save_as()
    assert len(asked) == 2 and "U+F0000" in asked[0]
    assert audits(db, "print") == [] and audits(db, "save") == []


def test_nothing_leaves_once_locked(qtbot, session, tmp_path):
    """The idle lock closed the database while the save dialog was open: the
    document is not written (it could not be audited)."""
    s = admit_sample(session.db)
    dlg = PdfPreviewDialog(session, build_document(session.db, s.id, "intake", "ja"),
                           s.id, "intake", "ja")
    qtbot.addWidget(dlg)
    session.lock()
    assert not dlg.save_to(tmp_path / "late.pdf")
    assert not (tmp_path / "late.pdf").exists()
    assert "locked" in dlg.error.text()


def test_a_stay_document_is_looked_up_in_the_list(qtbot, session, monkeypatch):
    """open_stay_document (record and wizard buttons) takes the language from
    the combo box only for a document offered in several languages, and obeys
    the document's roles."""
    from dataclasses import replace as replaced

    from PySide6.QtWidgets import QComboBox, QWidget

    from shelterdesk.gui.dialogs.pdf_preview import open_stay_document
    from shelterdesk.gui.widgets.errors import error_label
    from shelterdesk.reports import documents

    s = admit_sample(session.db)
    owner = QWidget()
    qtbot.addWidget(owner)
    combo, error = QComboBox(owner), error_label()
    combo.addItem("한국어", "ko")
    open_stay_document(owner, session, s.id, "consent", combo, error)
    qtbot.waitUntil(lambda: getattr(owner, "preview", None) is not None, timeout=30000)
    assert (owner.preview.doc_kind, owner.preview.lang) == ("consent", "ko")
    owner.preview.close()
    owner.preview = None
    open_stay_document(owner, session, s.id, "intake", combo, error)
    qtbot.waitUntil(lambda: owner.preview is not None, timeout=30000)
    assert (owner.preview.doc_kind, owner.preview.lang) == ("intake", "ja")
    owner.preview.close()
    owner.preview = None

    monkeypatch.setattr(documents, "DOCUMENTS", tuple(
        replaced(d, roles=("caseworker",)) for d in documents.DOCUMENTS))
    open_stay_document(owner, session, s.id, "intake", combo, error)
    assert owner.preview is None
    assert error.text() == "Your account may not do this."


def test_save_refuses_the_database_and_its_files(qtbot, session, tmp_path):
    """Issue 8, item 1: the save dialog asked before replacing; the database,
    a link to it, or a database under a .pdf name is refused all the same."""
    s = admit_sample(session.db)
    dlg = PdfPreviewDialog(session, build_document(session.db, s.id, "intake", "ja"),
                           s.id, "intake", "ja")
    qtbot.addWidget(dlg)
    link = tmp_path / "link.pdf"
    link.symlink_to(session.db.path)
    before = session.db.path.read_bytes()
    assert not dlg.save_to(link)
    assert "never overwritten" in dlg.error.text()
    assert session.db.path.read_bytes() == before
    assert audits(session.db, "save") == []
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(b"SQLite format 3\x00" + bytes(100))
    assert not dlg.save_to(plain)
    assert plain.read_bytes().startswith(b"SQLite")
    old = tmp_path / "old.pdf"
    old.write_bytes(b"%PDF-1.4 old")
    assert dlg.save_to(old)  # the dialog already asked before replacing


def test_save_on_a_full_disk_says_what_to_do(qtbot, session, tmp_path, monkeypatch):
    """Attack re-run (issue 8, item 4): the save dialog's path meets a full disk
    with the store's sentence, not the raw error; nothing saved, nothing audited."""
    import errno

    from shelterdesk.store import files

    s = admit_sample(session.db)
    dlg = PdfPreviewDialog(session, build_document(session.db, s.id, "intake", "ja"),
                           s.id, "intake", "ja")
    qtbot.addWidget(dlg)

    def full(path, data, keep_previous=False):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(files, "write_atomic", full)
    assert not dlg.save_to(tmp_path / "x.pdf")
    assert "is full" in dlg.error.text() and "nothing was changed" in dlg.error.text()
    assert audits(session.db, "save") == []
