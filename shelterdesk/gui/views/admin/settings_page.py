"""The settings page (administrators): facility name, capacity with the date a
change takes effect, idle lock, retention, curfew and quiet hours (printed on
the house-rules sheet), backup reminder days, closure days and the default
consent-sheet language. One "Save" is one store call (store.settings.update):
every value checked there, errors beside the fields, only changed values
written and audited. Replaces the small idle-lock dialog.
"""

from __future__ import annotations

import itertools
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import run_action
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm, error_label, set_error
from shelterdesk.i18n import DOCUMENT_LANGUAGES, _, current_language
from shelterdesk.store import settings as S


def language_name(code: str) -> str:
    """The language's own name in the UI language (Babel), with its code."""
    from babel import Locale
    try:
        name = Locale.parse({"tl": "fil"}.get(code, code)).get_display_name(current_language())
    except Exception:
        name = ""
    return f"{name} ({code})" if name else code


class SettingsPage(QWidget):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        outer = QVBoxLayout(self)
        title = QLabel(_("Settings"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        self.form = ErrorForm()
        outer.addLayout(self.form)
        self.name = QLineEdit()
        self.capacity = QSpinBox()
        self.capacity.setRange(*S.CAPACITY_RANGE)
        self.capacity_from = DateEdit(value=date.today())
        self.idle = QSpinBox()
        self.idle.setRange(*S.IDLE_LOCK_RANGE)
        self.idle.setSuffix(" " + _("min"))
        self.retention = QSpinBox()
        self.retention.setRange(0, S.RETENTION_RANGE[1])
        self.retention.setSpecialValueText(_("not set"))
        self.retention.setSuffix(" " + _("years after discharge"))
        self.curfew = QLineEdit()
        self.quiet = QLineEdit()
        self.reminder = QSpinBox()
        self.reminder.setRange(*S.BACKUP_REMINDER_RANGE)
        self.reminder.setSuffix(" " + _("days"))
        self.closures = QLineEdit()
        self.closures.setPlaceholderText(_("e.g. 2026-12-28, 2027-01-04"))
        self.language = QComboBox()
        for code in DOCUMENT_LANGUAGES:
            self.language.addItem(language_name(code), code)
        f = self.form
        f.add_field(S.FACILITY_NAME, _("Facility name"), self.name)
        f.add_field(S.CAPACITY, _("Capacity"), self.capacity)
        f.add_field(S.CAPACITY_FROM, _("Capacity takes effect on"), self.capacity_from)
        f.add_field(S.IDLE_LOCK_MINUTES, _("Lock when idle after"), self.idle)
        f.add_field(S.RECORD_RETENTION_YEARS, _("Records are kept"), self.retention)
        f.add_field(S.CURFEW, _("Curfew"), self.curfew)
        f.add_field(S.QUIET_HOURS, _("Quiet hours"), self.quiet)
        f.add_field(S.BACKUP_REMINDER_DAYS, _("Backup reminder after"), self.reminder)
        f.add_field(S.CLOSURE_DAYS, _("Closure days"), self.closures)
        f.add_field(S.CONSENT_LANGUAGE, _("Consent sheet language"), self.language)
        row = QHBoxLayout()
        self.general = error_label()
        row.addWidget(self.general, 1)
        self.save = QPushButton(_("Save settings"))
        self.save.setDefault(True)
        self.save.clicked.connect(self.save_settings)
        row.addWidget(self.save)
        outer.addLayout(row)
        outer.addStretch(1)
        chain = [self.name, self.capacity, self.capacity_from, self.idle, self.retention,
                 self.curfew, self.quiet, self.reminder, self.closures, self.language, self.save]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)
        self.load()

    def load(self) -> None:
        db = self.session.db
        rules = S.house_rules(db)
        self._loaded = {
            S.FACILITY_NAME: S.facility_name(db), S.CAPACITY: S.capacity(db),
            S.IDLE_LOCK_MINUTES: S.idle_lock_minutes(db),
            S.RECORD_RETENTION_YEARS: rules.record_retention_years,
            S.CURFEW: rules.curfew, S.QUIET_HOURS: rules.quiet_hours,
            S.BACKUP_REMINDER_DAYS: S.backup_reminder_days(db),
            S.CLOSURE_DAYS: S.closure_days(db), S.CONSENT_LANGUAGE: S.consent_language(db)}
        v = self._loaded
        self.name.setText(v[S.FACILITY_NAME])
        self.capacity.setValue(v[S.CAPACITY] or 1)
        self.idle.setValue(v[S.IDLE_LOCK_MINUTES])
        self.retention.setValue(v[S.RECORD_RETENTION_YEARS] or 0)
        self.curfew.setText(v[S.CURFEW])
        self.quiet.setText(v[S.QUIET_HOURS])
        self.reminder.setValue(v[S.BACKUP_REMINDER_DAYS])
        self.closures.setText(", ".join(d.isoformat() for d in v[S.CLOSURE_DAYS]))
        self.language.setCurrentIndex(max(self.language.findData(v[S.CONSENT_LANGUAGE]), 0))

    def values(self) -> dict:
        """The values shown that differ from the stored ones (typed)."""
        shown = {S.FACILITY_NAME: self.name.text().strip(), S.CAPACITY: self.capacity.value(),
                 S.IDLE_LOCK_MINUTES: self.idle.value(),
                 S.RECORD_RETENTION_YEARS: self.retention.value() or None,
                 S.CURFEW: self.curfew.text().strip(), S.QUIET_HOURS: self.quiet.text().strip(),
                 S.BACKUP_REMINDER_DAYS: self.reminder.value(),
                 S.CLOSURE_DAYS: self._closure_days(),
                 S.CONSENT_LANGUAGE: self.language.currentData()}
        return {k: v for k, v in shown.items() if v != self._loaded.get(k)}

    def _closure_days(self):
        out = []
        for part in self.closures.text().replace("、", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                out.append(date.fromisoformat(part))
            except ValueError:
                out.append(part)  # reported beside the field by the store's check
        return tuple(sorted(set(out), key=str))

    def save_settings(self) -> bool:
        values = self.values()
        if not values:
            set_error(self.general, _("Nothing was changed."))
            return False
        effective = self.capacity_from.value() if S.CAPACITY in values else None
        if S.CAPACITY in values and effective is None:
            self.form.show_errors([FieldError(S.CAPACITY_FROM, _(
                "Enter the date the capacity takes effect."))])
            return False
        s = self.session

        ok = run_action(self, lambda: S.update(s, values, capacity_from=effective), forms=[self.form], general=self.general,
                        changed=changes.change(changes.SETTINGS))
        if ok:
            self.load()
            set_error(self.general, "")
        return ok
