"""Signals emitted from Python go through gui.signals.emit, which gives back
the reference to True that PySide6 6.12.0's emit takes away: without it a
long shift's worth of emits aborts the program."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from shelterdesk.gui.signals import emit

PACKAGE = Path(__file__).resolve().parents[2] / "shelterdesk"


class _Source(QObject):
    changed = Signal(object)


def test_a_night_of_emits_leaves_true_alone(qtbot):
    source, seen = _Source(), []
    source.changed.connect(seen.append)
    emit(source.changed, 0)  # the first call measures the library once
    before = sys.getrefcount(True)
    for i in range(20_000):
        emit(source.changed, i)
    # without the fix True loses 20,000 references here; other code may hold a few
    assert abs(sys.getrefcount(True) - before) < 100
    assert len(seen) == 20_001


def test_no_module_emits_directly():
    direct = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "gui" / "signals.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "emit":
                direct.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert direct == []
