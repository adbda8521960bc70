"""The red band shown on every screen that shows a resident with safety flags.

Why it exists: staff must never hand out her whereabouts, confirm she is
here on the phone, or put her on the board under her legal name when a
support measure, a protection order, a dangerous perpetrator or a secret
whereabouts applies. The band is impossible to miss and is hidden only when
no flag applies.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from shelterdesk.core import codes
from shelterdesk.core.models import SafetyFlags
from shelterdesk.i18n import _

#: Space between the flags' lines in the banner (pixels).
BANNER_LINE_GAP = 4


def safety_lines(flags: SafetyFlags, *, note: bool = True) -> list[str]:
    """The flags as short sentences for a person, most urgent first.
    ``note=False`` leaves out the danger note (what the perpetrator drives,
    where he waits): screens others can glance at show only the level."""
    lines = []
    if flags.danger_level:
        text = _("Perpetrator danger: {level}").format(
            level=codes.DANGER_LEVEL.label(flags.danger_level))
        if note and flags.danger_warning.strip():
            text += " — " + flags.danger_warning.strip()
        lines.append(text)
    if flags.whereabouts_secret:
        lines.append(_("Whereabouts secret: never confirm she is here"))
    if flags.protection_order in ("applied", "issued"):
        lines.append(_("Protection order: {state}").format(
            state=codes.PROTECTION_ORDER.label(flags.protection_order)))
    if flags.support_measure:
        lines.append(_("Support measure on the residence record applied"))
    return lines


class SafetyBanner(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("safetyBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        # The labels must not share the frame's object name: a QLabel is a
        # QFrame, and would draw the banner's border a second time.
        self.icon = QLabel("⚠")
        self.icon.setObjectName("safetyBannerIcon")
        self.label = QLabel()
        self.label.setObjectName("safetyBannerText")
        self.label.setWordWrap(True)
        lay.addWidget(self.icon)
        lay.addWidget(self.label, 1)
        self._text = ""
        self.hide()

    def set_flags(self, flags: SafetyFlags | None) -> None:
        lines = safety_lines(flags) if flags else []
        self._text = "\n".join(lines)
        # One paragraph per flag with a gap between them: plain text with
        # newlines set BIZ UD's lines edge to edge.
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setText("".join(
            f"<p style='margin-top:0; margin-bottom:{BANNER_LINE_GAP}px'>{html.escape(line)}</p>"
            for line in lines))
        self.setAccessibleName(_("Safety warning") + ": " + " / ".join(lines))
        self.setVisible(bool(lines))

    def text(self) -> str:
        """The flags as plain text, one per line."""
        return self._text
