"""Conversions between SQLite text columns and Python values."""

from __future__ import annotations

from datetime import date, datetime


def d2s(d: date | None) -> str | None:
    return d.isoformat() if d else None


def s2d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def now_text() -> str:
    return datetime.now().isoformat(timespec="seconds")


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
