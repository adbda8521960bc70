"""A night shift's worth of Qt calls does not abort the program: PySide6 6.12.0
does not count the references it returns to None and True (shelterdesk/gui's
docstring), so the package makes them immortal on Python 3.11."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_million_void_calls_and_emits_do_not_abort():
    """In a fresh interpreter (this one's counts are already pinned): without
    the pin this aborts with "deallocating None" long before the end."""
    script = textwrap.dedent("""
        import shelterdesk.gui  # noqa: F401 - the pin
        from PySide6.QtCore import QObject, Signal
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel("見本")
        class Source(QObject):
            changed = Signal(int)
        source = Source()
        source.changed.connect(lambda v: None)
        for i in range(300_000):
            label.setText("x")       # returns nothing: a reference off None
            source.changed.emit(i)   # returns True: a reference off True
        print("survived")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, env={"QT_QPA_PLATFORM": "offscreen",
                                              "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-500:]
    assert "survived" in result.stdout
