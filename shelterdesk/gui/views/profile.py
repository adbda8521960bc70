"""A resident's profile, read-only: safety flags first, then her details,
children, stays (with their ids, which the command line and documents use)
and consents.

Building the page reads the record through store.residents.get_resident,
which writes the audit "view" row; never read her record another way here.
The intake/record screens may replace this page: MainWindow looks it up
through ``resident_page_factory``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.dates import age_on, format_date
from shelterdesk.gui.widgets.safety import SafetyBanner
from shelterdesk.i18n import _, current_language
from shelterdesk.store import residents as residents_repo
from shelterdesk.store import rooms as rooms_repo
from shelterdesk.store import stays as stays_repo


def language_name(code: str) -> str:
    """"ko" → 韓国語 (in the UI language); the code itself if Babel does not know it."""
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(code).get_display_name(current_language()) or code
    except (ValueError, UnknownLocaleError):
        return code


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _table(headers: list[str], rows: list[list[str]], parent: QWidget) -> QTableWidget:
    t = QTableWidget(len(rows), len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.setItem(r, c, QTableWidgetItem(text))
    t.setMinimumHeight(min(60 + 30 * max(1, len(rows)), 260))
    return t


class ProfileView(QWidget):
    """Emits ``closed`` when the user goes back to the list."""

    closed = Signal()

    def __init__(self, db, resident_id: int, parent: QWidget | None = None, *,
                 today: date | None = None):
        super().__init__(parent)
        today = today or date.today()
        self.resident = r = residents_repo.get_resident(db, resident_id)  # audited view
        children = residents_repo.children_of(db, resident_id)
        stays = stays_repo.stays_of(db, resident_id)
        consents = residents_repo.consents_of(db, resident_id)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 8)
        top = QHBoxLayout()
        self.back_button = QPushButton(_("← Back to the list"), self)
        self.back_button.setShortcut(Qt.Key.Key_Escape)
        self.back_button.clicked.connect(self.closed)
        top.addWidget(self.back_button)
        top.addStretch(1)
        outer.addLayout(top)

        self.banner = SafetyBanner(self)
        self.banner.set_flags(r.safety)
        outer.addWidget(self.banner)

        title = QLabel(r.display_name, self)
        title.setProperty("role", "title")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(title)
        ids = QLabel(_("Resident id {id}").format(id=r.id), self)
        ids.setProperty("role", "hint")
        ids.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(ids)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        outer.addWidget(scroll, 1)

        person = QGroupBox(_("Her details"), body)
        form = QFormLayout(person)
        age = r.age_on(today)
        birth = format_date(r.birth_date) if r.birth_date else (
            _("unknown (about {age})").format(age=r.estimated_age)
            if r.estimated_age is not None else _("unknown"))
        lang_code = language_name(r.language)
        for label, value in (
                (_("Name"), r.legal_name),
                (_("Kana"), r.kana),
                (_("Alias"), r.alias),
                (_("Date of birth"), birth),
                (_("Age"), "" if age is None else str(age)),
                (_("Nationality"), r.nationality),
                (_("Language"), lang_code),
                (_("Interpreter needed"), _yes_no(r.interpreter_needed)),
                (_("Safe phone"), r.safe_phone),
                (_("Municipality of registration"), r.registered_municipality),
                (_("Pregnant"), _yes_no(r.pregnant)),
                (_("Allergies"), r.allergies),
                (_("Medications"), r.medications),
                (_("Disability certificate"), r.disability_certificate),
                (_("Health notes"), r.health_notes)):
            value_label = QLabel(value or "—", person)
            value_label.setWordWrap(True)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, value_label)
        lay.addWidget(person)

        safety = QGroupBox(_("Safety"), body)
        sf = QFormLayout(safety)
        s = r.safety
        for label, value in (
                (_("Support measure (residence record)"), _yes_no(s.support_measure)),
                (_("Protection order"), codes.PROTECTION_ORDER.label(s.protection_order)),
                (_("Perpetrator danger"),
                 codes.DANGER_LEVEL.label(s.danger_level) if s.danger_level else _("None")),
                (_("Danger warning"), s.danger_warning),
                (_("Whereabouts secret"), _yes_no(s.whereabouts_secret))):
            v = QLabel(value or "—", safety)
            v.setWordWrap(True)
            sf.addRow(label, v)
        lay.addWidget(safety)

        kids = QGroupBox(_("Companion children"), body)
        kl = QVBoxLayout(kids)
        self.children_table = _table(
            [_("Name"), _("Kana"), _("Date of birth"), _("Age"), _("Sex"), _("School or nursery"),
             _("Allergies")],
            [[c.name, c.kana, format_date(c.birth_date),
              str(age_on(c.birth_date, today)) if c.birth_date else "",
              codes.SEX.label(c.sex), c.school_after or c.school_before, c.allergies]
             for c in children], kids)
        kl.addWidget(self.children_table)
        lay.addWidget(kids)

        st = QGroupBox(_("Stays"), body)
        stl = QVBoxLayout(st)
        stay_rows = []
        for stay in stays:
            room, bed = rooms_repo.bed_label(db, stay.bed_id)
            stay_rows.append([
                str(stay.id), format_date(stay.admitted_on),
                format_date(stay.discharged_on) if stay.discharged_on else _("in residence"),
                codes.ADMISSION_TYPE.label(stay.admission_type),
                codes.MAIN_COMPLAINT.label(stay.main_complaint),
                codes.REFERRAL_SOURCE.label(stay.referral_source),
                f"{room}-{bed}" if room and not stay.discharged_on else "",
                codes.DISCHARGE_DESTINATION.label(stay.discharge_destination)
                if stay.discharge_destination else "",
                str(stay.days_in_residence(today))])
        self.stays_table = _table(
            [_("Stay id"), _("Admitted"), _("Discharged"), _("Admission type"),
             _("Primary complaint"), _("Referral source"), _("Room/bed"),
             _("Discharge destination"), _("Days")], stay_rows, st)
        stl.addWidget(self.stays_table)
        lay.addWidget(st)

        cons = QGroupBox(_("Consents"), body)
        cl = QVBoxLayout(cons)
        cl.addWidget(_table(
            [_("Scope"), _("Recipient"), _("Given on"), _("Expires on"), _("Withdrawn on"),
             _("Valid today")],
            [[codes.CONSENT_SCOPE.label(k.scope), k.recipient, format_date(k.given_on),
              format_date(k.expires_on), format_date(k.withdrawn_on),
              _yes_no(k.valid_on(today))] for k in consents], cons))
        lay.addWidget(cons)
        lay.addStretch(1)
