"""Conversions between SQLite text columns and Python values."""

from __future__ import annotations

from datetime import date, datetime


def d2s(d: date | None) -> str | None:
    return d.isoformat() if d else None


def s2d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def now_text() -> str:
    """The store's one clock: local time to the second, as every ``created_at``,
    ``updated_at``, audit ``at`` and lockout entry stores it. Use this, never a
    module's own ``datetime.now()``, for anything written to a column."""
    return datetime.now().isoformat(timespec="seconds")


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
