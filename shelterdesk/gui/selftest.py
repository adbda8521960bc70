"""The self-test's Qt checks (:mod:`shelterdesk.selftest` runs them): QtPdf
renders a page, Qt's own Japanese catalog loads, the stylesheet and the SVG
icon load. Each returns a short detail or raises ``CheckFailed``.

Offscreen: the self-test must run on a PC without a display (CI, a remote
shell), so when no application exists yet it makes a QGuiApplication on the
``offscreen`` platform plugin (which is itself part of what a frozen folder
must carry). Nothing is shown and nothing is written to disk.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QSize, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon, QImage

from shelterdesk import resources
from shelterdesk.gui.i18n_qt import qt_catalog_dir
from shelterdesk.i18n import _
from shelterdesk.selftest import CheckFailed


def _app() -> QGuiApplication:
    app = QGuiApplication.instance()
    if app is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = QGuiApplication(["shelterdesk", "--self-test"])
    return app


def render_first_page(pdf: bytes) -> str:
    from PySide6.QtPdf import QPdfDocument
    app = _app()
    doc = QPdfDocument(app)
    buffer = QBuffer(app)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buffer)
    for _wait in range(500):  # a QIODevice may load asynchronously
        if doc.status() in (QPdfDocument.Status.Ready, QPdfDocument.Status.Error):
            break
        app.processEvents()
    if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
        raise CheckFailed(_("QtPdf could not open the PDF ({error})").format(
            error=doc.error().name))
    image = doc.render(0, QSize(420, 594)).convertToFormat(QImage.Format.Format_Grayscale8)
    if image.isNull():
        raise CheckFailed(_("QtPdf rendered nothing"))
    inked = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
                if image.pixelColor(x, y).value() < 160)
    pages = doc.pageCount()
    doc.close()
    if inked < 50:
        raise CheckFailed(_("the rendered page is blank"))
    return _("{pages} page(s), page 1 rendered at {w}×{h}").format(
        pages=pages, w=image.width(), h=image.height())


def qt_japanese() -> str:
    app = _app()
    catalog = QTranslator(app)
    if not catalog.load(QLocale("ja"), "qtbase", "_", qt_catalog_dir()):
        raise CheckFailed(_("qtbase_ja.qm not found in {path}").format(path=qt_catalog_dir()))
    cancel = catalog.translate("QPlatformTheme", "Cancel")
    if cancel != "キャンセル":
        raise CheckFailed(_("Qt's catalog does not translate Cancel"))
    return ""


def stylesheet_and_icon() -> str:
    _app()
    if "#safetyBanner" not in resources.read_text(resources.STYLESHEET):
        raise CheckFailed(_("the stylesheet is not ShelterDesk's"))
    icon = QIcon(str(resources.path(resources.APP_ICON)))
    if icon.pixmap(QSize(48, 48)).isNull():
        raise CheckFailed(_("the SVG icon could not be drawn (Qt's SVG image plugin missing?)"))
    return ""
