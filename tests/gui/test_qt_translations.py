"""Qt's own dialogs speak the application's language from Qt's catalog
(qtbase_ja.qm), and the gettext-backed translator answers only our contexts:
the file dialog's column header is 名前 (a file's name), never 氏名 (a
person's name, our catalog's "Name")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFileSystemModel,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QWidget,
)

from shelterdesk import i18n
from shelterdesk.gui import i18n_qt

SHOTS = Path("/tmp/shots")
FORMS = Path(i18n_qt.__file__).resolve().parent / "forms"


@pytest.fixture
def japanese(qapp):
    i18n.set_language("ja")
    i18n_qt.apply_language(qapp)
    yield
    i18n.set_language("en")
    i18n_qt.apply_language(qapp)


def _texts(widget) -> set[str]:
    out = set()
    for cls in (QLabel, QPushButton):
        out |= {w.text() for w in widget.findChildren(cls)}
    return out


def test_our_translator_never_answers_qt_contexts(japanese):
    assert i18n._("Name") == "氏名"  # our catalog: a person's name
    t = i18n_qt._installed
    for ctx in ("QFileSystemModel", "QFileDialog", "QPrintDialog", "QPlatformTheme",
                "QDialogButtonBox", "QMessageBox", "CloseButton"):
        assert t.translate(ctx, "Name") is None, ctx
    assert QCoreApplication.translate("QFileSystemModel", "Name") == "名前"


def test_file_dialog_is_japanese(qtbot, japanese, tmp_path):
    dlg = QFileDialog(None, "", str(tmp_path))
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dlg)
    dlg.show()
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        dlg.grab().save(str(SHOTS / "file_dialog_ja.png"))
    model = dlg.findChild(QFileSystemModel)
    names = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert names[0] == "名前" and "氏名" not in names
    tree = dlg.findChild(QTreeView)
    assert tree.model().headerData(0, Qt.Orientation.Horizontal) != "氏名"
    texts = _texts(dlg)
    assert "ファイル名(&N):" in texts or any("ファイル名" in t for t in texts), texts
    assert any("保存" in t for t in texts), texts
    # Qt 6's wording that qtbase_ja lacks comes from our msgctxt entries.
    assert not {"&Look in:", "Files of &type:", "File &name:", "&Save", "Save"} & texts, texts


def test_print_dialog_is_japanese(qtbot, japanese):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    printer = QPrinter()
    dlg = QPrintDialog(printer)
    qtbot.addWidget(dlg)
    dlg.show()
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        dlg.grab().save(str(SHOTS / "print_dialog_ja.png"))
    texts = _texts(dlg)
    assert any("印刷" in t for t in texts), texts
    assert not {"&Print", "Print", "Cancel", "&Options >>"} & texts, texts
    assert any("オプション" in t for t in texts), texts


def test_standard_buttons_come_from_qt_catalog(qtbot, japanese):
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "キャンセル"
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "保存"


def test_our_forms_still_translate(qtbot, japanese):
    from shelterdesk.gui.forms.ui_login import Ui_LoginForm

    w = QWidget()
    qtbot.addWidget(w)
    ui = Ui_LoginForm()
    ui.setupUi(w)
    assert ui.unlockButton.text() == i18n._("Log in") != "Log in"
    assert isinstance(ui.login, QLineEdit)


def test_english_has_no_qt_catalog(qapp):
    i18n.set_language("en")
    assert i18n_qt.apply_language(qapp) is None
    assert QCoreApplication.translate("QFileSystemModel", "Name") == "Name"


def test_forms_contexts_are_ours():
    """A form named Q… would be taken for Qt's own context and left English."""
    contexts = set()
    for f in FORMS.glob("ui_*.py"):
        contexts |= set(re.findall(r'translate\("([^"]+)"', f.read_text(encoding="utf-8")))
    assert contexts
    assert all(i18n_qt.is_application_context(c) for c in contexts), contexts
