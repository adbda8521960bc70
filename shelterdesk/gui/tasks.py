"""Running slow work (key derivation, creating databases, key rotation,
imports, documents) off the UI thread.

The function given to :func:`run_task` runs on a pool thread. It must never
touch a widget or any Qt object living on the UI thread: it gets plain
arguments and returns a plain value. Its result or its exception comes back
on the UI thread through queued signals, where the callbacks may update
widgets. While a task runs, :func:`busy` is true, so the idle lock waits
instead of closing a connection the worker is using.

A task that reports progress (``run_task(..., reports_progress=True)``) is
called as ``fn(progress)``; ``progress(done, total)`` may be called from the
worker as often as it likes: it only emits a queued signal, and the progress
dialog (and ``on_progress``, if given) move on the UI thread.
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from shelterdesk.i18n import _

_running: dict[int, Task] = {}
_next_id = itertools.count(1)


def busy() -> bool:
    """True while any task is running (the idle lock must wait)."""
    return bool(_running)


class _Dispatcher(QObject):
    """The one object workers signal through. It lives on the UI thread for
    the whole application and is never destroyed by a worker: a QObject per
    task, released by whichever thread dropped the last reference, was freed
    on a pool thread while its queued call was still pending (a crash)."""
    finished = Signal(int, bool, object)
    progressed = Signal(int, int, int)


_dispatcher: _Dispatcher | None = None


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher(QCoreApplication.instance())
        _dispatcher.finished.connect(_deliver, Qt.ConnectionType.QueuedConnection)
        _dispatcher.progressed.connect(_deliver_progress, Qt.ConnectionType.QueuedConnection)
    return _dispatcher


def _deliver(task_id: int, ok: bool, payload: Any) -> None:  # UI thread
    task = _running.pop(task_id, None)
    if task is not None:
        task.finish(ok, payload)


def _deliver_progress(task_id: int, done: int, total: int) -> None:  # UI thread
    task = _running.get(task_id)
    if task is not None:
        task.set_progress(done, total)


class _Runnable(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], dispatcher: _Dispatcher):
        super().__init__()
        self.setAutoDelete(True)
        self._task_id = task_id
        self._fn = fn
        self._dispatcher = dispatcher

    def run(self) -> None:  # pool thread
        fn, self._fn = self._fn, None
        try:
            ok, payload = True, fn()
        except BaseException as e:  # delivered to the UI thread, never swallowed
            e.__traceback__ = None
            ok, payload = False, e
        del fn
        self._dispatcher.finished.emit(self._task_id, ok, payload)


class Task:
    """One piece of work in flight. Keep no reference: the module keeps it
    until its callback has run on the UI thread."""

    def __init__(self, parent: QWidget | None, fn: Callable[[], Any],
                 on_done: Callable[[Any], None] | None,
                 on_error: Callable[[BaseException], None] | None,
                 progress_text: str | None,
                 on_progress: Callable[[int, int], None] | None = None,
                 reports_progress: bool = False):
        self._on_done = on_done
        self._on_error = on_error
        self._on_progress = on_progress
        self.progress: QProgressDialog | None = None
        if progress_text:
            self.progress = QProgressDialog(progress_text, "", 0, 0, parent)
            self.progress.setWindowTitle(_("Please wait"))
            self.progress.setCancelButton(None)
            self.progress.setWindowModality(Qt.WindowModality.WindowModal)
            self.progress.setMinimumDuration(300)
            self.progress.setAutoClose(False)
            self.progress.setValue(0)
        task_id = next(_next_id)
        _running[task_id] = self
        dispatcher = _get_dispatcher()
        if reports_progress:
            relay = dispatcher.progressed.emit
            work = fn

            def fn() -> Any:
                return work(lambda done, total: relay(task_id, int(done), int(total)))
        QThreadPool.globalInstance().start(_Runnable(task_id, fn, dispatcher))

    def set_progress(self, done: int, total: int) -> None:
        """On the UI thread: move the dialog's bar (and tell ``on_progress``)."""
        if self.progress is not None and shiboken6.isValid(self.progress) and total > 0:
            self.progress.setMaximum(total)
            self.progress.setValue(min(done, total))
        if self._on_progress is not None:
            self._on_progress(done, total)

    def _close_progress(self) -> None:
        if self.progress is not None:
            if shiboken6.isValid(self.progress):
                self.progress.reset()
                self.progress.hide()
                self.progress.deleteLater()
            self.progress = None

    def finish(self, ok: bool, payload: Any) -> None:
        self._close_progress()
        if ok:
            if self._on_done is not None:
                self._on_done(payload)
        elif self._on_error is not None:
            self._on_error(payload)
        else:
            traceback.print_exception(payload)


def run_task(parent: QWidget | None, fn: Callable[[], Any],
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             progress_text: str | None = None, *,
             on_progress: Callable[[int, int], None] | None = None,
             reports_progress: bool = False) -> Task:
    """Run ``fn()`` on a pool thread; call ``on_done(result)`` or
    ``on_error(exception)`` on the UI thread. ``progress_text`` shows a
    window-modal progress dialog meanwhile. With ``reports_progress`` the
    function is called as ``fn(progress)`` and ``progress(done, total)`` moves
    the dialog's bar and calls ``on_progress(done, total)`` on the UI thread."""
    return Task(parent, fn, on_done, on_error, progress_text, on_progress, reports_progress)
