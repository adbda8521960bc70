"""The review: what was entered, what is still missing (it can be completed
later on her record) and every problem that would stop the save, named here
before Save is pressed (the readmission question in particular)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from shelterdesk.core import codes, countries
from shelterdesk.core.completeness import missing_items
from shelterdesk.core.dates import format_date
from shelterdesk.gui.views.intake.page import IntakePage
from shelterdesk.gui.widgets.errors import error_label, set_error
from shelterdesk.gui.widgets.safety_banner import safety_lines
from shelterdesk.i18n import N_, _, current_language

#: Padding around each cell of the review table (pixels): the rows breathe.
REVIEW_CELL_PADDING = 4



def join_phrases(parts) -> str:
    """Join with 「、」, but not after a part that already ends a sentence
    (a free-text note ending in 「。」 gave 「…。、所在秘匿」)."""
    out = ""
    for part in parts:
        if out and not out.endswith(("。", "、", "！", "？")):
            out += "、"
        out += part
    return out

def _rows(data) -> list[tuple[str, str]]:
    r, s = data.resident, data.stay
    if r.birth_date:
        birth = format_date(r.birth_date)
    elif r.estimated_age is not None:
        birth = _("about {n} years").format(n=r.estimated_age)
    else:
        birth = "—"
    children = [c.name + (f"（{format_date(c.birth_date)}）" if c.birth_date else "")
                for c in data.children]
    if data.existing_child_ids:
        children.append(_("{n} from her earlier stay").format(n=len(data.existing_child_ids)))
    rows = [
        (_("Name"), r.legal_name or "—"), (_("Kana"), r.kana or "—"),
        (_("Alias"), r.alias or "—"),
        (_("Date of birth"), birth),
        (_("Arrival"), s.admitted_at.strftime("%Y/%m/%d %H:%M") if s.admitted_at else "—"),
        (_("Referral source"), codes.REFERRAL_SOURCE.label(s.referral_source) or "—"),
        (_("Admission type"), codes.ADMISSION_TYPE.label(s.admission_type) or "—"),
        (_("Primary complaint"), codes.MAIN_COMPLAINT.label(s.main_complaint) or "—"),
        (_("Other issues"), "、".join(codes.ISSUE_TAG.label(t) for t in s.issue_tags) or "—"),
        (_("Language"), data.language_label + (
            " · " + _("Needs an interpreter") if r.interpreter_needed else "")),
        (_("Nationality"), countries.nationality_name(r.nationality, current_language()) or "—"),
        (_("Children"), "、".join(children) or "—"),
        (_("Safety"), join_phrases(safety_lines(r.safety)) or _("No safety flags")),
        (_("Consents"), "、".join(f"{codes.CONSENT_SCOPE.label(k.scope)} → {k.recipient}"
                                 for k in data.consents) or "—"),
        (_("Bed"), data.bed_label or _("No bed yet (assign later)")),
    ]
    if r.id is not None:
        rows.insert(0, (_("Readmission"), _("new stay on the record of resident no. {id}")
                        .format(id=r.id)))
    return rows


class ReviewPage(IntakePage):
    title = N_("Review")

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        layout = QVBoxLayout(self)
        self.entered = QLabel()
        self.entered.setWordWrap(True)
        self.entered.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        layout.addWidget(self.entered)
        layout.addWidget(self.missing)
        self.error = error_label()
        layout.addWidget(self.error)
        layout.addStretch(1)

    def enter(self, data) -> None:
        esc = html.escape
        # Rows with room between them; each label on the first line of its
        # value, in the value's size (a multi-line value keeps its label on top).
        table = "".join(f"<tr><td valign='top' style='color:#555'>{esc(k)}</td>"
                        f"<td valign='top'>{esc(v)}</td></tr>" for k, v in _rows(data))
        entered = _("Entered")
        self.entered.setText(f"<p style='margin-bottom:6px'><b>{esc(entered)}</b></p>"
                             f"<table cellspacing='0' cellpadding='{REVIEW_CELL_PADDING}'>"
                             f"{table}</table>")
        missing = missing_items(data.resident, data.stay, data.children, data.consents)
        if missing:
            items = "".join(f"<li>{esc(m)}</li>" for m in missing)
            heading = _("Still missing (can be completed later on her record)")
            self.missing.setText(f"<b>{esc(heading)}</b><ul>{items}</ul>")
        else:
            self.missing.setText(esc(_("Nothing is missing.")))
        # Each problem is named here, before Save: the readmission question in
        # particular must not surface only when she is about to be saved.
        set_error(self.error, (_("Before saving:") + " " + " / ".join(
            e.message for e in data.problems)) if data.problems else "")

    def clear(self) -> None:
        set_error(self.error, "")
