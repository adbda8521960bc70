"""An unexpected error is shown to the user, not lost in a console."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from shelterdesk.gui import app


def test_unexpected_error_is_shown(qtbot, monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text: shown.append((title, text))))
    message = "No space left on device"
    try:
        raise OSError(28, message)
    except OSError as e:
        app._report_unexpected(type(e), e, e.__traceback__)
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "Unexpected error"
    assert "it was not saved" in text and "No space left on device" in text
    err = capsys.readouterr().err
    assert "OSError" in err
    assert "No space left" not in err  # only the type reaches stderr
