"""The application's controller: after login the document fonts are warmed
on a worker (the program's setting), never on the UI thread."""

from __future__ import annotations

import threading

from shelterdesk.gui.app import Controller
from shelterdesk.reports import fonts
from shelterdesk.store.vault import TEST_KDF


def test_fonts_are_warmed_on_a_worker_once_the_main_window_is_shown(qtbot, session, db_path,
                                                                    monkeypatch):
    calls = []
    monkeypatch.setattr(fonts, "warm_up", lambda: calls.append(threading.current_thread()))
    c = Controller(db_path, kdf=TEST_KDF, warm_fonts=True)
    window = c.show_main(session)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=5000)
    assert calls[0] is not threading.main_thread()
    c.show_main(session)  # a second login in the same process does not warm again
    qtbot.wait(100)
    assert len(calls) == 1
    c.main_window.close()


def test_tests_and_embedders_do_not_warm_by_default(qtbot, session, db_path, monkeypatch):
    calls = []
    monkeypatch.setattr(fonts, "warm_up", lambda: calls.append(1))
    c = Controller(db_path, kdf=TEST_KDF)
    qtbot.addWidget(c.show_main(session))
    qtbot.wait(100)
    assert calls == []
    c.main_window.close()
