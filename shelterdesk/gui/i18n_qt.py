"""Two translators, each answering its own texts.

- :class:`GettextTranslator` answers the application's contexts (our Designer
  forms' ``QCoreApplication.translate(context, text)``) from the gettext
  catalog the code uses, so forms and code share one catalog.
- Qt's own catalog (``qtbase_<lang>.qm``, shipped with PySide6) answers Qt's
  own dialogs and widgets: the file and print dialogs, standard buttons
  (``QPlatformTheme``), tab-scroll tooltips, context menus.

The gettext translator must never answer Qt's contexts: a msgid such as
"Name" means a person's name in our catalog (氏名) but a file name in
``QFileSystemModel``; answering it put 氏名 over the file dialog's columns. Qt's
classes and contexts are named ``Q…`` (plus the few listed in
:data:`QT_CONTEXTS_NOT_Q`); a Designer form's top-level object must therefore
never be named ``Q`` + capital letter (``tests/gui/test_qt_translations.py``
checks the generated forms).

Qt looks translators up newest first, so the Qt catalog is installed after
ours and is asked first; for our contexts it has nothing and ours answers.

Where Qt's catalog lags behind Qt's own sources (Qt 6's file dialog says
"&Look in:", the Japanese catalog knows only "Look in:"), our catalog may fill
the gap with an entry carrying that exact Qt context as ``msgctxt``; such an
explicit entry is the only way ours answers a Qt context, never a plain msgid.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from shelterdesk import i18n
from shelterdesk.i18n import NC_

#: Qt's own texts our catalog answers because Qt's Japanese catalog lags behind
#: Qt's sources (marked so that extraction keeps their entries).
QT_CATALOG_GAPS = (
    NC_("QFileDialog", "&Look in:"),
    NC_("QFileDialog", "Files of &type:"),
)

#: Qt contexts (in qtbase) whose names do not start with Q + capital letter.
QT_CONTEXTS_NOT_Q = frozenset({"CloseButton", "MAC_APPLICATION_MENU"})


def is_application_context(context: str) -> bool:
    """Ours, not Qt's: see the module docstring for the naming rule."""
    if context in QT_CONTEXTS_NOT_Q:
        return False
    return not (len(context) > 1 and context[0] == "Q" and context[1].isupper())


class GettextTranslator(QTranslator):
    """Looks ``source_text`` up in the current UI language's catalog, for the
    application's contexts only. The Qt context is used as a gettext context
    when the catalog has one for it, otherwise the plain msgid is used (most
    forms need no context)."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        ctx = context.decode() if isinstance(context, bytes) else (context or "")
        if not source_text:
            return None
        if not is_application_context(ctx):
            # None is a null QString: "no translation here", so Qt falls back
            # to its own catalog or the source text. Never "" (an empty, not
            # null, string would blank the text; QPageSize names even made
            # page layouts invalid).
            marked = i18n.pgettext(ctx, source_text) if ctx else source_text
            return marked if marked != source_text else None
        if ctx:
            marked = i18n.pgettext(ctx, source_text)
            if marked != source_text:
                return marked
        if n is not None and n >= 0:
            return i18n.ngettext(source_text, source_text, n)
        return i18n._(source_text)

    def isEmpty(self) -> bool:
        return False


_installed: GettextTranslator | None = None
_qt_catalog: QTranslator | None = None
_qt_catalog_language: str | None = None


def qt_catalog_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install(app: QCoreApplication) -> GettextTranslator:
    """Install ours once per application (every lookup asks
    :mod:`shelterdesk.i18n` for the current catalog, so a language change needs
    no reinstall), then Qt's catalog for the current language."""
    global _installed
    if _installed is None:
        _installed = GettextTranslator(app)
        app.installTranslator(_installed)
    apply_language(app)
    return _installed


def apply_language(app: QCoreApplication) -> QTranslator | None:
    """Load Qt's own catalog (``qtbase_<lang>.qm``) for the current UI language,
    replacing the previous one; English needs none. Call after
    :func:`shelterdesk.i18n.set_language` when the language changes while the
    application runs."""
    global _qt_catalog, _qt_catalog_language
    lang = i18n.current_language()
    if _qt_catalog is not None and _qt_catalog_language == lang:
        return _qt_catalog
    if _qt_catalog is not None:
        app.removeTranslator(_qt_catalog)
        _qt_catalog = None
    _qt_catalog_language = lang
    if lang == "en":
        return None
    catalog = QTranslator(app)
    if catalog.load(QLocale(lang), "qtbase", "_", qt_catalog_dir()):
        app.installTranslator(catalog)
        _qt_catalog = catalog
    return _qt_catalog
