"""Running slow work (key derivation, creating databases, key rotation) off
the UI thread.

The function given to :func:`run_task` runs on a pool thread. It must never
touch a widget or any Qt object living on the UI thread: it gets plain
arguments and returns a plain value. Its result or its exception comes back
on the UI thread through queued signals, where the callbacks may update
widgets. While a task runs, :func:`busy` is true, so the idle lock waits
instead of closing a connection the worker is using.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from shelterdesk.i18n import _

_running: set[Task] = set()


def busy() -> bool:
    """True while any task is running (the idle lock must wait)."""
    return bool(_running)


class _Signals(QObject):
    """Lives on the UI thread; the worker only emits."""
    done = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals):
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals = signals

    def run(self) -> None:  # pool thread
        try:
            result = self._fn()
        except BaseException as e:  # delivered to the UI thread, never swallowed
            e.__traceback__ = None
            self._signals.failed.emit(e)
        else:
            self._signals.done.emit(result)


class Task(QObject):
    """One piece of work in flight. Keep no reference: the module keeps it
    alive until its callback has run."""
    finished = Signal()

    def __init__(self, parent: QWidget | None, fn: Callable[[], Any],
                 on_done: Callable[[Any], None] | None,
                 on_error: Callable[[BaseException], None] | None,
                 progress_text: str | None):
        super().__init__()
        self._on_done = on_done
        self._on_error = on_error
        self._signals = _Signals()
        self._signals.done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.progress: QProgressDialog | None = None
        if progress_text:
            self.progress = QProgressDialog(progress_text, "", 0, 0, parent)
            self.progress.setWindowTitle(_("Please wait"))
            self.progress.setCancelButton(None)
            self.progress.setWindowModality(Qt.WindowModality.WindowModal)
            self.progress.setMinimumDuration(300)
            self.progress.setAutoClose(False)
            self.progress.setValue(0)
        _running.add(self)
        QThreadPool.globalInstance().start(_Runnable(fn, self._signals))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    @Slot(object)
    def _done(self, result: Any) -> None:
        self._close_progress()
        _running.discard(self)
        try:
            if self._on_done is not None:
                self._on_done(result)
        finally:
            self.finished.emit()

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self._close_progress()
        _running.discard(self)
        try:
            if self._on_error is not None:
                self._on_error(error)
            else:
                traceback.print_exception(error)
        finally:
            self.finished.emit()


def run_task(parent: QWidget | None, fn: Callable[[], Any],
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             progress_text: str | None = None) -> Task:
    """Run ``fn()`` on a pool thread; call ``on_done(result)`` or
    ``on_error(exception)`` on the UI thread. ``progress_text`` shows a
    window-modal progress dialog meanwhile."""
    return Task(parent, fn, on_done, on_error, progress_text)
