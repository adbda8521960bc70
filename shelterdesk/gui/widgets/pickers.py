"""Pick lists built from core.codes, so every screen offers the same codes
with the same labels (the code list in DOMAIN.md is the single source)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from shelterdesk.core.codes import CodeList
from shelterdesk.i18n import N_, _

#: The languages the consent sheet is printed in, with their own names so a
#: woman can point at hers (DOMAIN.md, seed: foreign residents).
LANGUAGES: tuple[tuple[str, str, str], ...] = (
    ("ja", N_("Japanese"), "日本語"),
    ("en", N_("English"), "English"),
    ("zh", N_("Chinese (Simplified)"), "中文（简体）"),
    ("ko", N_("Korean"), "한국어"),
    ("vi", N_("Vietnamese"), "Tiếng Việt"),
    ("tl", N_("Tagalog"), "Tagalog"),
    ("pt", N_("Portuguese"), "Português"),
    ("es", N_("Spanish"), "Español"),
    ("ne", N_("Nepali"), "नेपाली"),
)
OTHER_LANGUAGE = "other"


def sheet_language(code: str) -> str:
    """Her language if the consent sheet is printed in it, otherwise Japanese."""
    return code if code in {c for c, *_ in LANGUAGES} else "ja"


def language_label(code: str, msgid: str, native: str) -> str:
    shown = _(msgid)
    return shown if shown == native else f"{shown} / {native}"


def code_combo(codelist: CodeList, blank: str | None = None,
               parent: QWidget | None = None) -> QComboBox:
    """A combo of ``codelist``; ``blank`` adds a first "not chosen" entry."""
    box = QComboBox(parent)
    if blank is not None:
        box.addItem(blank, None)
    for c in codelist:
        box.addItem(c.display(), c.code)
    return box


def language_combo(with_other: bool = True, parent: QWidget | None = None) -> QComboBox:
    box = QComboBox(parent)
    for code, msgid, native in LANGUAGES:
        box.addItem(language_label(code, msgid, native), code)
    if with_other:
        box.addItem(_("Other language"), OTHER_LANGUAGE)
    return box


def set_combo(box: QComboBox, value) -> bool:
    """Select the entry whose data is ``value``; False when there is none."""
    i = box.findData(value)
    if i < 0:
        return False
    box.setCurrentIndex(i)
    return True


def code_checkboxes(codelist: CodeList, parent: QWidget | None = None) -> dict[str, QCheckBox]:
    return {c.code: QCheckBox(c.display(), parent) for c in codelist}


class NationalityBox(QComboBox):
    """Nationality: a country chosen from the list (names in the screen's
    language, the common ones first) or typed freely (stateless, an old
    free-text value). ``value()`` is what to store: the country code, or the
    text as typed (core.countries)."""

    def __init__(self, parent: QWidget | None = None):
        from PySide6.QtWidgets import QCompleter

        from shelterdesk.core import countries
        from shelterdesk.i18n import current_language

        super().__init__(parent)
        self._lang = current_language()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.addItem("", "")
        for code, name in countries.countries(self._lang):
            self.addItem(name, code)
        self.lineEdit().setPlaceholderText(_("choose a country, or type"))
        completer = self.completer() or QCompleter(self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

    def set_value(self, value: str) -> None:
        from shelterdesk.core import countries

        i = self.findData(value) if countries.is_country_code(value) else -1
        if i >= 0:
            self.setCurrentIndex(i)
        else:
            self.setCurrentIndex(0)
            self.setEditText(value or "")

    def value(self) -> str:
        from shelterdesk.core import countries

        return countries.nationality_code(self.currentText(), self._lang)
