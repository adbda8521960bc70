"""The only package that imports Qt.

Importing it first makes ``None``, ``True`` and ``False`` immortal on Python
3.11, as Python 3.12 does for every interpreter (PEP 683). Why: the PySide6
6.12.0 bindings treat them as immortal and do not count the references they
hand back — every call of a Qt method returning nothing takes one reference
from ``None``, every ``Signal.emit()`` one from ``True`` (measured: exactly −1
per call). A program that runs through a night shift makes hundreds of
thousands of such calls; when a count reaches zero the interpreter aborts
("deallocating None"), losing what was on screen. Adding 2**40 references to
objects that are never freed anyway is what immortality means; on 3.12+
nothing is done. ``tests/gui/test_immortal.py`` holds this.
"""

from __future__ import annotations

import ctypes
import sys


def _make_singletons_immortal() -> None:
    if sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_make_singletons_immortal()
