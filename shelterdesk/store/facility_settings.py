"""Writing the facility settings an administrator may change (``meta`` keys),
each as one audited transaction.

Why here: the GUI opens no transaction; the board's alias switch and the
settings dialog each make one call. (The ``store`` branch gathers the meta
keys into ``store/settings.py``; these two functions belong there.)
"""

from __future__ import annotations

from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.i18n import _

IDLE_LOCK_RANGE = (1, 120)  # minutes


def set_board_shows_alias(session, on: bool) -> None:
    """The rooms board shows aliases (or resident numbers) instead of names."""
    session.require("admin")
    db = session.db
    with db.transaction():
        db.set_meta("board_shows_alias", "1" if on else "0")
        db.audit("update", "setting", None, f"board_shows_alias={int(on)}")


def set_idle_lock_minutes(session, minutes: int) -> None:
    """Minutes without use after which the window locks itself."""
    session.require("admin")
    low, high = IDLE_LOCK_RANGE
    if not low <= minutes <= high:
        raise ValidationError([FieldError("idle_lock_minutes", _(
            "Choose between {low} and {high} minutes.").format(low=low, high=high))])
    db = session.db
    with db.transaction():
        db.set_meta("idle_lock_minutes", str(minutes))
        db.audit("update", "setting", None, f"idle_lock_minutes={minutes}")
