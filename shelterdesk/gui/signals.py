"""Emitting a Qt signal from Python: always through :func:`emit`.

Why: PySide6 6.12.0's ``SignalInstance.emit`` returns ``True`` without a new
reference, so every emit made from Python takes one reference away from
``True``. A program that runs through a night shift emits hundreds of
thousands of signals (every keystroke in a date field, every task, every
change); once ``True``'s count reaches zero the interpreter aborts
("bool_dealloc: deallocating True or False"), losing whatever was on screen.
:func:`emit` gives the reference back. Whether a given PySide6 needs that is
measured once, at first use, so a fixed PySide6 is left alone.

Signals Qt emits itself (a timer, a click) are not affected; only ``.emit``
called from Python is. ``tests/gui/test_signals.py`` fails if any module of
the package calls ``.emit`` directly.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None
_TRUE = ctypes.py_object(True)
_returned: int | None = None  # references of True each emit takes away


class _Probe(QObject):
    fired = Signal()


def _measure() -> int:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        _incref(_TRUE)
    return max(lost, 0) // 8


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, giving back what a leaking PySide6 takes."""
    global _returned
    if _returned is None:
        _returned = _measure()
    signal.emit(*args)
    for _ in range(_returned):
        _incref(_TRUE)
