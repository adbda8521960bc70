"""Preview, print or save a document built in memory.

Why from memory: the intake and consent sheets carry her name, her children
and the danger she is in. The PDF never touches the disk unless the person
chooses a file in "Save as…"; preview reads it from a QBuffer and printing
renders the pages straight to the printer. Every print and every save is
audited (ids and document kind only, never names).

A character no installed font covers would print as 〓; the person is told
which ones *before* printing or saving, and may print anyway.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.gui.operations import write_user_file
from shelterdesk.gui.tasks import run_task
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.gui.widgets.screen_fit import fit_to_screen
from shelterdesk.i18n import _
from shelterdesk.reports.documents import document

PRINT_DPI = 300


def build_document(db, stay_id: int, doc: str, lang: str, staff_name: str = ""):
    """Build the PDF (reports.documents) — a plain function, run on a worker thread."""
    return document(doc).build(db, stay_id, lang, staff_name)


def _title(doc: str) -> str:
    try:
        return _(document(doc).title)
    except ValueError:
        return doc


def open_document(session, stay_id: int, doc: str, lang: str, parent: QWidget,
                  on_open=None, on_error=None):
    """Build the document off the UI thread, then show the preview dialog
    (non-blocking). ``on_open(dialog)`` and ``on_error(message)`` are called
    on the UI thread."""
    staff = session.account.display_name if session.account else ""

    def done(result):
        dlg = PdfPreviewDialog(session, result, stay_id, doc, lang, parent)
        dlg.open()
        if on_open:
            on_open(dlg)

    def failed(error):
        msg = str(error) or _("The document could not be built.")
        if on_error:
            on_error(msg)
        else:
            QMessageBox.warning(parent, _("Document"), msg)

    return run_task(parent, lambda: build_document(session.db, stay_id, doc, lang, staff),
                    done, failed, _("Preparing the document…"))


def open_stay_document(owner: QWidget, session, stay_id: int, doc: str,
                       consent_lang: QComboBox, error: QLabel) -> None:
    """A document of reports.documents for a stay, for a screen with print
    buttons: in the language chosen in ``consent_lang`` if the document is
    offered in several (the consent sheet), else in its one language (the
    intake sheet, Japanese). The preview is kept as ``owner.preview``; a
    failure, or an account that may not print it, is shown on ``error``."""
    entry = document(doc)
    lang = consent_lang.currentData() if entry.chooses_language else entry.languages[0]
    set_error(error, "")
    if not entry.may_print(session.account.roles if session.account else ()):
        set_error(error, _("Your account may not do this."))
        return

    def opened(dlg):
        owner.preview = dlg

    open_document(session, stay_id, doc, lang, owner, on_open=opened,
                  on_error=lambda msg: set_error(error, msg))


class PdfPreviewDialog(QDialog):
    """``result`` is a reports PdfResult (``data``, ``pages``, ``missing``)."""

    printed = Signal()
    saved = Signal(str)

    def __init__(self, session, result, stay_id: int, doc: str, lang: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.result = result
        self.stay_id = stay_id
        self.doc_kind = doc
        self.lang = lang
        self.setWindowTitle(f"{_title(doc)} — " +
                            _("stay no. {id}").format(id=stay_id))
        fit_to_screen(self, 820, 900)

        self._bytes = QByteArray(bytes(result.data))
        self._buffer = QBuffer(self)
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        lay = QVBoxLayout(self)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setProperty("role", "alert")
        if result.missing:
            self.missing_label.setText(self._missing_text())
        self.missing_label.setVisible(bool(result.missing))
        lay.addWidget(self.missing_label)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        lay.addWidget(self.view, 1)
        self.error = error_label()
        lay.addWidget(self.error)
        # Issue 12: the password of the file just saved, shown once (selectable).
        self.password_label = QLabel()
        self.password_label.setObjectName("shownOncePassword")
        self.password_label.setWordWrap(True)
        self.password_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password_label.hide()
        lay.addWidget(self.password_label)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("{n} page(s) · confidential (取扱注意)").format(
            n=self.document.pageCount())))
        row.addStretch(1)
        self.print_button = QPushButton(_("Print…"))
        self.save_button = QPushButton(_("Save as…"))
        self.close_button = QPushButton(_("Close"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        for b in (self.print_button, self.save_button, self.close_button):
            row.addWidget(b)
        self.print_button.setDefault(True)
        lay.addLayout(row)

    # -- warnings --------------------------------------------------------------
    def _missing_text(self) -> str:
        chars = " ".join(f"{c} ({f'U+{ord(c):04X}'})" for c in self.result.missing)
        return _("These characters are not covered by any installed font and will print "
                 "as 〓: {chars}").format(chars=chars)

    def _accept_missing(self) -> bool:
        if not self.result.missing:
            return True
        answer = QMessageBox.warning(
            self, _("Characters that cannot be printed"),
            self._missing_text() + "\n\n" + _("Continue anyway?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _audit(self, action: str, enc: str | None = None) -> None:
        detail = f"doc={self.doc_kind} lang={self.lang}"
        self.session.db.audit(action, "stay", self.stay_id,
                              detail if enc is None else f"{detail} enc={enc}")

    # -- printing ----------------------------------------------------------------
    def print_document(self) -> bool:
        if not self._accept_missing():
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(_title(self.doc_kind))
        dlg = QPrintDialog(printer, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def _still_unlocked(self) -> bool:
        """A print or save needs its audit row: if the idle lock closed the
        database while a print or file dialog was open, nothing leaves."""
        if self.session.db.is_open:
            return True
        set_error(self.error, _("ShelterDesk was locked meanwhile; nothing was printed or "
                                "saved. Unlock and try again."))
        return False

    def print_to(self, printer: QPrinter) -> bool:
        """Render every page onto ``printer`` (already chosen), then audit."""
        if not self._still_unlocked():
            return False
        painter = QPainter()
        if not painter.begin(printer):
            set_error(self.error, _("The printer could not be opened."))
            return False
        try:
            dpi = min(printer.resolution(), PRINT_DPI)
            for i in range(self.document.pageCount()):
                if i:
                    printer.newPage()
                pts = self.document.pagePointSize(i)
                img = self.document.render(i, QSize(int(pts.width() / 72 * dpi),
                                                    int(pts.height() / 72 * dpi)))
                area = QRectF(painter.viewport())
                scale = min(area.width() / img.width(), area.height() / img.height())
                target = QRectF(QPointF(0, 0), QRectF(img.rect()).size() * scale)
                painter.drawImage(target, img)
        finally:
            painter.end()
        self._audit("print")
        set_error(self.error, "")
        self.printed.emit()
        return True

    # -- saving --------------------------------------------------------------------
    def suggested_name(self) -> str:
        # Ids only: a file name is seen by anyone who looks at the stick.
        return f"{self.doc_kind}-stay{self.stay_id}-{self.lang}.pdf"

    def save_as(self) -> bool:
        """Encrypted by default (reports.protect): a password-protected PDF or
        an age file, the password generated and shown once; a plain PDF only
        after an explicit warning."""
        if not self._accept_missing():
            return False
        from shelterdesk.reports import protect
        filters = {_("Password-protected PDF, AES-256 (*.pdf)"): protect.PDF_AES256,
                   _("age file with a password (*.age)"): protect.AGE,
                   _("Plain PDF, not protected (*.pdf)"): protect.PLAIN}
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Save the document"), str(Path.home() / self.suggested_name()),
            ";;".join(filters))
        if not path:
            return False
        kind = filters.get(chosen, protect.PDF_AES256)
        if kind == protect.PLAIN and not ask_yes_no(self, _("Save without protection"), _(
                "A plain PDF can be read by anyone who gets the file (a lost USB stick, a "
                "shared folder). Save it without a password anyway?")):
            return False
        return self.save_to(Path(path), kind)

    def save_to(self, path: Path, kind: str = "pdf-aes256") -> bool:
        """Write exactly where the person chose, atomically; audited with how
        it is protected. The file dialog has asked before replacing a file; a
        database, key file, backup or lockout file is refused all the same
        (store.files.check_output_path)."""
        from shelterdesk.reports import protect
        path = Path(path)
        suffix = ".age" if kind == protect.AGE else ".pdf"
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        if not self._still_unlocked():
            return False
        password = None if kind == protect.PLAIN else protect.new_password()
        data = protect.protect(bytes(self.result.data), kind, password)
        if not write_user_file(path, data, [self.session.db.path], self.error):
            return False
        self._audit("save", kind)
        set_error(self.error, "")
        if password is None:
            self.password_label.setText(_("Saved without protection."))
        else:
            self.password_label.setText(_(
                "Password for {name} (shown only now; write it down or tell it by phone, "
                "never beside the file): {password}").format(name=path.name, password=password))
        self.password_label.show()
        self.last_password = password
        self.saved.emit(str(path))
        return True
