"""A QTranslator answering from the gettext catalog, so Designer forms
(``QCoreApplication.translate(context, text)``) and Qt's own dialogs share the
one catalog the code uses. Never add a second, Qt-format (.qm) catalog: two
catalogs drift apart and a screen ends up half translated.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from shelterdesk import i18n
from shelterdesk.i18n import N_


class GettextTranslator(QTranslator):
    """Looks ``source_text`` up in the current UI language's catalog. The Qt
    context is used as a gettext context when the catalog has one for it,
    otherwise the plain msgid is used (most forms need no context)."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        if not source_text:
            return source_text
        ctx = context.decode() if isinstance(context, bytes) else (context or "")
        if ctx:
            marked = i18n.pgettext(ctx, source_text)
            if marked != source_text:
                return marked
        if n is not None and n >= 0:
            return i18n.ngettext(source_text, source_text, n)
        # Never answer "": from Python it arrives as an empty (not null) string
        # and Qt would show nothing (it even makes QPageSize names empty and
        # page layouts invalid). The msgid itself is the right fallback.
        return i18n._(source_text)

    def isEmpty(self) -> bool:
        return False


#: Qt's own button and dialog texts, answered through the translator above.
#: Listed here so that extraction keeps them in the catalog.
QT_OWN_TEXTS = (
    N_("OK"), N_("Cancel"), N_("&Yes"), N_("&No"), N_("Save"), N_("Discard"), N_("Apply"),
    N_("Help"), N_("Close"), N_("&OK"), N_("&Cancel"), N_("Yes"), N_("No"),
)

_installed: GettextTranslator | None = None


def install(app: QCoreApplication) -> GettextTranslator:
    """Install once per application; later language changes need no reinstall
    because every lookup asks :mod:`shelterdesk.i18n` for the current catalog."""
    global _installed
    if _installed is None:
        _installed = GettextTranslator(app)
        app.installTranslator(_installed)
    return _installed
